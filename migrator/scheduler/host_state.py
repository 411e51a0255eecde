"""Immutable snapshots of hosts, read in one query, for the filters."""

import dataclasses
import datetime

import sqlalchemy as sa
from sqlalchemy import orm

from migrator.compute import claims
from migrator.db import models
from migrator.objects import service as service_mod


@dataclasses.dataclass(frozen=True)
class HostState:
    host: str
    node_uuid: str
    service_disabled: bool
    disabled_reason: str | None
    service_up: bool
    last_seen_up: datetime.datetime | None
    availability_zone: str
    aggregate_metadata: dict  # key -> frozenset of values
    inventories: dict  # resource class -> claims.Inventory


def _states_statement():
    """What a HostState holds, of every host; ``HostStateReader._build``
    unpacks its rows by position: keep the two in step."""
    node, service = models.ComputeNode, models.Service
    inventory = [getattr(node, name) for rc in claims.RESOURCE_CLASSES
                 for name in dataclasses.astuple(claims.COLUMNS[rc])]
    return (sa.select(node.id, node.uuid, node.host, *inventory,
                      service.disabled.label('service_disabled'),
                      service.disabled_reason, service.forced_down,
                      service.last_seen_up)
            .join(service, service.id == node.service_id, isouter=True))


# Built once: a targeted move reads its one host with them.
_STATES = _states_statement()
_STATES_OF_HOSTS = _STATES.where(models.ComputeNode.host.in_(
    sa.bindparam('b_hosts', expanding=True)))
_AGGREGATES = (sa.select(models.AggregateHost.host, models.AggregateMetadata.key,
                         models.AggregateMetadata.value)
               .join(models.AggregateMetadata, models.AggregateMetadata.aggregate_id
                     == models.AggregateHost.aggregate_id))
_AGGREGATES_OF_HOSTS = _AGGREGATES.where(models.AggregateHost.host.in_(
    sa.bindparam('b_hosts', expanding=True)))


