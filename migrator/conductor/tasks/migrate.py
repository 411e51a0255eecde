"""MigrationTask: choose the destination, claim it, start the move.

Runs inside the API's RPC call, so the operator hears at once why a host
was refused. Everything before the cast to the destination is undone on
failure: the instance's task_state goes back to None and no claim remains.

The checks that hold whatever the filters say (the host exists, is not the
source, is up) were made by the operations layer before this task was
asked (``operations.moves``); the claim checks capacity under the node
lock.
"""

import logging

from oslo_utils import uuidutils

from migrator import exception
from migrator.compute import claims, states
from migrator.db import models
from migrator.objects import instance as instance_mod
from migrator.objects import instance_action, move_rows
from migrator.objects.request_spec import RequestSpec

LOG = logging.getLogger(__name__)


class MigrationTask:
    """One migrate request. ``db``, ``scheduler_api`` and ``compute_api``
    are the conductor's; ``max_attempts`` bounds the scheduler rounds of an
    untargeted move; ``host_name`` is the conductor's, for its event."""

    def __init__(self, db, scheduler_api, compute_api, *, max_attempts: int,
                 host_name: str, context, instance, spec: RequestSpec,
                 host: str | None, force: bool | None, force_given: bool):
        self.db = db
        self.scheduler_api = scheduler_api
        self.compute_api = compute_api
        self.max_attempts = max_attempts
        self.host_name = host_name
        self.context = context
        self.instance = instance
        self.instance_uuid = spec.instance_uuid
        self.spec = spec
        self.host = host
        self.force = bool(force)
        self.force_given = force_given

    def execute(self) -> str:
        try:
            with instance_action.event(self.db, self.context, self.instance_uuid,
                                       'conductor_migrate_server',
                                       self.host_name) as step:
                migration_uuid, dest = self._choose_and_claim(step)
        except Exception:
            self.db.write(_clear_task_state, self.instance_uuid)
            raise
        self.compute_api.prep_resize(self.context, dest, self.instance_uuid,
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
        if self.force:
            return self._claim_first(instance, source, request, [[self.host]],
                                     self._forced_past(), step)
        # Targeted: one host, judged once. Untargeted: the best host and its
        # alternates, then the scheduler again, as many rounds as allowed.
        rounds = 1 if self.spec.requested_destination else self.max_attempts
        return self._claim_first(instance, source, request,
                                 (self._scheduled() for _ in range(rounds)),
                                 [], step)

    def _scheduled(self) -> list[str]:
        selection = self.scheduler_api.select_destinations(self.context,
                                                           self.spec)
        return [selection.host] + selection.alternates

    def _forced_past(self) -> list | None:
        """The filters that refuse the forced host, as the scheduler's own
        filter set judges it; None when the scheduler cannot be asked."""
        judged = self.scheduler_api.judge_hosts(self.context, self.spec,
                                                [self.host])
        if judged is None:
            return None
        found = judged.get(self.host)
        return list(found.refusals) if found is not None else []

    def _claim_first(self, instance, source, request, candidate_rounds,
                     forced_past, step) -> tuple[str, str]:
        last_error = None
        for candidates in candidate_rounds:
            for dest in candidates:
                migration_uuid = uuidutils.generate_uuid()
                # Recorded with the claim, in its transaction.
                chosen = {'destination': dest, 'migration_uuid': migration_uuid}
                if forced_past:
                    chosen['forced_past'] = [str(v) for v in forced_past]
                step.details.update(chosen)
                try:
                    self.db.write_rows(step.ending(_claim), instance, source,
                                       dest, migration_uuid, request, self.force,
                                       forced_past, self.host, self.context)
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


def _claim(session, instance, source, dest, migration_uuid, request, forced,
           forced_past, requested_host, context):
    current = move_rows.server(session, instance.uuid)
    if current is None:
        raise exception.InstanceNotFound(instance_id=instance.uuid)
    if current.task_state != states.RESIZE_PREP or current.host != source:
        raise exception.InstanceStateChanged(
            instance_id=instance.uuid, state='task_state %s on %s' % (
                current.task_state, current.host))
    claims.claim_for_migration(session, instance.uuid, migration_uuid, source,
                               dest, request)
    now = models.utcnow()
    move_rows.add_migration(
        session, uuid=migration_uuid, instance_uuid=instance.uuid,
        project_id=current.project_id, user_id=current.user_id,
        source_compute=source, source_node=source, dest_compute=dest,
        dest_node=dest, dest_host='127.0.0.1',
        old_instance_type_id=current.flavor.get('id'),
        new_instance_type_id=current.flavor.get('id'),
        status=states.PRE_MIGRATING, migration_type='migration',
        requested_host=requested_host, forced=forced,
        forced_filter_failures=(None if forced_past is None else
                                [{'filter': v.check, 'reason': v.reason}
                                 for v in forced_past]),
        old_vm_state=current.vm_state,
        phase_times={states.PRE_MIGRATING: now.isoformat()},
        last_progress_at=now, created_at=now)


def _clear_task_state(session, instance_uuid):
    instance = instance_mod.get(session, instance_uuid)
    if instance is not None and instance.task_state == states.RESIZE_PREP:
        instance.task_state = None
