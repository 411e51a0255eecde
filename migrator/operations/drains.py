"""Drains: taking a host down for maintenance.

A drain is a row and one item per server of the host. Starting one
disables the host's compute service with the reason, so nothing new lands
there; a conductor then moves the servers (``conductor/tasks/drain.py``)
with the same operations as any move. Previewing one asks the scheduler
where each server would go, each counting the ones before it.
"""

from __future__ import annotations

import dataclasses

import sqlalchemy as sa
from oslo_utils import uuidutils

from migrator import exception, notifications
from migrator.compute import states
from migrator.db import models
from migrator.objects import instance as instance_mod
from migrator.objects import request_spec
from migrator.objects import service as service_mod
from migrator.operations import moves

# A drain's status, and the statuses it ends in.
RUNNING, CANCELLING = 'running', 'cancelling'
COMPLETE, INCOMPLETE, CANCELLED = 'complete', 'incomplete', 'cancelled'
ACTIVE = (RUNNING, CANCELLING)
ENDED = (COMPLETE, INCOMPLETE, CANCELLED)

# Where each server of a drain stands.
PENDING, MOVING, VERIFYING, DONE = 'pending', 'moving', 'verifying', 'done'
FAILED, CANNOT_PLACE, SKIPPED = 'failed', 'cannot-place', 'skipped'
ITEM_STATUSES = (PENDING, MOVING, VERIFYING, DONE, FAILED, CANNOT_PLACE, SKIPPED)
# Settled: nothing more will happen to the server for this drain.
SETTLED = (DONE, FAILED, CANNOT_PLACE, SKIPPED)


@dataclasses.dataclass(frozen=True)
class DrainOptions:
    """Where the servers may go, and which of them move how."""
    hosts: list | None = None  # only these destinations
    aggregate: str | None = None  # only hosts of this aggregate (its name)
    zone: str | None = None  # only hosts of this availability zone
    exclude_hosts: list = dataclasses.field(default_factory=list)
    include_stopped: bool = True
    force_servers: list = dataclasses.field(default_factory=list)  # server uuids

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, values: dict) -> DrainOptions:
        return cls(**values)


@dataclasses.dataclass(frozen=True)
class PlannedMove:
    """Where a drain's preview would send one server, or why nowhere."""
    server: models.Instance
    destination: str | None
    reason: str | None
    forced: bool


@dataclasses.dataclass(frozen=True)
class DrainView:
    """A drain with its items, and the records of their current moves."""
    drain: models.Drain
    items: list
    migrations: dict  # migration uuid -> Migration

    @property
    def counts(self) -> dict:
        found = dict.fromkeys(ITEM_STATUSES, 0)
        for item in self.items:
            found[item.status] += 1
        return found

    @property
    def progress(self) -> int:
        """Servers settled (or waiting only for a confirm), as a percentage."""
        if not self.items:
            return 100
        done = sum(1 for i in self.items
                   if i.status in SETTLED or (i.status == VERIFYING
                                              and not self.drain.confirm))
        return done * 100 // len(self.items)


def allowed_hosts(session, options: DrainOptions, default_az: str) -> list | None:
    """The destinations ``options`` allow (None: any host), from the
    aggregates and zones as they are now."""
    allowed = None
    if options.hosts:
        allowed = set(options.hosts)
    if options.aggregate:
        members = set(session.scalars(
            sa.select(models.AggregateHost.host)
            .join(models.Aggregate,
                  models.Aggregate.id == models.AggregateHost.aggregate_id)
            .where(models.Aggregate.name == options.aggregate)))
        allowed = members if allowed is None else allowed & members
    if options.zone:
        nodes = session.scalars(sa.select(models.ComputeNode.host)).all()
        zones = service_mod.zones(session, nodes)
        members = {h for h in nodes if zones.get(h, default_az) == options.zone}
        allowed = members if allowed is None else allowed & members
    return sorted(allowed) if allowed is not None else None


def servers_on(session, host: str) -> list[models.Instance]:
    """The servers of ``host``, largest first (they are the hardest to place)."""
    found = list(session.scalars(sa.select(models.Instance)
                                 .where(models.Instance.host == host)))
    return sorted(found, key=lambda i: (-int(i.flavor.get('memory_mb', 0)),
                                        -int(i.flavor.get('vcpus', 0)), i.id))