class HostStateReader:
    """Reads HostStates from the database (the scheduler keeps no cache)."""

    def __init__(self, db, conf):
        self.db = db
        self.down_time = conf.service_down_time
        self.default_az = conf.default_availability_zone

    def _query(self, session: orm.Session, hosts=None, request=None,
               node_ids=None):
        """Rows of what a HostState holds: one Core query (no ORM objects,
        which cost more than the SQL at ten thousand hosts)."""
        node = models.ComputeNode
        if hosts is not None and node_ids is None and request is None:
            # A targeted move's one host: the statement built once.
            return session.connection().execute(_STATES_OF_HOSTS,
                                                {'b_hosts': hosts}).all()
        stmt = _STATES
        if hosts is not None:
            stmt = stmt.where(node.host.in_(hosts))
        if node_ids is not None:
            stmt = stmt.where(node.id.in_(node_ids))
        if request is not None:
            # Capacity pre-filter in SQL; CapacityFilter still explains misses.
            dialect = session.connection().dialect.name
            for rc in claims.RESOURCE_CLASSES:
                if request.amount(rc):
                    stmt = stmt.where(claims.free_expression(rc, dialect)
                                      >= request.amount(rc))
        return session.connection().execute(stmt).all()

    def _aggregates(self, session: orm.Session, hosts) -> dict:
        connection = session.connection()
        rows = (connection.execute(_AGGREGATES) if hosts is None else
                connection.execute(_AGGREGATES_OF_HOSTS, {'b_hosts': hosts}))
        result: dict = {}
        for host, key, value in rows:
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
                agg_hosts = [row.host for row in rows]
            return rows, self._aggregates(session, agg_hosts)
        # Read without a snapshot of their own: what a host's aggregates
        # say and what its node row says are each read at one moment, and
        # the claim checks the capacity again under its lock.
        rows, aggregates = self.db.read_statement(read)
        now = models.utcnow()
        return [self._build(row, aggregates.get(row.host, {}), now) for row in rows]

    def ranked(self, request: claims.Resources, ignore_hosts: list[str],
               weighers: list, limit: int,
               allowed_hosts: list[str] | None = None) -> list[tuple[float, HostState]]:
        """The ``limit`` best hosts that are up, enabled and have room for
        ``request``, weighed in SQL exactly as ``weights.weigh`` would weigh
        all of them (each free amount normalised over the candidates), so
        only ``limit`` rows leave the database."""
        def read(session):
            top = session.execute(self._ranked_query(
                session, request, ignore_hosts, weighers, limit,
                allowed_hosts)).all()
            if not top:
                return top, [], {}
            rows = self._query(session, node_ids=[node_id for node_id, _ in top])
            return top, rows, self._aggregates(session, [r.host for r in rows])
        top, rows, aggregates = self.db.read(read)
        if not top:
            return []
        now = models.utcnow()
        states = {row.id: self._build(row, aggregates.get(row.host, {}), now)
                  for row in rows}
        return [(weight, states[node_id]) for node_id, weight in top
                if node_id in states]

    def judged(self, request: claims.Resources,
               hosts: list[str] | None = None) -> list:
        """What ComputeFilter and CapacityFilter say of every host (of
        ``hosts`` when given), in one query and without a HostState: rows
        of (host, passes, free amount of every resource class in
        ``RESOURCE_CLASSES`` order). ``passes``: the host's service is
        registered, enabled and up, and ``request`` fits what is free
        (``claims.free_expression``), as ``ranked``'s candidates. At ten
        thousand hosts the rows cost less than the objects."""
        def read(session):
            node, service = models.ComputeNode, models.Service
            dialect = session.get_bind().dialect.name
            passes = self._passes(service, request, dialect)
            stmt = (sa.select(node.host, sa.case((passes, 1), else_=0), *[
                claims.free_expression(rc, dialect)
                for rc in claims.RESOURCE_CLASSES])
                .join(service, service.id == node.service_id, isouter=True))
            if hosts is not None:
                stmt = stmt.where(node.host.in_(hosts))
            # Core, not the ORM: its result is rows without objects.
            return session.connection().execute(stmt).all()
        return self.db.read(read)

    def _passes(self, service, request: claims.Resources, dialect: str):
        """ComputeFilter's and CapacityFilter's tests as one SQL condition:
        the service is enabled and heard from (``service_mod.heard_from``),
        and ``request`` fits what is free."""
        cutoff = models.utcnow() - datetime.timedelta(seconds=self.down_time)
        return sa.and_(service.disabled.is_(False), service.forced_down.is_(False),
                       service.last_seen_up >= cutoff, *[
                           claims.free_expression(rc, dialect) >= request.amount(rc)
                           for rc in claims.RESOURCE_CLASSES if request.amount(rc)])

    def _ranked_query(self, session, request, ignore_hosts, weighers, limit,
                      allowed_hosts=None):
        node, service = models.ComputeNode, models.Service
        dialect = session.get_bind().dialect.name
        candidates = (
            sa.select(node.id.label('id'), *[
                claims.free_expression(rc, dialect).label(rc)
                for rc in claims.RESOURCE_CLASSES])
            .join(service, service.id == node.service_id)
            .where(self._passes(service, request, dialect)))
        if ignore_hosts:
            candidates = candidates.where(node.host.not_in(ignore_hosts))
        if allowed_hosts is not None:
            candidates = candidates.where(node.host.in_(allowed_hosts))
        candidates = candidates.cte('candidates')
        weighed = [w for w in weighers if w.multiplier]
        # A constant column: with no weigher the bounds are still a row.
        bounds = sa.select(sa.literal(0).label('none'), *[
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

    def _build(self, row, metadata, now) -> HostState:
        # Unpacked by position, in _query's column order: at ten thousand
        # hosts, a Row's attribute look-ups cost more than the SQL.
        (_id, node_uuid, host, *values, service_disabled, disabled_reason,
         forced_down, last_seen_up) = row
        zones = metadata.get(service_mod.AZ_KEY)
        zone = ','.join(sorted(zones)) if zones else self.default_az
        registered = service_disabled is not None
        return HostState(
            host=host, node_uuid=node_uuid,
            service_disabled=bool(service_disabled),
            disabled_reason=disabled_reason,
            service_up=registered and service_mod.heard_from(
                forced_down, last_seen_up, self.down_time, now),
            last_seen_up=last_seen_up,
            availability_zone=zone,
            aggregate_metadata={k: frozenset(v) for k, v in metadata.items()},
            inventories=claims.inventories_of(values),
        )
