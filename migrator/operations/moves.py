"""Moves: start a cold migration, confirm it, revert it, abort it.

Everything a move checks before the conductor is asked lives here, in the
order DESIGN §3 gives: the lock and the server's state (409), the source
compute up (409), the named host known (400) and not the source (400)
and, when forced, up (400). The conductor then schedules (or, forced,
only records what the filters would say) and claims.
"""

import oslo_messaging as messaging

from migrator import exception
from migrator.compute import states
from migrator.objects import compute_node, instance_action, move_rows, request_spec
from migrator.objects import instance as instance_mod
from migrator.objects import migration as migration_mod
from migrator.objects import service as service_mod
from migrator.objects.verdict import Verdict
from migrator.operations import servers as servers_ops

_MOVABLE = (states.ACTIVE, states.STOPPED)


def check_movable(instance, action: str = 'migrate') -> None:
    """409 unless the server is ACTIVE or SHUTOFF with no task under way."""
    if instance.task_state is not None:
        raise exception.InstanceInvalidState(
            action=action, instance_id=instance.uuid, attr='task_state',
            state=instance.task_state)
    if instance.vm_state not in _MOVABLE:
        raise exception.InstanceInvalidState(
            action=action, instance_id=instance.uuid, attr='vm_state',
            state=instance.vm_state)


def check_source(session, instance, down_time: int) -> None:
    """409 when the server's own compute service is down: nothing can move
    it, whatever the destination."""
    if not service_mod.is_up(service_mod.compute_service_row(session, instance.host),
                             down_time):
        raise exception.ComputeServiceUnavailable(host=instance.host)


def destination_refusals(source: str, host: str, exists: bool, up: bool,
                         last_seen_up: str | None, force: bool) -> list[Verdict]:
    """What refuses ``host`` whatever the filters say: it must exist and not
    be the source, and, since no filter then looks at it, a forced
    destination must be up. One function for a move and for a check."""
    if not exists:
        return [Verdict.refuse('HostExists', exception.ComputeHostNotFound(
            host=host).format_message(), forceable=False)]
    if host == source:
        return [Verdict.refuse('SourceHost', exception.UnableToMigrateToSelf()
                               .format_message(), forceable=False)]
    if force and not up:
        return [Verdict.refuse('ComputeServiceUp', exception.DestinationServiceDown(
            host=host, last_seen=last_seen_up + 'Z' if last_seen_up else 'never')
            .format_message(), forceable=False)]
    return []


def check_destination(session, instance, host: str, force: bool,
                      down_time: int) -> None:
    """400 with the first of ``destination_refusals``."""
    service = service_mod.compute_service_row(session, host) if force else None
    last_seen = service.last_seen_up if service is not None else None
    refusals = destination_refusals(
        instance.host, host, compute_node.exists(session, host),
        service_mod.is_up(service, down_time),
        last_seen.isoformat() if last_seen else None, force)
    if refusals:
        raise exception.Invalid(refusals[0].reason)


def check_force(host: str | None, force: bool | None) -> None:
    """``force`` names no host of its own: it needs one."""
    if force and not host:
        raise exception.ValidationError(
            field='force', detail='force requires a target host: "force": '
            'true is only accepted with "host" set to a compute host name.')


