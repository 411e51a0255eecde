"""MigrationTask: choose the destination, claim it, start the move.

Runs inside the API's RPC call, so the operator hears at once why a host
was refused. Everything before the cast to the destination is undone on
failure: the instance's task_state goes back to None and no claim remains.
"""

import logging

import sqlalchemy as sa
from oslo_utils import uuidutils

from migrator import exception
from migrator.compute import claims, states
from migrator.db import models
from migrator.objects import instance_action
from migrator.objects import migration as migration_mod
from migrator.objects.request_spec import RequestSpec

LOG = logging.getLogger(__name__)


class MigrationTask:
    def __init__(self, conductor, context, instance_uuid: str,
                 spec: RequestSpec, host: str | None, force: bool | None,
                 force_given: bool, instance):
        self.conductor = conductor
        self.db = conductor.db
        self.context = context
        self.instance_uuid = instance_uuid
        self.spec = spec
        self.host = host
        self.force = bool(force)
        self.force_given = force_given
        # Read by the caller with the request spec, in one transaction.
        self.instance = instance

    def execute(self) -> str:
        try:
            with instance_action.event(self.db, self.context, self.instance_uuid,
                                       'conductor_migrate_server',
                                       self.conductor.host) as step:
                migration_uuid, dest = self._choose_and_claim(step)
        except Exception:
            self.db.write(_clear_task_state, self.instance_uuid)
            raise
        self.conductor.compute_api.prep_resize(self.context, dest,
                                               self.instance_uuid,
                                               migration_uuid)
        return migration_uuid

    def _choose_and_claim(self, step) -> tuple[str, str]:
        instance = self.instance
        if instance is None:
            raise exception.InstanceNotFound(instance_id=self.instance_uuid)
        if instance.task_state != states.RESIZE_PREP:
            raise exception.InstanceStateChanged(
                instance_id=self.instance_uuid,
                state='task_state %s' % instance.task_state)
        source = instance.host
        request = claims.Resources.from_flavor(instance.flavor)
        step.details.update(requested_host=self.host, source=source,
                            force=self.force if self.force_given else 'not given')
        would_reject: list = []
        if self.force:
            candidates, would_reject = self._forced_destination(source)
            return self._claim_first(instance, source, request, [candidates],
                                     would_reject, step)
        # Targeted: one host, judged once. Untargeted: the best host and its
        # alternates, then the scheduler again, as many rounds as allowed.
        rounds = 1 if self.spec.requested_destination else \
            self.conductor.conf.scheduler.max_attempts
        return self._claim_first(instance, source, request,
                                 (self._scheduled() for _ in range(rounds)),
                                 would_reject, step)

    def _scheduled(self) -> list[str]:
        selection = self.conductor.scheduler_api.select_destinations(
            self.context, self.spec)
        return [selection.host] + selection.alternates

    def _claim_first(self, instance, source, request, candidate_rounds,
                     would_reject, step) -> tuple[str, str]:
        last_error = None
        for candidates in candidate_rounds:
            for dest in candidates:
                migration_uuid = uuidutils.generate_uuid()
                # Recorded with the claim, in its transaction.
                chosen = {'destination': dest, 'migration_uuid': migration_uuid}
                if would_reject:
                    chosen['forced_past'] = ['%s: %s' % f for f in would_reject]
                step.details.update(chosen)
                try:
                    self.db.write(step.ending(_claim), self.db.locks_rows,
                                  instance, source, dest, migration_uuid,
                                  request, self.force, would_reject,
                                  self.host, self.context)
                except exception.InsufficientResources as error:
                    LOG.info('Claim of %s on %s failed: %s', self.instance_uuid,
                             dest, error)
                    last_error = error
                    for key in chosen:
                        del step.details[key]
                    continue
                return migration_uuid, dest
        if self.force:
            raise last_error
        # The scheduler said the host fits; a concurrent claim got there first.
        raise exception.ClaimConflict(host=last_error.kwargs['host'],
                                      reason=last_error.kwargs['reason'])

    def _forced_destination(self, source: str):
        """Forced: no filters decide, but the host must exist, differ from
        the source and be up. Record which filters would have said no."""
        states_ = self.conductor.pipeline.hosts.get([self.host])
        if not states_:
            raise exception.ComputeHostNotFound(host=self.host)
        state = states_[0]
        if state.host == source:
            raise exception.UnableToMigrateToSelf()
        if not state.service_up:
            service = self.db.read(_get_service, self.host)
            raise exception.DestinationServiceDown(
                host=self.host,
                last_seen=service.last_seen_up.isoformat() + 'Z'
                if service and service.last_seen_up else 'never')
        return [state.host], self.conductor.pipeline.rejections(state, self.spec)


def _get_service(session, host):
    return session.scalar(sa.select(models.Service)
                          .where(models.Service.host == host,
                                 models.Service.binary == 'migrator-compute'))


def _claim(session, locks_rows, instance, source, dest, migration_uuid, request,
           forced, would_reject, requested_host, context):
    current = migration_mod.get_instance(session, instance.uuid)
    if current is None:
        raise exception.InstanceNotFound(instance_id=instance.uuid)
    if current.task_state != states.RESIZE_PREP or current.host != source:
        raise exception.InstanceStateChanged(
            instance_id=instance.uuid, state='task_state %s on %s' % (
                current.task_state, current.host))
    claims.claim_for_migration(session, locks_rows, instance.uuid,
                               migration_uuid, source, dest, request)
    now = models.utcnow()
    session.add(models.Migration(
        uuid=migration_uuid, instance_uuid=instance.uuid,
        project_id=current.project_id, user_id=current.user_id,
        source_compute=source, source_node=source, dest_compute=dest,
        dest_node=dest, dest_host='127.0.0.1',
        old_instance_type_id=current.flavor.get('id'),
        new_instance_type_id=current.flavor.get('id'),
        status=states.PRE_MIGRATING, migration_type='migration',
        requested_host=requested_host, forced=forced,
        forced_filter_failures=[{'filter': name, 'reason': reason}
                                for name, reason in would_reject],
        old_vm_state=current.vm_state,
        phase_times={states.PRE_MIGRATING: now.isoformat()},
        last_progress_at=now))


def _clear_task_state(session, instance_uuid):
    instance = migration_mod.get_instance(session, instance_uuid)
    if instance is not None and instance.task_state == states.RESIZE_PREP:
        instance.task_state = None