def movable_refusal(instance, options: DrainOptions) -> str | None:
    """Why a drain leaves this server where it is, if it does."""
    if instance.vm_state == states.STOPPED and not options.include_stopped:
        return 'stopped, and the drain was asked to skip stopped servers'
    try:
        moves.check_movable(instance)
    except exception.MigratorException as error:
        return error.format_message()
    return None


class Drains:
    def __init__(self, conf, db, scheduler_api, messaging):
        self.conf = conf
        self.db = db
        self.scheduler_api = scheduler_api
        self.messaging = messaging

    # -- the preview ---------------------------------------------------------

    def plan(self, ctx, host: str, options: DrainOptions) -> list[PlannedMove]:
        """Where each server of ``host`` would go now, each counting the ones
        before it (a preview: destinations are chosen again when the moves
        start), or why it cannot go anywhere."""
        servers, specs = self.db.read(self._plan_specs, host, options)
        forced = [s.uuid for s in servers if s.uuid in options.force_servers]
        placements = {}
        if specs:
            found = self.scheduler_api.plan_moves(ctx, list(specs.values()), forced)
            if found is None:
                raise exception.ServiceUnavailable(
                    reason='the scheduler is pinned below RPC 1.1 ([upgrade_levels] '
                           'scheduler) and cannot plan moves')
            placements = {p.instance_uuid: p for p in found}
        planned = []
        for server in servers:
            placement = placements.get(server.uuid)
            if placement is None:
                planned.append(PlannedMove(server, None, movable_refusal(
                    server, options), False))
            else:
                planned.append(PlannedMove(server, placement.host, placement.reason,
                                           server.uuid in forced))
        return planned

    def _plan_specs(self, session, host, options):
        self._check_host(session, host)
        allowed = allowed_hosts(session, options, self.conf.default_availability_zone)
        servers = servers_on(session, host)
        specs = {}
        for server in servers:
            if movable_refusal(server, options) is not None:
                continue
            spec = request_spec.for_move(
                server, instance_mod.group_of(session, server.uuid), None, False,
                self.conf.allow_resize_to_same_host)
            spec.ignore_hosts = sorted({host} | set(options.exclude_hosts))
            spec.allowed_hosts = allowed
            specs[server.uuid] = request_spec.resolve(session, spec)
        return servers, specs

    @staticmethod
    def _check_host(session, host) -> models.Service:
        service = service_mod.compute_service(session, host)
        if service is None:
            raise exception.ComputeHostNotFound(host=host)
        return service

    def forced_destination(self, ctx, instance, avoid: list,
                           allowed: list | None) -> str:
        """Where a server the drain forces goes now: the best host a forced
        move would be accepted on (the filters force goes past aside)."""
        def spec_of(session):
            spec = request_spec.for_move(
                instance, instance_mod.group_of(session, instance.uuid), None, True,
                self.conf.allow_resize_to_same_host)
            spec.ignore_hosts = list(avoid)
            spec.allowed_hosts = allowed
            return request_spec.resolve(session, spec)
        found = self.scheduler_api.plan_moves(ctx, [self.db.read(spec_of)],
                                              [instance.uuid])
        if found is None:
            raise exception.ServiceUnavailable(
                reason='the scheduler is pinned below RPC 1.1 ([upgrade_levels] '
                       'scheduler) and cannot plan moves')
        (placement,) = found
        if placement.host is None:
            raise exception.NoValidHost(reason=placement.reason)
        return placement.host

    # -- running one ---------------------------------------------------------

    def start(self, ctx, host: str, options: DrainOptions, reason: str,
              max_parallel: int, confirm: bool, max_attempts: int) -> DrainView:
        """Disable ``host`` with ``reason`` and record a drain of every
        server on it; a conductor takes it from there."""
        view = self.db.write(self._start, ctx, host, options, reason, max_parallel,
                             confirm, max_attempts)
        self._notify(ctx, 'drain.start', view)
        return view

    def _start(self, session, ctx, host, options, reason, max_parallel, confirm,
               max_attempts):
        service = self._check_host(session, host)
        running = session.scalar(sa.select(models.Drain.uuid).where(
            models.Drain.host == host, models.Drain.status.in_(ACTIVE)))
        if running is not None:
            raise exception.Conflict(reason='host %s is already being drained '
                                     '(drain %s); cancel it or wait for it to '
                                     'end' % (host, running))
        for server in options.force_servers:
            if instance_mod.get(session, server) is None:
                raise exception.Invalid('force_servers names %s, which is not a '
                                        'server' % server)
        drain = models.Drain(
            uuid=uuidutils.generate_uuid(), host=host, status=RUNNING,
            reason=reason, max_parallel=max_parallel, max_attempts=max_attempts,
            confirm=confirm, abort_on_cancel=False, options=options.to_dict(),
            project_id=ctx.project_id, user_id=ctx.user_id,
            request_id=ctx.request_id)
        session.add(drain)
        session.flush()
        items = [models.DrainItem(drain_id=drain.id, instance_uuid=server.uuid,
                                  status=PENDING, attempts=0, tried_hosts=[])
                 for server in servers_on(session, host)]
        session.add_all(items)
        # Nothing new lands on the host from here on.
        service.disabled = True
        service.disabled_reason = ('drain %s: %s' % (drain.uuid, reason))[:255]
        session.flush()
        return DrainView(drain, items, {})

    def list(self, host: str | None = None, status: str | None = None) -> list:
        """Drains, newest first."""
        stmt = sa.select(models.Drain).order_by(models.Drain.id.desc())
        if host is not None:
            stmt = stmt.where(models.Drain.host == host)
        if status is not None:
            stmt = stmt.where(models.Drain.status == status)

        def run(session):
            drains = list(session.scalars(stmt))
            items = {}
            for item in session.scalars(sa.select(models.DrainItem).where(
                    models.DrainItem.drain_id.in_([d.id for d in drains]))):
                items.setdefault(item.drain_id, []).append(item)
            return [DrainView(d, items.get(d.id, []), {}) for d in drains]
        return self.db.read(run)

    def get(self, drain_uuid: str) -> DrainView:
        return self.db.read(load, drain_uuid)

    def cancel(self, ctx, drain_uuid: str, abort_moves: bool) -> DrainView:
        """No new move starts; moves under way finish, or are aborted too."""
        def cancel(session):
            view = load(session, drain_uuid, lock=True)
            if view.drain.status in ENDED:
                raise exception.Conflict(reason='drain %s has already ended (%s)'
                                         % (drain_uuid, view.drain.status))
            view.drain.status = CANCELLING
            view.drain.abort_on_cancel = view.drain.abort_on_cancel or abort_moves
            return view
        return self.db.write(cancel)

    def _notify(self, ctx, event_type: str, view: DrainView) -> None:
        notifications.notify(self.messaging, ctx, 'migrator-api', event_type,
                             drain_payload(view))


