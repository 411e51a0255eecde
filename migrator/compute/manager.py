"""The compute RPC endpoint: one per (simulated) hypervisor host.

Every step of a move is a small transaction that checks the migration is
still in the status the step expects (a migration the conductor gave up on
is never resumed), and every failure goes through ``_fail_migration``,
which settles the claims where the server actually is.
"""

import datetime
import functools
import logging

import oslo_messaging as messaging
import sqlalchemy as sa
from oslo_utils import uuidutils

from migrator import context as migrator_context
from migrator import exception, notifications
from migrator.common import workers
from migrator.compute import claims, states
from migrator.compute import rpcapi as compute_rpcapi
from migrator.compute.driver import fake
from migrator.db import models
from migrator.objects import fault as fault_mod
from migrator.objects import instance as instance_mod
from migrator.objects import instance_action, move_rows
from migrator.objects import migration as migration_mod

LOG = logging.getLogger(__name__)


_Stale = move_rows.Stale


class ComputeManager:
    RPC_API_VERSION = '1.1'
    target = messaging.Target(version=RPC_API_VERSION)

    def __init__(self, conf, db, messaging_, host: str):
        self.conf = conf
        self.db = db
        self.messaging = messaging_
        self.host = host
        self.driver = fake.FakeDriver(conf, host)
        self.compute_api = compute_rpcapi.ComputeAPI(messaging_, conf)
        # Disk copies run on threads of their own, not the RPC server's: a
        # copy may take minutes, and the host's other requests (preps,
        # confirms, power actions) must not wait for one to end.
        self._copies = workers.Workers(conf.compute.max_concurrent_disk_copies,
                                       '%s-disk-copy' % host)

    def cleanup_host(self) -> None:
        """Once the RPC server has stopped: wait for the copies in hand
        (and those waiting for a thread), as the RPC server waits for its
        requests. A process that stops waiting (``Deployment.stop`` waits
        ten seconds) leaves them behind, and the conductor's clean-up ends
        their moves."""
        self._copies.shutdown()

    # -- start-up and periodic tasks ---------------------------------------

    def init_host(self, service_id: int) -> None:
        """Report this host's inventory (totals, reserved, ratios)."""
        self.db.write(self._update_inventory, service_id)

    def _update_inventory(self, session, service_id):
        c = self.conf.compute
        node = session.scalar(sa.select(models.ComputeNode)
                              .where(models.ComputeNode.host == self.host))
        if node is None:
            node = models.ComputeNode(
                uuid=uuidutils.generate_uuid(),
                host=self.host, vcpus_used=0, memory_mb_used=0,
                local_gb_used=0, generation=0)
            session.add(node)
        node.service_id = service_id
        node.vcpus = c.vcpus
        node.memory_mb = c.memory_mb
        node.local_gb = c.local_gb
        node.reserved_vcpus = c.reserved_host_cpus
        node.reserved_memory_mb = c.reserved_host_memory_mb
        node.reserved_disk_gb = -(-c.reserved_host_disk_mb // 1024)
        node.cpu_allocation_ratio = c.cpu_allocation_ratio
        node.ram_allocation_ratio = c.ram_allocation_ratio
        node.disk_allocation_ratio = c.disk_allocation_ratio
        node.generation = (node.generation or 0) + 1

    def periodic_tasks(self) -> list:
        tasks = []
        if self.conf.compute.resize_confirm_window:
            tasks.append((max(1, min(self.conf.compute.resize_confirm_window, 10)),
                          self.poll_unconfirmed_resizes))
        return tasks

    def poll_unconfirmed_resizes(self) -> int:
        """Confirm moves left in VERIFY_RESIZE past the confirm window."""
        window = self.conf.compute.resize_confirm_window
        cutoff = models.utcnow() - datetime.timedelta(seconds=window)
        context = migrator_context.get_admin_context()
        due = self.db.read(lambda s: s.execute(
            sa.select(models.Migration.uuid, models.Migration.instance_uuid,
                      models.Migration.source_compute)
            .where(models.Migration.dest_compute == self.host,
                   models.Migration.status == states.FINISHED,
                   models.Migration.updated_at < cutoff)).all())
        confirmed = 0
        for migration_uuid, instance_uuid, source in due:
            if self.db.write(migration_mod.start_confirm, migration_uuid):
                LOG.info('Auto-confirming migration %s of %s', migration_uuid,
                         instance_uuid)
                self.compute_api.confirm_resize(context, source, instance_uuid,
                                                migration_uuid)
                confirmed += 1
        return confirmed

    # -- boot and power ------------------------------------------------------

    def build_and_run_instance(self, context, instance_uuid):
        try:
            with instance_action.event(self.db, context, instance_uuid,
                                       'compute__do_build_and_run_instance',
                                       self.host) as step:
                instance = self.db.read(instance_mod.get, instance_uuid)
                if instance is None:
                    return
                self.driver.spawn(instance)
                self.db.write(step.ending(self._finish_build), instance_uuid)
        except Exception as error:
            LOG.warning('Build of %s failed on %s: %s', instance_uuid,
                        self.host, error)
            self.db.write(self._fail_build, instance_uuid, error)

    def _finish_build(self, session, instance_uuid):
        instance = instance_mod.get(session, instance_uuid)
        if instance is None:
            return
        instance.vm_state = states.ACTIVE
        instance.task_state = None
        instance.power_state = states.RUNNING
        instance.launched_at = models.utcnow()

    def _fail_build(self, session, instance_uuid, error):
        instance = instance_mod.get(session, instance_uuid)
        if instance is None:
            return
        claims.release(session, instance_uuid)
        # It runs nowhere now: no host, and no claim anywhere.
        instance.host = instance.node = None
        instance.vm_state = states.ERROR
        instance.task_state = None
        fault_mod.add_fault(session, instance_uuid, error, self.host)

    def stop_instance(self, context, instance_uuid):
        self._set_power(context, instance_uuid, 'compute_stop_instance',
                        states.STOPPED, states.SHUTDOWN)

    def start_instance(self, context, instance_uuid):
        self._set_power(context, instance_uuid, 'compute_start_instance',
                        states.ACTIVE, states.RUNNING)

    def reboot_instance(self, context, instance_uuid, reboot_type):
        """A simulated reboot: the server runs again at once (a hard one
        from any state tempest allows, so also from stopped or error)."""
        self._set_power(context, instance_uuid, 'compute_reboot_instance',
                        states.ACTIVE, states.RUNNING)

    def _set_power(self, context, instance_uuid, event, vm_state, power_state):
        def apply(session):
            instance = instance_mod.get(session, instance_uuid)
            if instance is not None:
                instance.vm_state = vm_state
                instance.power_state = power_state
                instance.task_state = None
        try:
            with instance_action.event(self.db, context, instance_uuid, event,
                                       self.host) as step:
                self.db.write(step.ending(apply))
        except Exception:
            LOG.exception('%s failed for %s', event, instance_uuid)

    # -- the move ------------------------------------------------------------

    def prep_resize(self, context, instance_uuid, migration_uuid):
        """Destination: get ready to receive the server."""
        def body(instance, migration, step):
            self.driver.prepare_for_migration(instance)
            self.db.write_rows(step.ending(_progress), migration_uuid,
                               'prep_resize', held=(instance, migration))
            return lambda: self.compute_api.resize_instance(
                context, migration.source_compute, instance_uuid, migration_uuid)
        self._step(context, instance_uuid, migration_uuid, 'compute_prep_resize',
                   'resize_prep', (states.PRE_MIGRATING,), body)

    def resize_instance(self, context, instance_uuid, migration_uuid):
        """Source: power off and copy the disk to the destination, on a
        thread of the host's copies (``[compute] max_concurrent_disk_copies``
        of them); the request's thread is free again at once."""
        self._copies.submit(self._copy_step, context, instance_uuid,
                            migration_uuid)

    def _copy_step(self, context, instance_uuid, migration_uuid):
        # Log lines of this thread carry the request's id, as the RPC
        # server's do.
        context.update_store()
        self._resize_instance(context, instance_uuid, migration_uuid)

    def _resize_instance(self, context, instance_uuid, migration_uuid):
        def body(instance, migration, step):
            disk_gb = claims.Resources.from_flavor(instance.flavor).disk_gb
            held = [instance, migration]

            def progress(percent):
                # 100% is written with the move to post-migrating, just after.
                # Each write hands back the migration as the next one holds it.
                if percent < 100:
                    held[1] = self.db.write_rows(_progress, migration_uuid, None,
                                                 percent, held=tuple(held))[1]
            self.driver.migrate_disk(instance, disk_gb, progress)
            self.db.write_rows(step.ending(_advance), instance_uuid,
                               migration_uuid, status=states.POST_MIGRATING,
                               task_state=states.RESIZE_MIGRATED, progress=100,
                               held=tuple(held))
            return lambda: self.compute_api.finish_resize(
                context, migration.dest_compute, instance_uuid, migration_uuid)
        self._step(context, instance_uuid, migration_uuid,
                   'compute_resize_instance', 'resize', (states.PRE_MIGRATING,),
                   body, begin=functools.partial(
                       _advance, status=states.MIGRATING,
                       task_state=states.RESIZE_MIGRATING,
                       power_state=states.SHUTDOWN))

    def finish_resize(self, context, instance_uuid, migration_uuid):
        """Destination: start the server here; it waits in VERIFY_RESIZE."""
        def body(instance, migration, step):
            self.driver.finish_migration(instance)
            self.db.write_rows(step.ending(self._finish_resize_done),
                               instance_uuid, migration_uuid,
                               migration.old_vm_state, held=(instance, migration))
        self._step(context, instance_uuid, migration_uuid,
                   'compute_finish_resize', 'resize_finish',
                   (states.POST_MIGRATING,), body, begin=functools.partial(
                       _advance, status=None, task_state=states.RESIZE_FINISH))

    def _finish_resize_done(self, session, instance_uuid, migration_uuid,
                            old_vm_state, held=None):
        return move_rows.change(
            session, instance_uuid, migration_uuid, (states.POST_MIGRATING,),
            held, status=states.FINISHED, instance_values={
                'host': self.host, 'node': self.host,
                'vm_state': states.RESIZED, 'task_state': None,
                # Running again if it ran, as the move's end will leave it.
                'power_state': migration_mod.restored_state(
                    old_vm_state)['power_state']})

    def confirm_resize(self, context, instance_uuid, migration_uuid):
        """Source: drop the old copy and the claim the migration held."""
        def body(instance, migration, step):
            self.driver.confirm_migration(instance)
            self.db.write_rows(step.ending(self._settle), instance_uuid,
                               migration_uuid, migration.dest_compute,
                               states.CONFIRMING, states.CONFIRMED,
                               migration.old_vm_state, held=(instance, migration))
        self._step(context, instance_uuid, migration_uuid,
                   'compute_confirm_resize', 'resize_confirm',
                   (states.CONFIRMING,), body)

    def revert_resize(self, context, instance_uuid, migration_uuid):
        """Destination: drop the new copy, then hand back to the source."""
        def body(instance, migration, step):
            self.driver.destroy_for_revert(instance)
            self.db.write_rows(step.ending(_progress), migration_uuid,
                               'revert_resize', held=(instance, migration))
            return lambda: self.compute_api.finish_revert_resize(
                context, migration.source_compute, instance_uuid, migration_uuid)
        self._step(context, instance_uuid, migration_uuid,
                   'compute_revert_resize', 'resize_revert',
                   (states.REVERTING,), body, end=False)

    def finish_revert_resize(self, context, instance_uuid, migration_uuid):
        """Source: the server runs here again, on the claim it always had."""
        def body(instance, migration, step):
            self.driver.finish_revert_migration(instance)
            self.db.write_rows(step.ending(self._settle), instance_uuid,
                               migration_uuid, migration.source_compute,
                               states.REVERTING, states.REVERTED,
                               migration.old_vm_state, held=(instance, migration))
        self._step(context, instance_uuid, migration_uuid,
                   'compute_finish_revert_resize', 'resize_revert',
                   (states.REVERTING,), body, start=False)

    @staticmethod
    def _settle(session, instance_uuid, migration_uuid, home, expected, status,
                old_vm_state, held=None):
        """The move ends with the server on ``home``, as it was before."""
        changed = move_rows.change(
            session, instance_uuid, migration_uuid, (expected,), held, status=status,
            instance_values=dict(migration_mod.restored_state(old_vm_state),
                                 host=home, node=home))
        claims.settle(session, instance_uuid, migration_uuid, home)
        return changed

    def _step(self, context, instance_uuid, migration_uuid, event, phase,
              expected, body, start=True, end=True, begin=None):
        """Run one step: notifications, instance action event, failure path.

        ``body`` may return the cast of the next step; it is sent after this
        step's end notification so that notifications arrive in order.
        ``begin``, for a step whose first act is a change of state, is that
        change (a ``Database.write`` function of the two uuids and
        ``expected``): it reads the rows the step works on as it changes
        them, so the step makes no read of its own, and the start
        notification tells of the state it set, as Nova's do.
        """
        try:
            if begin is None:
                # The two rows need no shared snapshot: the step's own
                # write locks what it changes and checks that the
                # migration still runs.
                instance, migration = self.db.read_statement(
                    move_rows.read, instance_uuid, migration_uuid, expected)
            else:
                instance, migration = self.db.write_rows(
                    begin, instance_uuid, migration_uuid, expected)
        except _Stale as stale:
            LOG.warning('Skipping %s of migration %s: %s', event,
                        migration_uuid, stale)
            return
        if start:
            notifications.notify(self.messaging, context, self._publisher,
                                 'instance.%s.start' % phase,
                                 lambda: notifications.instance_payload(
                                     instance, migration))
        try:
            with instance_action.event(self.db, context, instance_uuid, event,
                                       self.host) as step:
                next_step = body(instance, migration, step)
        except _Stale as stale:
            LOG.warning('Migration %s changed under %s: %s', migration_uuid,
                        event, stale)
            return
        except Exception as error:
            LOG.warning('%s of migration %s failed on %s: %s', event,
                        migration_uuid, self.host, error)
            self.fail_migration(context, instance_uuid, migration_uuid, phase,
                                error)
            return
        if end:
            def ended():
                # The step's last write hands back the rows it changed, as
                # committed; a write that changed only the migration leaves
                # the server as the step read it.
                if step.result is None:
                    return notifications.instance_payload(*self.db.read_rows(
                        move_rows.read, instance_uuid, migration_uuid))
                changed, moved = step.result
                return notifications.instance_payload(changed or instance, moved)
            notifications.notify(self.messaging, context, self._publisher,
                                 'instance.%s.end' % phase, ended)
        if next_step is not None:
            next_step()

    @property
    def _publisher(self) -> str:
        return 'migrator-compute:%s' % self.host

    def fail_migration(self, context, instance_uuid, migration_uuid, phase,
                       error):
        """Migration to error; the server keeps one claim, where it runs."""
        reason = '%s on %s failed: %s' % (phase, self.host,
                                          exception.describe(error))
        self.db.write(migration_mod.fail_migration, instance_uuid,
                      migration_uuid, reason, error, self.host)
        notifications.notify(self.messaging, context, self._publisher,
                             'instance.%s.error' % phase,
                             lambda: notifications.instance_payload(
                                 *self.db.read_rows(move_rows.read, instance_uuid,
                                                    migration_uuid), fault=reason),
                             error=True)


def _advance(session, instance_uuid, migration_uuid, expected=None, *,
             status, task_state, power_state=None, progress=None, held=None):
    """The migration to ``status`` (when given) and the server's task to
    ``task_state``; the pair as committed. ``held``: the pair as the step
    holds them (see ``move_rows.change``)."""
    values = {'task_state': task_state}
    if power_state is not None:
        values['power_state'] = power_state
    return move_rows.change(
        session, instance_uuid, migration_uuid, expected, held, status=status,
        instance_values=values,
        migration_values=None if progress is None else {'progress': progress})


def _progress(session, migration_uuid, phase=None, percent=None, held=None):
    """The migration's progress (a phase reached, a percentage copied);
    the server is neither read nor locked."""
    return move_rows.change(
        session, None, migration_uuid, held=held, phase=phase,
        migration_values=None if percent is None else {'progress': percent})
