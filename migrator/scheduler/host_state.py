"""Immutable snapshots of hosts, read in one query, for the filters."""

import dataclasses
import datetime

import sqlalchemy as sa
from sqlalchemy import orm

from migrator.compute import claims
from migrator.db import models


@dataclasses.dataclass(frozen=True)
class HostState:
    host: str
    node_uuid: str
    service_disabled: bool
    disabled_reason: str | None
    service_up: bool
    availability_zone: str
    aggregate_metadata: dict  # key -> frozenset of values
    vcpus: int
    memory_mb: int
    local_gb: int
    free: dict  # resource class -> amount free
    capacity: dict  # resource class -> (total - reserved) * ratio
    ratios: dict  # resource class -> allocation ratio
    num_instances: int = 0


def service_is_up(service, down_time: int, now: datetime.datetime | None = None) -> bool:
    """Up: heartbeat within ``down_time`` seconds and not forced down."""
    if service is None or service.forced_down or service.last_seen_up is None:
        return False
    now = now or models.utcnow()
    return (now - service.last_seen_up).total_seconds() <= down_time


def _free_column(resource_class: str, sqlite: bool):
    """``claims.free`` as a SQL expression: floor of (total - reserved) *
    ratio, never below 0, minus used."""
    total, reserved, ratio, used = (getattr(models.ComputeNode, c)
                                    for c in claims._COLUMNS[resource_class])
    raw = (total - reserved) * ratio + 1e-9
    # SQLite's CAST truncates (floor, for what is not negative); PostgreSQL's
    # and MySQL's round, so they get floor().
    capacity = sa.cast(raw, sa.Integer) if sqlite else sa.func.floor(raw)
    return sa.case((raw < 0, 0), else_=capacity) - used


