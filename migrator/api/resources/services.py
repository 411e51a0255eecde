"""os-services: see which services are up, disable a host with a reason,
force a dead one down."""

import falcon
import sqlalchemy as sa

from migrator import exception
from migrator.api import microversion as mv
from migrator.api.resources import base
from migrator.api.schemas import services as schema
from migrator.api.schemas import types
from migrator.db import models
from migrator.scheduler import host_state

POLICY = 'os_compute_api:os-services:%s'
_LEGACY_ACTIONS = ('enable', 'disable', 'disable-log-reason', 'force-down')


def _zones(session, default_az):
    zones = {}
    for host, zone in session.execute(
            sa.select(models.AggregateHost.host, models.AggregateMetadata.value)
            .join(models.AggregateMetadata,
                  models.AggregateMetadata.aggregate_id
                  == models.AggregateHost.aggregate_id)
            .where(models.AggregateMetadata.key == 'availability_zone')):
        zones[host] = zone
    return zones


def _serialize(req, service, zones, default_az, down_time) -> dict:
    body = {
        'id': service.uuid if base.version_at_least(req, mv.UUID_IDS) else service.id,
        'binary': service.binary,
        'host': service.host,
        'zone': (zones.get(service.host, default_az)
                 if service.binary == 'migrator-compute' else 'internal'),
        'status': 'disabled' if service.disabled else 'enabled',
        'state': 'up' if host_state.service_is_up(service, down_time) else 'down',
        'updated_at': base.isotime_micro(service.last_seen_up),
        'disabled_reason': service.disabled_reason,
    }
    if tuple(req.context.version) >= (2, 11):
        body['forced_down'] = bool(service.forced_down)
    return body


class Collection:
    def __init__(self, deps):
        self.deps = deps

    def on_get(self, req, resp):
        self.deps.authorizer.authorize(base.context(req), POLICY % 'list')
        params = base.query(req, schema.index_query)

        def run(session):
            stmt = sa.select(models.Service).order_by(models.Service.id)
            if 'host' in params:
                stmt = stmt.where(models.Service.host == params['host'])
            if 'binary' in params:
                stmt = stmt.where(models.Service.binary == params['binary'])
            return (list(session.scalars(stmt)),
                    _zones(session, self.deps.conf.default_availability_zone))
        services, zones = self.deps.db.read(run)
        conf = self.deps.conf
        resp.media = {'services': [
            _serialize(req, s, zones, conf.default_availability_zone,
                       conf.service_down_time) for s in services]}


class Item:
    def __init__(self, deps):
        self.deps = deps

    def on_put(self, req, resp, service_id):
        ctx = base.context(req)
        if base.version_at_least(req, mv.UUID_IDS):
            body = base.json_body(req, schema.update_v253)
            self.deps.authorizer.authorize(ctx, POLICY % 'update')
            base.check_uuid(service_id, exception.ServiceNotFound,
                            service_id=service_id)
            service = self.deps.db.write(_update_by_uuid, service_id, body)
            db_conf = self.deps.conf
            zones = self.deps.db.read(_zones, db_conf.default_availability_zone)
            resp.media = {'service': _serialize(
                req, service, zones, db_conf.default_availability_zone,
                db_conf.service_down_time)}
            return
        if service_id not in _LEGACY_ACTIONS:
            raise exception.ServiceNotFound(service_id=service_id)
        body = base.json_body(req, schema.legacy_action)
        self.deps.authorizer.authorize(ctx, POLICY % 'update')
        resp.media = {'service': self.deps.db.write(_legacy_update, service_id, body)}

    def on_delete(self, req, resp, service_id):
        self.deps.authorizer.authorize(base.context(req), POLICY % 'delete')
        self.deps.db.write(_delete, req, service_id)
        resp.status = falcon.HTTP_204


def _find(session, **where):
    service = session.scalar(sa.select(models.Service).filter_by(**where))
    if service is None:
        raise exception.ServiceNotFound(
            service_id=where.get('uuid') or where.get('id')
            or '%s on %s' % (where.get('binary'), where.get('host')))
    return service


def _update_by_uuid(session, service_id, body):
    service = _find(session, uuid=service_id)
    if 'disabled_reason' in body and body.get('status') != 'disabled':
        raise exception.Invalid(reason='disabled_reason is only accepted with '
                                '"status": "disabled"')
    if 'status' in body:
        service.disabled = body['status'] == 'disabled'
        service.disabled_reason = body.get('disabled_reason') if service.disabled else None
    if 'forced_down' in body:
        service.forced_down = types.parse_bool(body['forced_down'])
    return service


def _legacy_update(session, action, body):
    service = _find(session, host=body['host'], binary=body['binary'])
    result = {'host': service.host, 'binary': service.binary}
    if action == 'force-down':
        if 'forced_down' not in body:
            raise exception.ValidationError(field='forced_down',
                                            detail="'forced_down' is a required property.")
        service.forced_down = types.parse_bool(body['forced_down'])
        result['forced_down'] = service.forced_down
        return result
    if 'forced_down' in body:
        raise exception.ValidationError(field='forced_down',
                                        detail='only accepted by force-down.')
    if action == 'disable-log-reason' and not body.get('disabled_reason'):
        raise exception.ValidationError(field='disabled_reason',
                                        detail="'disabled_reason' is a required property.")
    service.disabled = action != 'enable'
    service.disabled_reason = body.get('disabled_reason') if service.disabled else None
    result['status'] = 'disabled' if service.disabled else 'enabled'
    if action == 'disable-log-reason':
        result['disabled_reason'] = service.disabled_reason
    return result


def _delete(session, req, service_id):
    if base.version_at_least(req, mv.UUID_IDS):
        base.check_uuid(service_id, exception.ServiceNotFound, service_id=service_id)
        service = _find(session, uuid=service_id)
    else:
        if not service_id.isdigit():
            raise exception.ServiceNotFound(service_id=service_id)
        service = _find(session, id=int(service_id))
    if service.binary == 'migrator-compute':
        node = session.scalar(sa.select(models.ComputeNode)
                              .where(models.ComputeNode.host == service.host))
        if node is not None:
            held = session.scalar(sa.select(sa.func.count(models.Allocation.id))
                                  .where(models.Allocation.node_id == node.id))
            if held:
                raise exception.Conflict(reason='compute service %s still holds '
                                         '%d allocation(s); move or delete its '
                                         'servers first' % (service.host, held))
            session.delete(node)
    session.delete(service)
