"""Running drains: one conductor at a time owns each, through a lease.

Every conductor ticks: it takes the drains nobody holds (or whose owner's
lease ran out, because it died), renews its own leases, and steps each of
them. A step follows the moves under way, confirms those that reached
VERIFY_RESIZE (unless asked not to), retries a failed move elsewhere up to
``max_attempts``, starts new moves up to ``max_parallel``, and ends the
drain when nothing is left. Moves are ordinary migrations, started with
``operations.moves`` as the API starts them.

Crash safety. Every write checks, under the drain's row lock, that this
conductor still owns it, and renews the lease. An item is marked
``moving`` (with its start time) before its move is asked for, so a
conductor that takes over after a crash finds it and adopts the migration
the move made, or, when none exists and the server has settled, puts it
back to pending. A server moves at most once at a time (the task-state
compare-and-set), and a server no longer on the host is never moved again.
"""

import datetime
import logging

import sqlalchemy as sa
from oslo_utils import uuidutils

from migrator import context as migrator_context
from migrator import exception, notifications
from migrator.compute import states
from migrator.db import models
from migrator.objects import instance as instance_mod
from migrator.operations import drains as drain_ops

LOG = logging.getLogger(__name__)

# A move recorded as started, with no migration and a server at rest this
# long after, never happened (its owner died before asking).
_ADOPT_GRACE = datetime.timedelta(seconds=5)


class LeaseLost(Exception):
    """Another conductor owns the drain now."""