def _drain(session, drain_uuid: str, lock: bool = False) -> models.Drain:
    stmt = sa.select(models.Drain).where(models.Drain.uuid == drain_uuid)
    drain = (session.scalar(stmt.with_for_update() if lock else stmt)
             if uuidutils.is_uuid_like(drain_uuid) else None)
    if drain is None:
        raise exception.DrainNotFound(drain_id=drain_uuid)
    return drain


def load_states(session, drain_uuid: str) -> tuple:
    """A drain and its items' status, server and reason, without the
    migrations they point at: what deciding whether it is done reads."""
    drain = _drain(session, drain_uuid)
    item = models.DrainItem
    return drain, session.execute(
        sa.select(item.status, item.instance_uuid, item.reason)
        .where(item.drain_id == drain.id).order_by(item.id)).all()


def load(session, drain_uuid: str, lock: bool = False) -> DrainView:
    """A drain with its items and the migrations they point at."""
    drain = _drain(session, drain_uuid, lock)
    items = list(session.scalars(sa.select(models.DrainItem)
                                 .where(models.DrainItem.drain_id == drain.id)
                                 .order_by(models.DrainItem.id)))
    uuids = [i.migration_uuid for i in items if i.migration_uuid]
    migrations = {m.uuid: m for m in session.scalars(
        sa.select(models.Migration).where(models.Migration.uuid.in_(uuids)))}
    return DrainView(drain, items, migrations)


def drain_payload(view: DrainView) -> dict:
    drain = view.drain
    return {'migrator_object.name': 'DrainPayload',
            'migrator_object.version': '1.0',
            'migrator_object.data': {
                'uuid': drain.uuid, 'host': drain.host, 'status': drain.status,
                'reason': drain.reason, 'message': drain.message,
                'counts': view.counts, 'progress': view.progress}}
