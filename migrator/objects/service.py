"""Services and the hosts they run on: liveness, look-ups and zones."""

import datetime

import sqlalchemy as sa
from sqlalchemy import orm

from migrator.db import models

COMPUTE_BINARY = 'migrator-compute'
# Services that are not computes live in this zone, as in Nova.
INTERNAL_ZONE = 'internal'
AZ_KEY = 'availability_zone'


def is_up(service, down_time: int, now: datetime.datetime | None = None) -> bool:
    """Up: heartbeat within ``down_time`` seconds and not forced down."""
    if service is None:
        return False
    return heard_from(service.forced_down, service.last_seen_up, down_time, now)


def heard_from(forced_down: bool, last_seen_up, down_time: int,
               now: datetime.datetime | None = None) -> bool:
    """``is_up`` of a service's two columns, as a bulk read has them."""
    if forced_down or last_seen_up is None:
        return False
    now = now or models.utcnow()
    return (now - last_seen_up).total_seconds() <= down_time


_OF_COMPUTE = (models.Service.host == sa.bindparam('b_host'),
               models.Service.binary == COMPUTE_BINARY)
_COMPUTE_SERVICE = sa.select(models.Service).where(*_OF_COMPUTE)


def compute_service(session: orm.Session, host: str) -> models.Service | None:
    return session.scalar(_COMPUTE_SERVICE, {'b_host': host})


_COMPUTE_SERVICE_ROW = sa.select(models.Service.__table__).where(*_OF_COMPUTE)


def compute_service_row(session, host: str):
    """``compute_service`` as a row (Core), for a check that only reads
    it: a move checks its source and a forced destination this way."""
    return session.connection().execute(_COMPUTE_SERVICE_ROW,
                                        {'b_host': host}).first()


def _zone_rows():
    """(host, zone) of every host in a zone aggregate."""
    return (sa.select(models.AggregateHost.host, models.AggregateMetadata.value)
            .join(models.AggregateMetadata, models.AggregateMetadata.aggregate_id
                  == models.AggregateHost.aggregate_id)
            .where(models.AggregateMetadata.key == AZ_KEY))


def zones(session: orm.Session | sa.Connection, hosts=None) -> dict:
    """host -> availability zone, for the hosts in a zone aggregate (only
    ``hosts`` when given); any other host is in the default zone. A session
    or a Core connection."""
    stmt = _zone_rows()
    if hosts is not None:
        stmt = stmt.where(models.AggregateHost.host.in_(list(hosts)))
    return dict(session.execute(stmt).all())


def zone_of(host):
    """``zones`` of one host as a scalar subquery, for a statement that
    reads it beside other things (``host``: a column or a value); NULL for
    a host in the default zone."""
    return (_zone_rows().with_only_columns(models.AggregateMetadata.value)
            .where(models.AggregateHost.host == host).limit(1).scalar_subquery())


def known_zones(session: orm.Session, default_az: str) -> set:
    """Every zone a server may ask for."""
    names = set(session.scalars(
        sa.select(models.AggregateMetadata.value)
        .where(models.AggregateMetadata.key == AZ_KEY)))
    names.add(default_az)
    return names
