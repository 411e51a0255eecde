"""The conductor RPC endpoint: boots and migrations, and their clean-up."""

import datetime
import logging
import time

import oslo_messaging as messaging
import sqlalchemy as sa

from migrator import exception, operations
from migrator.compute import claims, states
from migrator.compute import rpcapi as compute_rpcapi
from migrator.conductor.tasks import drain as drain_task
from migrator.conductor.tasks import migrate
from migrator.db import models
from migrator.objects import fault as fault_mod
from migrator.objects import instance as instance_mod
from migrator.objects import instance_action, move_rows
from migrator.objects import migration as migration_mod
from migrator.objects import request_spec as request_spec_mod
from migrator.objects.request_spec import RequestSpec
from migrator.scheduler import rpcapi as scheduler_rpcapi

LOG = logging.getLogger(__name__)


class ConductorManager:
    RPC_API_VERSION = '1.0'
    target = messaging.Target(version=RPC_API_VERSION)

    def __init__(self, conf, db, messaging_, host: str):
        self.conf = conf
        self.db = db
        self.host = host
        self.messaging = messaging_
        self.scheduler_api = scheduler_rpcapi.SchedulerAPI(messaging_, conf)
        self.compute_api = compute_rpcapi.ComputeAPI(messaging_, conf)
        # Drains start moves as the API does: with the operations layer.
        self.drains = drain_task.DrainRunner(
            conf, db, operations.build(conf, db, messaging_,
                                       call_timeout=conf.api.migrate_call_timeout),
            messaging_, host)
        self._draining = False
        self._next_drain_look = 0.0

    def periodic_tasks(self) -> list:
        interval = self.conf.conductor.periodic_interval
        return [(interval, self.clean_up_stuck_migrations),
                (interval, self.release_abandoned_migrate_requests),
                (self.conf.conductor.drain_interval, self.run_drains)]

    def run_drains(self) -> None:
        """Step the drains this conductor owns; look for others to take
        only every ``drain_idle_interval`` while it owns none."""
        now = time.monotonic()
        if not self._draining and now < self._next_drain_look:
            return
        self._draining = self.drains.tick()
        self._next_drain_look = now + self.conf.conductor.drain_idle_interval

    # -- boot ----------------------------------------------------------------

    def build_instances(self, context, instance_uuid: str, request_spec: dict):
        spec = self.db.read_rows(request_spec_mod.resolve,
                                 RequestSpec.from_dict(request_spec))
        try:
            with instance_action.event(self.db, context, instance_uuid,
                                       'conductor_schedule_and_build_instances',
                                       self.host) as step:
                host = self._schedule_and_claim(context, spec)
                step.details['host'] = host
        except Exception as error:
            LOG.info('Boot of %s failed: %s', instance_uuid, error)
            self.db.write(_boot_failed, instance_uuid, error)
            return
        self.compute_api.build_and_run_instance(context, host, instance_uuid)

    def _schedule_and_claim(self, context, spec: RequestSpec) -> str:
        """Claim the best host, its alternates, then schedule again: a boot
        only fails when the scheduler itself finds nothing."""
        request = claims.Resources.from_flavor(spec.flavor)
        last_error = None
        for _round in range(self.conf.scheduler.max_attempts):
            if _round:
                spec = self.db.read_rows(request_spec_mod.resolve, spec)
            selection = self.scheduler_api.select_destinations(context, spec)
            for host in [selection.host] + selection.alternates:
                try:
                    self.db.write(_claim_boot, spec, host,
                                  request)
                    return host
                except exception.InsufficientResources as error:
                    last_error = error
        raise exception.NoValidHost(
            reason='every chosen host was claimed by concurrent requests '
                   '(last: %s)' % last_error.format_message())

    # -- migrate -------------------------------------------------------------

    @messaging.expected_exceptions(exception.Invalid, exception.Conflict,
                                   exception.NotFound)
    def migrate_server(self, context, instance_uuid: str, request_spec: dict,
                       host: str | None = None, **options) -> str:
        """Choose (or, forced, check) the destination and claim it."""
        def read(session):
            return (request_spec_mod.resolve(session,
                                             RequestSpec.from_dict(request_spec)),
                    move_rows.server(session, instance_uuid))
        # No snapshot shared: the hosts a spec resolves to are hints the
        # scheduler weighs against host states it reads on its own, and
        # the claim reads the server again under its lock.
        spec, instance = self.db.read_statement(read)
        task = migrate.MigrationTask(
            self.db, self.scheduler_api, self.compute_api,
            max_attempts=self.conf.scheduler.max_attempts, host_name=self.host,
            context=context, instance=instance, spec=spec, host=host,
            force=options.get('force'), force_given='force' in options)
        return task.execute()

    # -- periodic ------------------------------------------------------------

    def clean_up_stuck_migrations(self) -> int:
        """Error out moves with no progress for [conductor] migration_timeout."""
        timeout = self.conf.conductor.migration_timeout
        cutoff = models.utcnow() - datetime.timedelta(seconds=timeout)
        stuck = self.db.read(lambda s: s.execute(
            sa.select(models.Migration.instance_uuid, models.Migration.uuid)
            .where(models.Migration.status.in_(states.MIGRATION_IN_PROGRESS),
                   models.Migration.last_progress_at < cutoff)).all())
        failed = 0
        for instance_uuid, migration_uuid in stuck:
            failed += self.db.write(_fail_stuck,
                                    instance_uuid, migration_uuid, timeout,
                                    self.host)
        return failed

    def release_abandoned_migrate_requests(self) -> int:
        """Clear resize_prep left by a migrate request no conductor took.

        The API sets task_state resize_prep, then calls a conductor. When no
        conductor ever handles that call (none running, the message expired,
        the API worker died), no migration exists and nothing else would
        clear the task_state: the server could never be acted on again.
        """
        age = 2 * self.conf.api.migrate_call_timeout
        cutoff = models.utcnow() - datetime.timedelta(seconds=age)
        return self.db.write(_release_abandoned, cutoff, age)