class DrainRunner:
    def __init__(self, conf, db, ops, messaging, host: str):
        self.conf = conf
        self.db = db
        self.ops = ops
        self.messaging = messaging
        # Unique per process: two conductors of one host never share leases.
        self.owner = '%s:%s' % (host, uuidutils.generate_uuid()[:8])
        self.lease = datetime.timedelta(seconds=conf.conductor.drain_lease_seconds)
        self._ctx = None

    # -- leases --------------------------------------------------------------

    def tick(self) -> bool:
        """Step every drain this conductor owns or may take; True when it
        owns one."""
        owned = self.db.write(_take_leases, self.owner, self.lease)
        for drain_uuid in owned:
            try:
                self.step(drain_uuid)
            except LeaseLost:
                LOG.warning('Drain %s was taken over by another conductor',
                            drain_uuid)
            except Exception:  # keep stepping the others; retried next tick
                LOG.exception('Step of drain %s failed', drain_uuid)
        return bool(owned)

    def _write(self, drain_uuid: str, fn, *args):
        """``fn(session, drain, *args)`` if this conductor still owns the
        drain; the lease is renewed in the same transaction."""
        def write(session):
            drain = session.scalar(sa.select(models.Drain)
                                   .where(models.Drain.uuid == drain_uuid)
                                   .with_for_update())
            if drain is None or drain.owner != self.owner:
                raise LeaseLost(drain_uuid)
            drain.lease_expires_at = models.utcnow() + self.lease
            return fn(session, drain, *args)
        return self.db.write(write)

    # -- one step --------------------------------------------------------------

    def step(self, drain_uuid: str) -> None:
        view = self.db.read(drain_ops.load, drain_uuid)
        drain = view.drain
        # The moves act for whoever started the drain, with an admin's rights.
        ctx = self._ctx = migrator_context.RequestContext(
            user_id=drain.user_id, project_id=drain.project_id, is_admin=True,
            roles=['admin', 'manager', 'member', 'reader'], overwrite=False)
        options = drain_ops.DrainOptions.from_dict(drain.options)
        for item in view.items:
            if item.status in (drain_ops.MOVING, drain_ops.VERIFYING):
                self._follow(ctx, drain, item, view.migrations.get(item.migration_uuid))
        if drain.status == drain_ops.CANCELLING:
            self._cancel(ctx, drain)
        else:
            self._start_moves(ctx, drain, options)
        self._finish_if_done(ctx, drain_uuid)

    def _items(self, drain_uuid, statuses) -> list:
        return self.db.read(lambda s: list(s.scalars(
            sa.select(models.DrainItem)
            .join(models.Drain, models.Drain.id == models.DrainItem.drain_id)
            .where(models.Drain.uuid == drain_uuid,
                   models.DrainItem.status.in_(statuses))
            .order_by(models.DrainItem.id))))

    def _set(self, drain_uuid, item_id, expected, **values) -> bool:
        """Move an item on from ``expected`` (False if it had moved on)."""
        def write(session, drain):
            item = session.get(models.DrainItem, item_id)
            if item.status not in expected:
                return False
            for key, value in values.items():
                setattr(item, key, value)
            if values.get('status') in drain_ops.SETTLED:
                item.finished_at = models.utcnow()
            return True
        changed = self._write(drain_uuid, write)
        if changed and values.get('status') in drain_ops.SETTLED + (
                drain_ops.VERIFYING,):
            notifications.notify(self.messaging, self._ctx, 'migrator-conductor:%s'
                                 % self.owner, 'drain.server.%s' % values['status'],
                                 {'drain': drain_uuid, 'item': item_id,
                                  'reason': values.get('reason')})
        return changed

    # -- starting moves --------------------------------------------------------

    def _start_moves(self, ctx, drain, options) -> None:
        items = self._items(drain.uuid, (drain_ops.PENDING, drain_ops.MOVING,
                                         drain_ops.VERIFYING))
        in_flight = sum(1 for i in items if i.status == drain_ops.MOVING or (
            i.status == drain_ops.VERIFYING and drain.confirm))
        pending = [i for i in items if i.status == drain_ops.PENDING]
        if not pending or in_flight >= drain.max_parallel:
            return
        # Read now: the aggregates and zones as they are when moves start.
        allowed = self.db.read(drain_ops.allowed_hosts, options,
                               self.conf.default_availability_zone)
        for item in pending:
            if in_flight >= drain.max_parallel:
                return
            in_flight += self._start(ctx, drain, options, item, allowed)

    def _start(self, ctx, drain, options, item, allowed) -> int:
        """Start ``item``'s move; 1 if one is now under way."""
        instance = self.db.read(instance_mod.get, item.instance_uuid)
        if instance is None:
            self._set(drain.uuid, item.id, (drain_ops.PENDING,),
                      status=drain_ops.SKIPPED, reason='deleted by its owner')
            return 0
        if instance.host != drain.host:
            self._set(drain.uuid, item.id, (drain_ops.PENDING,),
                      status=drain_ops.SKIPPED,
                      reason='moved off %s by another request' % drain.host)
            return 0
        refusal = drain_ops.movable_refusal(instance, options)
        if refusal is not None:
            if instance.task_state is not None:
                return 0  # something else acts on it: look again next tick
            self._set(drain.uuid, item.id, (drain_ops.PENDING,),
                      status=drain_ops.SKIPPED, reason=refusal)
            return 0
        if not self._set(drain.uuid, item.id, (drain_ops.PENDING,),
                         status=drain_ops.MOVING, attempts=item.attempts + 1,
                         started_at=models.utcnow(), migration_uuid=None,
                         destination=None, reason=None):
            return 0
        avoid = sorted({drain.host} | set(options.exclude_hosts)
                       | set(item.tried_hosts))
        try:
            host, force = self._forced_destination(ctx, instance, options, avoid,
                                                   allowed)
            migration_uuid = self.ops.moves.migrate(
                ctx, instance, host, force, allowed_hosts=allowed,
                avoid_hosts=tuple(avoid))
        except exception.NoValidHost as error:
            self._set(drain.uuid, item.id, (drain_ops.MOVING,),
                      status=drain_ops.CANNOT_PLACE, reason=error.format_message())
            return 0
        except exception.InstanceNotFound:
            self._set(drain.uuid, item.id, (drain_ops.MOVING,),
                      status=drain_ops.SKIPPED, reason='deleted by its owner')
            return 0
        except exception.ServiceUnavailable as error:
            # The conductor may still claim: followed (adopted) next ticks.
            LOG.warning('Move of %s for drain %s not confirmed yet: %s',
                        instance.uuid, drain.uuid, error)
            return 1
        except exception.MigratorException as error:
            # A lost claim, a server that changed meanwhile: decided again.
            self._set(drain.uuid, item.id, (drain_ops.MOVING,),
                      status=drain_ops.PENDING, reason=error.format_message())
            return 0
        self._set(drain.uuid, item.id, (drain_ops.MOVING,),
                  migration_uuid=migration_uuid)
        return 1

    def _forced_destination(self, ctx, instance, options, avoid, allowed):
        """(host, force) of a server the drain forces, decided now; (None,
        None) for the others, whose destination the scheduler chooses."""
        if instance.uuid not in options.force_servers:
            return None, None
        return self.ops.drains.forced_destination(ctx, instance, avoid, allowed), True

    # -- following moves -------------------------------------------------------

    def _follow(self, ctx, drain, item, migration) -> None:
        if migration is None:
            migration = self._adopt(drain, item)
            if migration is None:
                return
        status = migration.status
        if status in (states.PRE_MIGRATING, states.MIGRATING, states.POST_MIGRATING):
            return
        if status == states.CONFIRMED:
            self._set(drain.uuid, item.id, (drain_ops.MOVING, drain_ops.VERIFYING),
                      status=drain_ops.DONE, destination=migration.dest_compute)
        elif status in (states.FINISHED, states.CONFIRMING):
            if item.status == drain_ops.MOVING:
                self._set(drain.uuid, item.id, (drain_ops.MOVING,),
                          status=drain_ops.VERIFYING,
                          destination=migration.dest_compute)
            if drain.confirm and status == states.FINISHED:
                self._confirm(ctx, item)
        elif status in (states.REVERTING, states.REVERTED):
            self._set(drain.uuid, item.id, (drain_ops.MOVING, drain_ops.VERIFYING),
                      status=drain_ops.SKIPPED,
                      reason='its move was reverted by another request')
        elif status == states.CANCELLED:
            # Aborted on purpose (by the drain's cancel or by someone else):
            # not a failure to retry.
            self._set(drain.uuid, item.id, (drain_ops.MOVING,),
                      status=drain_ops.SKIPPED,
                      reason='its move was aborted: %s' % migration.error_reason)
        else:  # error
            reason = migration.error_reason or 'migration %s ended %s' % (
                migration.uuid, status)
            tried = sorted(set(item.tried_hosts) | {migration.dest_compute})
            if item.attempts < drain.max_attempts:
                self._set(drain.uuid, item.id, (drain_ops.MOVING, drain_ops.VERIFYING),
                          status=drain_ops.PENDING, tried_hosts=tried,
                          reason=reason, migration_uuid=None)
            else:
                self._set(drain.uuid, item.id, (drain_ops.MOVING, drain_ops.VERIFYING),
                          status=drain_ops.FAILED, tried_hosts=tried,
                          reason='%d attempt(s) failed; the last: %s' % (
                              item.attempts, reason))

    def _adopt(self, drain, item):
        """The migration an item's move made, when the conductor that asked
        for it could not record it (it died, or the call timed out)."""
        def find(session):
            migration = session.scalar(
                sa.select(models.Migration)
                .where(models.Migration.instance_uuid == item.instance_uuid,
                       models.Migration.created_at >= item.started_at)
                .order_by(models.Migration.id.desc()).limit(1))
            return migration, instance_mod.get(session, item.instance_uuid)
        migration, instance = self.db.read(find)
        if migration is not None:
            self._set(drain.uuid, item.id, (drain_ops.MOVING,),
                      migration_uuid=migration.uuid)
            return migration
        if instance is None:
            self._set(drain.uuid, item.id, (drain_ops.MOVING,),
                      status=drain_ops.SKIPPED, reason='deleted by its owner')
        elif instance.task_state is None and \
                models.utcnow() - item.started_at > _ADOPT_GRACE:
            # Asked for and never made (or made and given up): decide again.
            self._set(drain.uuid, item.id, (drain_ops.MOVING,),
                      status=drain_ops.PENDING)
        return None

    def _confirm(self, ctx, item) -> None:
        instance = self.db.read(instance_mod.get, item.instance_uuid)
        if instance is None:
            return
        try:
            self.ops.moves.confirm_resize(ctx, instance)
        except exception.MigratorException as error:
            # Confirmed meanwhile, or changed: the next tick reads the record.
            LOG.info('Confirm of %s for its drain: %s', instance.uuid, error)

    # -- cancel and end --------------------------------------------------------

    def _cancel(self, ctx, drain) -> None:
        for item in self._items(drain.uuid, (drain_ops.PENDING,)):
            self._set(drain.uuid, item.id, (drain_ops.PENDING,),
                      status=drain_ops.SKIPPED,
                      reason='the drain was cancelled before its move started')
        if drain.abort_on_cancel:
            for item in self._items(drain.uuid, (drain_ops.MOVING,)):
                self._abort(ctx, drain, item)

    def _abort(self, ctx, drain, item) -> None:
        """Abort an item's move if it is still before the end of its disk
        copy; a move past that finishes (the next tick follows it)."""
        def find(session):
            migration = session.scalar(sa.select(models.Migration).where(
                models.Migration.uuid == item.migration_uuid))
            return migration, instance_mod.get(session, item.instance_uuid)
        if item.migration_uuid is None:
            return
        migration, instance = self.db.read(find)
        if migration is None or instance is None or \
                migration.status not in states.ABORTABLE:
            return
        try:
            self.ops.moves.abort(ctx, instance, str(migration.id))
        except exception.MigratorException as error:
            LOG.info('Move of %s for drain %s not aborted: %s',
                     instance.uuid, drain.uuid, error)
            return
        LOG.info('Aborted the move of %s: drain %s was cancelled',
                 instance.uuid, drain.uuid)

    def _finish_if_done(self, ctx, drain_uuid) -> None:
        drain, items = self.db.read(drain_ops.load_states, drain_uuid)
        open_items = [i for i in items if i.status in (
            drain_ops.PENDING, drain_ops.MOVING) or (
                i.status == drain_ops.VERIFYING and drain.confirm)]
        if open_items:
            return

        def finish(session, drain):
            if drain.status in drain_ops.ENDED:
                return None
            remaining = session.scalar(sa.select(sa.func.count(models.Instance.id))
                                       .where(models.Instance.host == drain.host))
            refused = [i for i in items if i.status in (
                drain_ops.FAILED, drain_ops.CANNOT_PLACE)]
            if drain.status == drain_ops.CANCELLING:
                drain.status = drain_ops.CANCELLED
                drain.message = 'cancelled'
            elif refused or remaining:
                drain.status = drain_ops.INCOMPLETE
                drain.message = '; '.join(
                    ['%d server(s) still on %s' % (remaining, drain.host)]
                    + ['%s: %s' % (i.instance_uuid, i.reason) for i in refused])
            else:
                drain.status = drain_ops.COMPLETE
                drain.message = '%s is empty' % drain.host
            drain.finished_at = models.utcnow()
            drain.owner = None
            return drain.status
        ended = self._write(drain_uuid, finish)
        if ended:
            LOG.info('Drain %s of %s ended %s', drain_uuid, drain.host, ended)
            notifications.notify(self.messaging, ctx, 'migrator-conductor:%s'
                                 % self.owner, 'drain.end',
                                 lambda: drain_ops.drain_payload(
                                     self.db.read(drain_ops.load, drain_uuid)))


def _take_leases(session, owner, lease) -> list[str]:
    """The drains this conductor owns now: its own, and the unowned or
    expired ones it takes; their leases renewed."""
    now = models.utcnow()
    drains = session.scalars(
        sa.select(models.Drain)
        .where(models.Drain.status.in_(drain_ops.ACTIVE),
               sa.or_(models.Drain.owner.is_(None), models.Drain.owner == owner,
                      models.Drain.lease_expires_at < now))
        .order_by(models.Drain.id).with_for_update()).all()
    for drain in drains:
        if drain.owner not in (None, owner):
            LOG.warning('Taking over drain %s of %s from %s, whose lease ran '
                        'out', drain.uuid, drain.host, drain.owner)
        drain.owner = owner
        drain.lease_expires_at = now + lease
    return [d.uuid for d in drains]