class Moves:
    def __init__(self, conf, db, conductor_api, compute_api):
        self.conf = conf
        self.db = db
        self.conductor_api = conductor_api
        self.compute_api = compute_api

    def migrate(self, ctx, instance, host: str | None = None,
                force: bool | None = None, force_given: bool = True,
                allowed_hosts: list[str] | None = None,
                avoid_hosts: tuple = ()) -> str:
        """Cold-migrate ``instance``: to ``host`` when named (through the
        scheduler's filters unless ``force``), else where the scheduler
        picks, among ``allowed_hosts`` when given and never on
        ``avoid_hosts`` (a drain's restrictions and the hosts a server's
        earlier attempts failed on). Returns the migration uuid once the
        destination is claimed.

        ``force_given`` False tells the conductor the caller could not say
        (a request below microversion 2.56), which it records as such.
        """
        check_force(host, force)
        servers_ops.check_not_locked(ctx, instance)
        check_movable(instance)
        instance, group_uuid = self.db.write_rows(
            _begin_migrate, ctx, instance, host, bool(force),
            self.conf.service_down_time)
        spec = request_spec.for_move(instance, group_uuid, host, bool(force),
                                     self.conf.allow_resize_to_same_host)
        spec.ignore_hosts = sorted(set(spec.ignore_hosts) | set(avoid_hosts))
        spec.allowed_hosts = allowed_hosts
        options = {'force': force} if force_given else {}
        try:
            return self.conductor_api.migrate_server(
                ctx, instance.uuid, spec.to_dict(), host, **options)
        except exception.ComputeHostNotFound as error:
            raise exception.Invalid(error.format_message())
        except messaging.MessagingTimeout:
            raise exception.ServiceUnavailable(
                reason='the conductor did not answer within %ss; the migration '
                       'may still start, see GET /servers/%s/os-instance-actions'
                       % (self.conf.api.migrate_call_timeout, instance.uuid))

    def confirm_resize(self, ctx, instance) -> None:
        """Keep the server where it moved; the source drops its copy."""
        migration = self.db.write_rows(_begin_end_of_move, ctx, instance.uuid,
                                       'confirmResize', states.CONFIRMING, None)
        self.compute_api.confirm_resize(ctx, migration.source_compute,
                                        instance.uuid, migration.uuid)

    def revert_resize(self, ctx, instance) -> None:
        """Send the server back to its source."""
        migration = self.db.write_rows(_begin_end_of_move, ctx, instance.uuid,
                                       'revertResize', states.REVERTING,
                                       states.RESIZE_REVERTING)
        self.compute_api.revert_resize(ctx, migration.dest_compute,
                                       instance.uuid, migration.uuid)

    def abort(self, ctx, instance, migration_id: str) -> None:
        """Stop a move before the server starts on its destination: the
        migration ends ``cancelled``, the destination's claim is dropped and
        the server is where it was, as it was. The compute step under way
        sees the migration ended at its next write (the disk copy at its
        next progress report) and stops there."""
        self.db.write(_abort, ctx, instance.uuid, migration_id)


def _abort(session, ctx, instance_uuid, migration_id):
    """Nova's order: the lock (409), the migration the server's (404),
    the server's task (409), the migration's status (400)."""
    instance = instance_mod.get(session, instance_uuid, lock=True)
    if instance is None:
        raise exception.InstanceNotFound(instance_id=instance_uuid)
    servers_ops.check_not_locked(ctx, instance)
    migration = migration_mod.get_by_id(session, instance_uuid, migration_id,
                                        lock=True)
    if migration is None:
        raise exception.MigrationNotFoundForInstance(migration_id=migration_id,
                                                     instance_id=instance_uuid)
    if instance.task_state not in states.ABORTABLE_TASKS:
        raise exception.InstanceInvalidState(
            action='abort migration', instance_id=instance_uuid,
            attr='task_state', state=instance.task_state)
    if migration.status not in states.ABORTABLE:
        raise exception.InvalidMigrationState(
            migration_id=migration_id, instance_uuid=instance_uuid,
            state=migration.status, method='abort migration')
    migration_mod.cancel(session, instance, migration,
                         'aborted while %s, by user %s of project %s'
                         % (migration.status, ctx.user_id, ctx.project_id))
    instance_action.start_action(session, ctx, instance_uuid, 'migration_cancel')


def _begin_migrate(session, ctx, instance, host, force, down_time):
    """One transaction: the hosts checked, the task set, the group read;
    Core statements only (``Database.write_rows``)."""
    check_source(session, instance, down_time)
    if host is not None:
        check_destination(session, instance, host, force, down_time)
    instance = servers_ops.begin_task(session, ctx, instance.uuid, 'migrate',
                                      _MOVABLE, states.RESIZE_PREP)
    return instance, instance_mod.group_of(session, instance.uuid)


def _begin_end_of_move(session, ctx, instance_uuid, action, status, task_state):
    """Confirm or revert: the server's row locked, then its finished
    migration's; both changed with Core statements (``move_rows``)."""
    instance = move_rows.server(session, instance_uuid, lock=True)
    if instance is None:
        raise exception.InstanceNotFound(instance_id=instance_uuid)
    servers_ops.check_not_locked(ctx, instance)
    if instance.vm_state != states.RESIZED or instance.task_state is not None:
        attr, state = (('task_state', instance.task_state)
                       if instance.task_state else ('vm_state', instance.vm_state))
        raise exception.InstanceInvalidState(action=action,
                                             instance_id=instance_uuid,
                                             attr=attr, state=state)
    migration = move_rows.finished_migration(session, instance_uuid)
    if migration is None:
        raise exception.MigrationNotFoundByStatus(instance_id=instance_uuid,
                                                  status=states.FINISHED)
    move_rows.apply(session, instance, migration, status=status,
                    instance_values={'task_state': task_state})
    instance_action.start_action(session, ctx, instance_uuid, action)
    return migration
