"""os-aggregates: group hosts, give them metadata and an availability zone."""

import falcon
import sqlalchemy as sa
from oslo_utils import uuidutils

from migrator import exception
from migrator.api import microversion as mv
from migrator.api.policies import aggregates as aggregate_policies
from migrator.api.resources import base
from migrator.api.schemas import aggregates as schema
from migrator.db import models

AZ_KEY = 'availability_zone'
INTERNAL_ZONE = 'internal'


def _serialize(req, aggregate, with_members: bool = True) -> dict:
    """Nova's aggregate view; the create response has no hosts or metadata."""
    metadata = {m.key: m.value for m in aggregate.metadata_items}
    body = {
        'id': aggregate.id, 'name': aggregate.name,
        'availability_zone': metadata.get(AZ_KEY),
        'created_at': base.isotime_micro(aggregate.created_at),
        'updated_at': base.isotime_micro(aggregate.updated_at),
        'deleted': False, 'deleted_at': None,
    }
    if with_members:
        body['hosts'] = sorted(h.host for h in aggregate.hosts)
        body['metadata'] = metadata
    if base.version_at_least(req, mv.AGGREGATE_UUID):
        body['uuid'] = aggregate.uuid
    return body


def _load(session, aggregate_id: str) -> models.Aggregate:
    """The aggregate; a non-integer id is a 400 as in Nova, an unknown one 404."""
    number = base.integer_id(aggregate_id)
    aggregate = session.get(models.Aggregate, number) if number is not None else None
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
    if zone == INTERNAL_ZONE:
        raise exception.Invalid("The availability zone '%s' is reserved for "
                                "the control services." % INTERNAL_ZONE)
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


class Collection:
    def __init__(self, deps):
        self.deps = deps

    def on_get(self, req, resp):
        self.deps.authorizer.authorize(base.context(req), aggregate_policies.INDEX)
        aggregates = self.deps.db.read(lambda s: list(s.scalars(
            sa.select(models.Aggregate).order_by(models.Aggregate.id))))
        resp.media = {'aggregates': [_serialize(req, a) for a in aggregates]}

    def on_post(self, req, resp):
        body = base.json_body(req, schema.create)
        self.deps.authorizer.authorize(base.context(req), aggregate_policies.CREATE)
        values = body['aggregate']

        def create(session):
            _check_name(session, values['name'])
            aggregate = models.Aggregate(uuid=uuidutils.generate_uuid(),
                                         name=values['name'], hosts=[],
                                         metadata_items=[])
            if values.get(AZ_KEY):
                _check_zone(session, aggregate, values[AZ_KEY])
                _set_metadata(aggregate, AZ_KEY, values[AZ_KEY])
            session.add(aggregate)
            session.flush()
            return aggregate
        aggregate = self.deps.db.write(create)
        resp.media = {'aggregate': _serialize(req, aggregate, with_members=False)}


class Item:
    def __init__(self, deps):
        self.deps = deps

    def on_get(self, req, resp, aggregate_id):
        self.deps.authorizer.authorize(base.context(req), aggregate_policies.SHOW)
        resp.media = {'aggregate': _serialize(req, self.deps.db.read(_load, aggregate_id))}

    def on_put(self, req, resp, aggregate_id):
        body = base.json_body(req, schema.update)
        self.deps.authorizer.authorize(base.context(req), aggregate_policies.UPDATE)
        values = body['aggregate']

        def update(session):
            aggregate = _load(session, aggregate_id)
            if 'name' in values:
                _check_name(session, values['name'], aggregate.id)
                aggregate.name = values['name']
            if AZ_KEY in values:
                _check_zone(session, aggregate, values[AZ_KEY])
                _set_metadata(aggregate, AZ_KEY, values[AZ_KEY])
            aggregate.updated_at = models.utcnow()
            session.flush()
            return aggregate
        resp.media = {'aggregate': _serialize(req, self.deps.db.write(update))}

    def on_delete(self, req, resp, aggregate_id):
        self.deps.authorizer.authorize(base.context(req), aggregate_policies.DELETE)

        def delete(session):
            aggregate = _load(session, aggregate_id)
            if aggregate.hosts:
                # 400 as in Nova (InvalidAggregateAction), naming the hosts.
                raise exception.Invalid(
                    'Aggregate %s still has hosts: %s; remove them first.' % (
                        aggregate_id,
                        ', '.join(sorted(h.host for h in aggregate.hosts))))
            session.delete(aggregate)
        self.deps.db.write(delete)
        resp.status = falcon.HTTP_200


class Action:
    def __init__(self, deps):
        self.deps = deps

    def on_post(self, req, resp, aggregate_id):
        body = base.json_body(req)
        name = next(iter(body), None) if isinstance(body, dict) and len(body) == 1 else None
        handlers = {'add_host': (schema.add_host, _add_host),
                    'remove_host': (schema.remove_host, _remove_host),
                    'set_metadata': (schema.set_metadata, _set_metadata_action)}
        if name not in handlers:
            raise exception.Invalid(reason='the body must hold exactly one of '
                                    'add_host, remove_host, set_metadata')
        body_schema, handler = handlers[name]
        base.json_body(req, body_schema)
        self.deps.authorizer.authorize(base.context(req), aggregate_policies.ACTIONS[name])
        aggregate = self.deps.db.write(handler, aggregate_id, body[name])
        resp.media = {'aggregate': _serialize(req, aggregate)}


def _add_host(session, aggregate_id, values):
    aggregate = _load(session, aggregate_id)
    host = values['host']
    if session.scalar(sa.select(models.Service.id)
                      .where(models.Service.host == host,
                             models.Service.binary == 'migrator-compute')) is None:
        raise exception.ComputeHostNotFound(host=host)
    if any(h.host == host for h in aggregate.hosts):
        raise exception.AggregateHostExists(aggregate_id=aggregate_id, host=host)
    zone = next((m.value for m in aggregate.metadata_items if m.key == AZ_KEY), None)
    current = _zone_of_host(session, host, aggregate.id)
    if zone and current and current != zone:
        raise exception.AggregateAZConflict(host=host, zone=current, new_zone=zone)
    aggregate.hosts.append(models.AggregateHost(host=host))
    aggregate.updated_at = models.utcnow()
    session.flush()
    return aggregate


def _remove_host(session, aggregate_id, values):
    aggregate = _load(session, aggregate_id)
    for item in list(aggregate.hosts):
        if item.host == values['host']:
            aggregate.hosts.remove(item)
            aggregate.updated_at = models.utcnow()
            session.flush()
            return aggregate
    raise exception.AggregateHostNotFound(aggregate_id=aggregate_id,
                                          host=values['host'])


def _set_metadata_action(session, aggregate_id, values):
    aggregate = _load(session, aggregate_id)
    metadata = values['metadata']
    if AZ_KEY in metadata:
        _check_zone(session, aggregate, metadata[AZ_KEY])
    for key, value in metadata.items():
        _set_metadata(aggregate, key, value)
    aggregate.updated_at = models.utcnow()
    session.flush()
    return aggregate
