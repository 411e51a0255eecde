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
                 traceback: str | None = None, message: str | None = None) -> None:
    """A finished event on the action of this request."""
    action = _find_action(session, context.request_id, instance_uuid)
    if action is None:
        return
    now = models.utcnow()
    session.add(models.InstanceActionEvent(
        action_id=action.id, event=event, start_time=now, finish_time=now,
        result=result, host=host, traceback=traceback,
        details=json.dumps(details) if details else None))
    action.updated_at = now
    if result == 'Error' and message:
        action.message = message


@contextlib.contextmanager
def event(db, context, instance_uuid: str, name: str, host: str):
    """Record ``name`` as started, then as Success or Error with the reason.

    The event row is written before the step runs (so a step that dies is
    visible as started) and completed afterwards in its own transaction.
    """
    event_id = db.write(_start_event, context, instance_uuid, name, host)
    details: dict = {}
    try:
        yield details
    except Exception as error:
        reason = (error.format_message() if isinstance(error, exception.MigratorException)
                  else '%s: %s' % (type(error).__name__, error))
        db.write(_finish_event, event_id, 'Error', details or None,
                 traceback_mod.format_exc(), reason)
        raise
    db.write(_finish_event, event_id, 'Success', details or None, None, None)


def _start_event(session, context, instance_uuid, name, host):
    action = _find_action(session, context.request_id, instance_uuid)
    if action is None:
        return None
    record = models.InstanceActionEvent(action_id=action.id, event=name,
                                        host=host)
    session.add(record)
    session.flush()
    return record.id


def _finish_event(session, event_id, result, details, traceback, message):
    if event_id is None:
        return
    record = session.get(models.InstanceActionEvent, event_id)
    if record is None:
        return
    now = models.utcnow()
    record.finish_time = now
    record.result = result
    record.traceback = traceback
    if details:
        record.details = json.dumps(details)
    action = session.get(models.InstanceAction, record.action_id)
    action.updated_at = now
    if message:
        action.message = message
