"""Instance actions and their events: the record an operator reads afterwards."""

import contextlib
import json
import traceback as traceback_mod

import sqlalchemy as sa

from migrator import exception
from migrator.db import models


def start_action(session, context, instance_uuid: str, action: str) -> models.InstanceAction:
    record = models.InstanceAction(
        action=action, instance_uuid=instance_uuid,
        request_id=context.request_id, user_id=context.user_id,
        project_id=context.project_id)
    session.add(record)
    return record


def _find_action(session, request_id: str, instance_uuid: str):
    return session.scalar(
        sa.select(models.InstanceAction)
        .where(models.InstanceAction.request_id == request_id,
               models.InstanceAction.instance_uuid == instance_uuid)
        .order_by(models.InstanceAction.id.desc()).limit(1))


def record_event(session, context, instance_uuid: str, event: str, host: str,
                 result: str = 'Success', details: dict | None = None,
                 traceback: str | None = None, message: str | None = None,
                 started=None) -> None:
    """A finished event on the action of this request."""
    action = _find_action(session, context.request_id, instance_uuid)
    if action is None:
        return
    now = models.utcnow()
    session.add(models.InstanceActionEvent(
        action_id=action.id, event=event, start_time=started or now, finish_time=now,
        result=result, host=host, traceback=traceback,
        details=json.dumps(details) if details else None))
    action.updated_at = now
    if result == 'Error' and message:
        action.message = message


@contextlib.contextmanager
def event(db, context, instance_uuid: str, name: str, host: str):
    """Record ``name`` as Success, or as Error with the reason and traceback.

    The event is written once, when the step ends, with the time it
    started: one transaction per step instead of two. A step whose process
    dies leaves no event; the migration's phase times and the stuck-move
    clean-up say which step never came.
    """
    started = models.utcnow()
    details: dict = {}
    try:
        yield details
    except Exception as error:
        reason = (error.format_message() if isinstance(error, exception.MigratorException)
                  else '%s: %s' % (type(error).__name__, error))
        db.write(record_event, context, instance_uuid, name, host, 'Error',
                 details or None, traceback_mod.format_exc(), reason, started)
        raise
    db.write(record_event, context, instance_uuid, name, host, 'Success',
             details or None, None, None, started)
