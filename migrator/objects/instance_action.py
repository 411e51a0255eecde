"""Instance actions and their events: the record an operator reads afterwards."""

import contextlib
import json
import traceback as traceback_mod

import sqlalchemy as sa

from migrator import exception
from migrator.db import models

_ACTIONS = models.InstanceAction.__table__
_EVENTS = models.InstanceActionEvent.__table__
# Built once: an event is recorded on every step of every move.
_OF_REQUEST = (_ACTIONS.c.request_id == sa.bindparam('b_request'),
               _ACTIONS.c.instance_uuid == sa.bindparam('b_instance'))
_EVENT_FIELDS = {'event': sa.String, 'start_time': sa.DateTime,
                 'finish_time': sa.DateTime, 'result': sa.String,
                 'host': sa.String, 'traceback': sa.Text, 'details': sa.Text}
# The event joins the request's latest action on the server, found in the
# same statement; none is written when there is no such action.
_ADD_EVENT = _EVENTS.insert().from_select(
    ['action_id', *_EVENT_FIELDS],
    sa.select(_ACTIONS.c.id, *[sa.bindparam('b_' + name, type_=kind)
                               for name, kind in _EVENT_FIELDS.items()])
    .where(*_OF_REQUEST).order_by(_ACTIONS.c.id.desc()).limit(1))
_ADD_ACTION = _ACTIONS.insert()
_TOUCH_ACTIONS = _ACTIONS.update().where(*_OF_REQUEST)


def start_action(session, context, instance_uuid: str, action: str) -> None:
    """The action a request starts on a server, which its steps' events
    join (by request id)."""
    now = models.utcnow()
    session.connection().execute(_ADD_ACTION, {
        'action': action, 'instance_uuid': instance_uuid,
        'request_id': context.request_id, 'user_id': context.user_id,
        'project_id': context.project_id, 'start_time': now,
        'updated_at': now})


def record_event(session, context, instance_uuid: str, event: str, host: str,
                 result: str = 'Success', details: dict | None = None,
                 traceback: str | None = None, message: str | None = None,
                 started=None) -> None:
    """A finished event on the action of this request.

    Two Core statements on the session's connection: an event is written
    on every step of every move, and loading the action with its events
    to add one cost more than the step's own change. An action started in
    this transaction is found: it was written, not left to a flush."""
    connection = session.connection()
    now = models.utcnow()
    of_request = {'b_request': context.request_id, 'b_instance': instance_uuid}
    connection.execute(_ADD_EVENT, dict(
        of_request, b_event=event, b_start_time=started or now,
        b_finish_time=now, b_result=result, b_host=host, b_traceback=traceback,
        b_details=json.dumps(details) if details else None))
    changes = dict(of_request, updated_at=now)
    if result == 'Error' and message:
        changes['message'] = message
    connection.execute(_TOUCH_ACTIONS, changes)


class Event:
    """One step's event, recorded once with the time the step started.

    ``details`` is what the step wants an administrator to read. A step
    whose last write is its state change records the event inside that
    transaction (``ending``), so the new state and the event that explains
    it commit together; otherwise ``event`` writes it when the step ends.
    """

    def __init__(self, context, instance_uuid: str, name: str, host: str):
        self.context = context
        self.instance_uuid = instance_uuid
        self.name = name
        self.host = host
        self.started = models.utcnow()
        self.details: dict = {}
        self.recorded = False
        self.result = None

    def record(self, session, result='Success', traceback=None,
               message=None) -> None:
        record_event(session, self.context, self.instance_uuid, self.name,
                     self.host, result, self.details or None, traceback,
                     message, self.started)
        self.recorded = result == 'Success'

    def ending(self, write):
        """``write`` (a ``Database.write`` function) that also records this
        event as Success in its transaction: for the step's last write.
        What ``write`` returns is kept in ``result`` as well."""
        def write_and_record(session, *args, **kwargs):
            self.result = write(session, *args, **kwargs)
            self.record(session)
            return self.result
        return write_and_record


@contextlib.contextmanager
def event(db, context, instance_uuid: str, name: str, host: str):
    """Record the step ``name`` as Success, or as Error with the reason and
    traceback.

    One transaction at most, and none when the step recorded its success
    in its own last write (``Event.ending``). A step whose process dies
    leaves no event; the migration's phase times and the stuck-move
    clean-up say which step never came.
    """
    step = Event(context, instance_uuid, name, host)
    try:
        yield step
    except Exception as error:
        reason = exception.describe(error)
        # A Success recorded in a transaction that then failed was rolled
        # back with it; a step that fails after its last write is an Error.
        db.write(lambda session: step.record(
            session, 'Error', traceback_mod.format_exc(), reason))
        raise
    if not step.recorded:
        db.write(step.record)