class HostStateReader:
    """Reads HostStates from the database (the scheduler keeps no cache)."""

    def __init__(self, db, conf):
        self.db = db
        self.down_time = conf.service_down_time
        self.default_az = conf.default_availability_zone

    def _query(self, session: orm.Session, hosts=None, request=None,
               node_ids=None):
        stmt = (sa.select(models.ComputeNode, models.Service)
                .join(models.Service,
                      models.Service.id == models.ComputeNode.service_id,
                      isouter=True)
                .options(orm.lazyload(models.ComputeNode.service)))
        if hosts is not None:
            stmt = stmt.where(models.ComputeNode.host.in_(hosts))
        if node_ids is not None:
            stmt = stmt.where(models.ComputeNode.id.in_(node_ids))
        if request is not None:
            # Capacity pre-filter in SQL; CapacityFilter still explains misses.
            for rc in claims.RESOURCE_CLASSES:
                wanted = request.amount(rc)
                if not wanted:
                    continue
                total, reserved, ratio, used = claims._COLUMNS[rc]
                node = models.ComputeNode
                stmt = stmt.where(
                    (getattr(node, total) - getattr(node, reserved))
                    * getattr(node, ratio) - getattr(node, used) >= wanted)
        return session.execute(stmt).all()

    def _aggregates(self, session: orm.Session, hosts) -> dict:
        stmt = (sa.select(models.AggregateHost.host, models.AggregateMetadata.key,
                          models.AggregateMetadata.value)
                .join(models.AggregateMetadata,
                      models.AggregateMetadata.aggregate_id
                      == models.AggregateHost.aggregate_id))
        if hosts is not None:
            stmt = stmt.where(models.AggregateHost.host.in_(hosts))
        result: dict = {}
        for host, key, value in session.execute(stmt):
            result.setdefault(host, {}).setdefault(key, set()).add(value)
        return result

    def get(self, hosts: list[str] | None = None,
            prefilter: claims.Resources | None = None) -> list[HostState]:
        """States of ``hosts`` (all when None), optionally only those with
        room for ``prefilter``."""
        def read(session):
            rows = self._query(session, hosts, prefilter)
            agg_hosts = hosts
            if hosts is None and rows and len(rows) < 500:
                agg_hosts = [node.host for node, _ in rows]
            return rows, self._aggregates(session, agg_hosts)
        # Database.read retries a lost connection, as every read here should.
        rows, aggregates = self.db.read(read)
        now = models.utcnow()
        return [self._build(node, service, aggregates.get(node.host, {}), now)
                for node, service in rows]

    def ranked(self, request: claims.Resources, ignore_hosts: list[str],
               weighers: list, limit: int) -> list[tuple[float, HostState]]:
        """The ``limit`` best hosts that are up, enabled and have room for
        ``request``, weighed in SQL exactly as ``weights.weigh`` would weigh
        all of them (each free amount normalised over the candidates), so
        only ``limit`` rows leave the database."""
        def read(session):
            top = session.execute(self._ranked_query(
                session, request, ignore_hosts, weighers, limit)).all()
            if not top:
                return top, [], {}
            rows = self._query(session, node_ids=[node_id for node_id, _ in top])
            return top, rows, self._aggregates(session, [n.host for n, _ in rows])
        top, rows, aggregates = self.db.read(read)
        if not top:
            return []
        now = models.utcnow()
        states = {node.id: self._build(node, service,
                                       aggregates.get(node.host, {}), now)
                  for node, service in rows}
        return [(weight, states[node_id]) for node_id, weight in top
                if node_id in states]

    def _ranked_query(self, session, request, ignore_hosts, weighers, limit):
        node, service = models.ComputeNode, models.Service
        sqlite = session.get_bind().dialect.name == 'sqlite'
        free = {rc: _free_column(rc, sqlite) for rc in claims.RESOURCE_CLASSES}
        cutoff = models.utcnow() - datetime.timedelta(seconds=self.down_time)
        candidates = (
            sa.select(node.id.label('id'),
                      *[free[rc].label(rc) for rc in claims.RESOURCE_CLASSES])
            .join(service, service.id == node.service_id)
            .where(service.disabled.is_(False), service.forced_down.is_(False),
                   service.last_seen_up >= cutoff))
        for rc in claims.RESOURCE_CLASSES:
            if request.amount(rc):
                candidates = candidates.where(free[rc] >= request.amount(rc))
        if ignore_hosts:
            candidates = candidates.where(node.host.not_in(ignore_hosts))
        candidates = candidates.cte('candidates')
        weighed = [w for w in weighers if w.multiplier]
        bounds = sa.select(*[
            column for i, w in enumerate(weighed) for column in (
                sa.func.min(candidates.c[w.resource_class]).label('lo%d' % i),
                sa.func.max(candidates.c[w.resource_class]).label('hi%d' % i))
        ]).cte('bounds')
        weight = sa.literal(0.0)
        for i, w in enumerate(weighed):
            low, high = bounds.c['lo%d' % i], bounds.c['hi%d' % i]
            weight = weight + w.multiplier * sa.case(
                (high > low, (candidates.c[w.resource_class] - low) * 1.0
                 / (high - low)), else_=0.0)
        return (sa.select(candidates.c.id, weight.label('weight'))
                .select_from(candidates.join(bounds, sa.true()))
                .order_by(weight.desc(), candidates.c.id).limit(limit))

    def count(self) -> int:
        return self.db.read(lambda session: session.scalar(
            sa.select(sa.func.count(models.ComputeNode.id))))

    def _build(self, node, service, metadata, now) -> HostState:
        zones = metadata.get('availability_zone')
        zone = ','.join(sorted(zones)) if zones else self.default_az
        return HostState(
            host=node.host, node_uuid=node.uuid,
            service_disabled=bool(service and service.disabled),
            disabled_reason=service.disabled_reason if service else None,
            service_up=service_is_up(service, self.down_time, now),
            availability_zone=zone,
            aggregate_metadata={k: frozenset(v) for k, v in metadata.items()},
            vcpus=node.vcpus, memory_mb=node.memory_mb, local_gb=node.local_gb,
            free={rc: claims.free(node, rc) for rc in claims.RESOURCE_CLASSES},
            capacity={rc: claims.capacity(node, rc)
                      for rc in claims.RESOURCE_CLASSES},
            ratios={rc: claims.ratio(node, rc) for rc in claims.RESOURCE_CLASSES},
        )