def _fail_stuck(session, instance_uuid, migration_uuid, timeout,
                host) -> int:
    """Fail one stuck move, if it still is once its row is locked: a step
    may have made progress since the periodic task looked."""
    instance, migration = migration_mod.load_pair(
        session, instance_uuid, migration_uuid, lock=True)
    cutoff = models.utcnow() - datetime.timedelta(seconds=timeout)
    if migration is None or \
            migration.status not in states.MIGRATION_IN_PROGRESS or \
            migration.last_progress_at is None or \
            migration.last_progress_at >= cutoff:
        return 0
    reason = stuck_reason(migration, timeout)
    if instance is not None:
        reason += '; the server stays on %s' % migration_mod.home_after_failure(
            instance, migration)
    LOG.warning('Migration %s of %s is stuck: %s', migration_uuid,
                migration.instance_uuid, reason)
    migration_mod.fail_migration(session, migration.instance_uuid,
                                 migration_uuid, reason,
                                 exception.MigratorException(reason), host)
    return 1


def stuck_reason(migration, timeout: int) -> str:
    """Which step of which host never came, in an operator's words."""
    done = migration.phase_times or {}
    source, dest = migration.source_compute, migration.dest_compute
    if migration.status == states.PRE_MIGRATING:
        step = ('the source %s never started the disk copy (resize_instance)'
                % source if 'prep_resize' in done else
                'the destination %s never prepared for it (prep_resize)' % dest)
    elif migration.status == states.MIGRATING:
        step = ('the source %s stopped copying the disk to %s at %d%% '
                '(resize_instance)' % (source, dest, migration.progress or 0))
    elif migration.status == states.POST_MIGRATING:
        step = ('the destination %s never started the server (finish_resize)'
                % dest)
    elif migration.status == states.CONFIRMING:
        step = ('the source %s never dropped its copy (confirm_resize)'
                % source)
    elif 'revert_resize' in done:
        step = ('the source %s never took the server back '
                '(finish_revert_resize)' % source)
    else:
        step = ('the destination %s never dropped its copy (revert_resize)'
                % dest)
    return 'no progress for %ds in status %s: %s' % (timeout, migration.status,
                                                      step)


def _release_abandoned(session, cutoff, age) -> int:
    moving = sa.select(models.Migration.instance_uuid).where(
        models.Migration.status.in_(states.MIGRATION_NOT_ENDED))
    abandoned = session.scalars(sa.select(models.Instance).where(
        models.Instance.task_state == states.RESIZE_PREP,
        models.Instance.updated_at < cutoff,
        models.Instance.uuid.not_in(moving))).all()
    for instance in abandoned:
        LOG.warning('Server %s was left in resize_prep for over %ds with no '
                    'migration: no conductor took the request; clearing it',
                    instance.uuid, age)
        instance.task_state = None
    return len(abandoned)


def check_group_policy(session, spec: RequestSpec, host: str) -> None:
    """Under the group's row lock, so that members booted at once (a
    multiple create) see where the others went: no placed member on
    ``host`` for anti-affinity, every placed member on it for affinity."""
    group_id = session.scalar(sa.select(models.ServerGroup.id)
                              .where(models.ServerGroup.uuid == spec.group_uuid)
                              .with_for_update())
    members = sa.select(models.ServerGroupMember.instance_uuid).where(
        models.ServerGroupMember.group_id == group_id)
    anti = spec.group_policy == 'anti-affinity'
    clash = session.execute(
        sa.select(models.Instance.uuid, models.Instance.host)
        .where(models.Instance.uuid.in_(members),
               models.Instance.uuid != spec.instance_uuid,
               models.Instance.host.is_not(None),
               (models.Instance.host == host) if anti
               else (models.Instance.host != host)).limit(1)).first()
    if clash is not None:
        where = 'took it first' if anti else 'is on %s' % clash.host
        raise exception.InsufficientResources(host=host, reason='server %s of %s group %s %s'
                                              % (clash.uuid, spec.group_policy,
                                                 spec.group_uuid, where))


def _claim_boot(session, spec, host, request):
    instance = instance_mod.get(session, spec.instance_uuid)
    if instance is None:
        raise exception.InstanceNotFound(instance_id=spec.instance_uuid)
    claims.claim(session, host, spec.instance_uuid, request)
    if spec.group_policy in ('affinity', 'anti-affinity'):
        check_group_policy(session, spec, host)
    instance.host = instance.node = host
    instance.task_state = states.SPAWNING


def _boot_failed(session, instance_uuid, error):
    instance = instance_mod.get(session, instance_uuid)
    if instance is None:
        return
    instance.vm_state = states.ERROR
    instance.task_state = None
    fault_mod.add_fault(session, instance_uuid, error, None)
