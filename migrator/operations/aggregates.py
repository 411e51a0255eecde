"""Aggregates: groups of hosts with metadata, one key of which
(``availability_zone``) makes a zone. A host lives in one zone only."""

from __future__ import annotations

import sqlalchemy as sa
from oslo_utils import uuidutils

from migrator import exception
from migrator.db import models
from migrator.objects import service as service_mod

AZ_KEY = service_mod.AZ_KEY


def _load(session, aggregate_id) -> models.Aggregate:
    """The aggregate of an id as the URL gave it; any id no row can have
    (too large, negative, not a number) is a 404."""
    try:
        number = int(aggregate_id)
    except (TypeError, ValueError):
        number = None
    aggregate = (session.get(models.Aggregate, number)
                 if number is not None and 0 < number <= models.INT_MAX else None)
    if aggregate is None:
        raise exception.AggregateNotFound(aggregate_id=aggregate_id)
    return aggregate


def _zone_of_host(session, host: str, excluding: int) -> str | None:
    return session.scalar(
        sa.select(models.AggregateMetadata.value)
        .join(models.AggregateHost, models.AggregateHost.aggregate_id
              == models.AggregateMetadata.aggregate_id)
        .where(models.AggregateHost.host == host,
               models.AggregateMetadata.key == AZ_KEY,
               models.AggregateHost.aggregate_id != excluding).limit(1))


def _check_zone(session, aggregate, zone) -> None:
    """A host lives in one availability zone only, and never in 'internal'."""
    if zone is None:
        return
    if zone == service_mod.INTERNAL_ZONE:
        raise exception.Invalid("The availability zone '%s' is reserved for "
                                "the control services." % service_mod.INTERNAL_ZONE)
    for host in aggregate.hosts:
        current = _zone_of_host(session, host.host, aggregate.id)
        if current and current != zone:
            raise exception.AggregateAZConflict(host=host.host, zone=current,
                                                new_zone=zone)


def _set_metadata(aggregate, key, value) -> None:
    for item in list(aggregate.metadata_items):
        if item.key == key:
            if value is None:
                aggregate.metadata_items.remove(item)
            else:
                item.value = value
            return
    if value is not None:
        aggregate.metadata_items.append(models.AggregateMetadata(key=key, value=value))


def _check_name(session, name, excluding=None) -> None:
    found = session.scalar(sa.select(models.Aggregate.id)
                           .where(models.Aggregate.name == name))
    if found is not None and found != excluding:
        raise exception.AggregateNameExists(name=name)


def _changed(session, aggregate) -> models.Aggregate:
    aggregate.updated_at = models.utcnow()
    session.flush()
    return aggregate


class Aggregates:
    def __init__(self, db):
        self.db = db

    def list(self) -> list[models.Aggregate]:
        return self.db.read(lambda s: list(s.scalars(
            sa.select(models.Aggregate).order_by(models.Aggregate.id))))

    def get(self, aggregate_id) -> models.Aggregate:
        return self.db.read(_load, aggregate_id)

    def create(self, name: str, zone: str | None) -> models.Aggregate:
        def create(session):
            _check_name(session, name)
            aggregate = models.Aggregate(uuid=uuidutils.generate_uuid(),
                                         name=name, hosts=[], metadata_items=[])
            if zone:
                _check_zone(session, aggregate, zone)
                _set_metadata(aggregate, AZ_KEY, zone)
            session.add(aggregate)
            session.flush()
            return aggregate
        return self.db.write(create)

    def update(self, aggregate_id, values: dict) -> models.Aggregate:
        """Rename, or set the zone (``availability_zone`` None removes it)."""
        def update(session):
            aggregate = _load(session, aggregate_id)
            if 'name' in values:
                _check_name(session, values['name'], aggregate.id)
                aggregate.name = values['name']
            if AZ_KEY in values:
                _check_zone(session, aggregate, values[AZ_KEY])
                _set_metadata(aggregate, AZ_KEY, values[AZ_KEY])
            return _changed(session, aggregate)
        return self.db.write(update)

    def delete(self, aggregate_id) -> None:
        def delete(session):
            aggregate = _load(session, aggregate_id)
            if aggregate.hosts:
                # 400 as in Nova (InvalidAggregateAction), naming the hosts.
                raise exception.Invalid(
                    'Aggregate %s still has hosts: %s; remove them first.' % (
                        aggregate_id,
                        ', '.join(sorted(h.host for h in aggregate.hosts))))
            session.delete(aggregate)
        self.db.write(delete)

    def add_host(self, aggregate_id, host: str) -> models.Aggregate:
        return self.db.write(_add_host, aggregate_id, host)

    def remove_host(self, aggregate_id, host: str) -> models.Aggregate:
        return self.db.write(_remove_host, aggregate_id, host)

    def set_metadata(self, aggregate_id, metadata: dict) -> models.Aggregate:
        """Set keys; a key set to None is removed."""
        return self.db.write(_set_metadata_items, aggregate_id, metadata)


def _add_host(session, aggregate_id, host):
    aggregate = _load(session, aggregate_id)
    if service_mod.compute_service(session, host) is None:
        raise exception.ComputeHostNotFound(host=host)
    if any(h.host == host for h in aggregate.hosts):
        raise exception.AggregateHostExists(aggregate_id=aggregate_id, host=host)
    zone = next((m.value for m in aggregate.metadata_items if m.key == AZ_KEY), None)
    current = _zone_of_host(session, host, aggregate.id)
    if zone and current and current != zone:
        raise exception.AggregateAZConflict(host=host, zone=current, new_zone=zone)
    aggregate.hosts.append(models.AggregateHost(host=host))
    return _changed(session, aggregate)


def _remove_host(session, aggregate_id, host):
    aggregate = _load(session, aggregate_id)
    for item in list(aggregate.hosts):
        if item.host == host:
            aggregate.hosts.remove(item)
            return _changed(session, aggregate)
    raise exception.AggregateHostNotFound(aggregate_id=aggregate_id, host=host)


def _set_metadata_items(session, aggregate_id, metadata):
    aggregate = _load(session, aggregate_id)
    if AZ_KEY in metadata:
        _check_zone(session, aggregate, metadata[AZ_KEY])
    for key, value in metadata.items():
        _set_metadata(aggregate, key, value)
    return _changed(session, aggregate)
