"""os-services: see which services are up, disable a host with a reason,
force a dead one down."""

import falcon
import sqlalchemy as sa

from migrator import exception
from migrator.api import microversion as mv
from migrator.api.policies import services as service_policies
from migrator.api.resources import base
from migrator.api.schemas import services as schema
from migrator.api.schemas import types
from migrator.db import models
from migrator.scheduler import host_state

COMPUTE_BINARY = 'migrator-compute'
_LEGACY_ACTIONS = ('enable', 'disable', 'disable-log-reason')


def _zones(session):
    return dict(session.execute(
        sa.select(models.AggregateHost.host, models.AggregateMetadata.value)
        .join(models.AggregateMetadata,
              models.AggregateMetadata.aggregate_id
              == models.AggregateHost.aggregate_id)
        .where(models.AggregateMetadata.key == 'availability_zone')).all())


class _View:
    """What serialising services needs: zones, the default zone, down time."""

    def __init__(self, req, deps, session):
        self.req = req
        self.zones = _zones(session)
        self.default_az = deps.conf.default_availability_zone
        self.down_time = deps.conf.service_down_time

    def serialize(self, service) -> dict:
        req = self.req
        body = {
            'id': (service.uuid if base.version_at_least(req, mv.UUID_IDS)
                   else service.id),
            'binary': service.binary,
            'host': service.host,
            'zone': (self.zones.get(service.host, self.default_az)
                     if service.binary == COMPUTE_BINARY else 'internal'),
            'status': 'disabled' if service.disabled else 'enabled',
            'state': ('up' if host_state.service_is_up(service, self.down_time)
                      else 'down'),
            'updated_at': base.isotime_micro(service.last_seen_up),
            'disabled_reason': service.disabled_reason,
        }
        if base.version_at_least(req, mv.SERVICE_FORCED_DOWN):
            body['forced_down'] = bool(service.forced_down)
        return body


class Collection:
    """GET /os-services, optionally ?host= and ?binary=."""

    def __init__(self, deps):
        self.deps = deps

    def on_get(self, req, resp):
        self.deps.authorizer.authorize(base.context(req), service_policies.LIST)
        params = base.query(req, schema.index_query)

        def run(session):
            stmt = sa.select(models.Service).order_by(models.Service.id)
            if params.get('host'):
                stmt = stmt.where(models.Service.host == params['host'])
            if params.get('binary'):
                stmt = stmt.where(models.Service.binary == params['binary'])
            view = _View(req, self.deps, session)
            return [view.serialize(s) for s in session.scalars(stmt)]
        resp.media = {'services': self.deps.db.read(run)}


class Item:
    """PUT /os-services/{action} before 2.53, PUT /os-services/{uuid} from
    2.53; DELETE /os-services/{id}."""

    def __init__(self, deps):
        self.deps = deps

    def on_put(self, req, resp, service_id):
        ctx = base.context(req)
        if base.version_at_least(req, mv.UUID_IDS):
            body = base.json_body(req, schema.update_v253)
            self.deps.authorizer.authorize(ctx, service_policies.UPDATE)
            base.require_uuid(service_id)

            def update(session):
                service = _update_by_uuid(session, service_id, body)
                session.flush()
                return _View(req, self.deps, session).serialize(service)
            resp.media = {'service': self.deps.db.write(update)}
            return
        actions = _LEGACY_ACTIONS
        if base.version_at_least(req, mv.SERVICE_FORCED_DOWN):
            actions += ('force-down',)
        if service_id not in actions:
            raise exception.NotFound('Unknown action %s; at this microversion '
                                     'PUT /os-services/ accepts %s.'
                                     % (service_id, ', '.join(actions)))
        body_schema = (schema.legacy_action_v211 if base.version_at_least(
            req, mv.SERVICE_FORCED_DOWN) else schema.legacy_action_v21)
        body = base.json_body(req, body_schema)
        self.deps.authorizer.authorize(ctx, service_policies.UPDATE)
        resp.media = {'service': self.deps.db.write(_legacy_update, service_id, body)}

    def on_delete(self, req, resp, service_id):
        self.deps.authorizer.authorize(base.context(req), service_policies.DELETE)
        if base.version_at_least(req, mv.UUID_IDS):
            base.require_uuid(service_id)
            where = {'uuid': service_id}
        else:
            number = base.integer_id(service_id)
            if number is None:
                raise exception.ServiceNotFound(service_id=service_id)
            where = {'id': number}
        self.deps.db.write(_delete, where)
        resp.status = falcon.HTTP_204


def _find(session, **where):
    service = session.scalar(sa.select(models.Service).filter_by(**where))
    if service is None:
        raise exception.ServiceNotFound(
            service_id=where.get('uuid') or where.get('id')
            or '%s on host %s' % (where.get('binary'), where.get('host')))
    return service


def _only_computes(service) -> None:
    """Disabling a conductor or scheduler means nothing: refuse it, as Nova."""
    if service.binary != COMPUTE_BINARY:
        raise exception.Invalid('Updating a %s service is not supported. Only '
                                '%s services can be updated.'
                                % (service.binary, COMPUTE_BINARY))


def _update_by_uuid(session, service_id, body):
    service = _find(session, uuid=service_id)
    _only_computes(service)
    if 'disabled_reason' in body and body.get('status') != 'disabled':
        raise exception.Invalid("Specifying 'disabled_reason' requires "
                                "'status': 'disabled'.")
    if 'status' in body:
        service.disabled = body['status'] == 'disabled'
        service.disabled_reason = body.get('disabled_reason') if service.disabled else None
    if 'forced_down' in body:
        service.forced_down = types.parse_bool(body['forced_down'])
    return service


def _legacy_update(session, action, body):
    service = _find(session, host=body['host'], binary=body['binary'])
    _only_computes(service)
    result = {'host': service.host, 'binary': service.binary}
    if action == 'force-down':
        if 'forced_down' not in body:
            raise exception.ValidationError(
                field='forced_down', detail="'forced_down' is a required property.")
        service.forced_down = types.parse_bool(body['forced_down'])
        result['forced_down'] = service.forced_down
        return result
    if 'forced_down' in body:
        raise exception.ValidationError(
            field='forced_down', detail='Only PUT /os-services/force-down '
                                        'accepts it.')
    if action == 'disable-log-reason' and not body.get('disabled_reason'):
        raise exception.ValidationError(
            field='disabled_reason', detail="'disabled_reason' is a required property.")
    service.disabled = action != 'enable'
    # As Nova: only disable-log-reason records a reason; enable clears it.
    service.disabled_reason = (body['disabled_reason']
                               if action == 'disable-log-reason' else None)
    result['status'] = 'disabled' if service.disabled else 'enabled'
    if service.disabled_reason:
        result['disabled_reason'] = service.disabled_reason
    return result


def _delete(session, where):
    service = _find(session, **where)
    if service.binary == COMPUTE_BINARY:
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
        session.execute(sa.delete(models.AggregateHost)
                        .where(models.AggregateHost.host == service.host))
    session.delete(service)
