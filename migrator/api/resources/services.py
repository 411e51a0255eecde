"""os-services: see which services are up, disable a host with a reason,
force a dead one down."""

import falcon

from migrator import exception
from migrator.api import common
from migrator.api import microversion as mv
from migrator.api.policies import services as service_policies
from migrator.api.schemas import types
from migrator.api.views import services as service_names

_LEGACY_ACTIONS = ('enable', 'disable', 'disable-log-reason')


def _serialize(req, state) -> dict:
    service = state.service
    body = {
        'id': (service.uuid if common.version_at_least(req, mv.UUID_IDS)
               else service.id),
        'binary': service_names.nova_binary(service.binary),
        'host': service.host,
        'zone': state.zone,
        'status': 'disabled' if service.disabled else 'enabled',
        'state': 'up' if state.up else 'down',
        'updated_at': common.isotime_micro(service.last_seen_up),
        'disabled_reason': service.disabled_reason,
    }
    if common.version_at_least(req, mv.SERVICE_FORCED_DOWN):
        body['forced_down'] = bool(service.forced_down)
    return body


class Collection:
    """GET /os-services, optionally ?host= and ?binary=."""

    def __init__(self, deps):
        self.deps = deps

    def on_get(self, req, resp):
        self.deps.authorizer.authorize(common.context(req), service_policies.LIST)
        params = common.params(req)
        found = self.deps.ops.hosts.services(host=params.get('host') or None,
                                             binary=service_names.own_binary(params['binary'])
                                             if params.get('binary') else None)
        resp.media = {'services': [_serialize(req, s) for s in found]}


class Item:
    """PUT /os-services/{action} before 2.53, PUT /os-services/{uuid} from
    2.53; DELETE /os-services/{id}."""

    def __init__(self, deps):
        self.deps = deps
        self.hosts = deps.ops.hosts

    def on_put(self, req, resp, service_id):
        ctx = common.context(req)
        if common.version_at_least(req, mv.UUID_IDS):
            body = common.body(req)
            self.deps.authorizer.authorize(ctx, service_policies.UPDATE)
            common.require_uuid(service_id)
            if 'disabled_reason' in body and body.get('status') != 'disabled':
                raise exception.Invalid("Specifying 'disabled_reason' requires "
                                        "'status': 'disabled'.")
            state = self.hosts.update_service(
                {'uuid': service_id}, status=body.get('status'),
                disabled_reason=body.get('disabled_reason'),
                forced_down=(types.parse_bool(body['forced_down'])
                             if 'forced_down' in body else None))
            resp.media = {'service': _serialize(req, state)}
            return
        actions = _LEGACY_ACTIONS
        if common.version_at_least(req, mv.SERVICE_FORCED_DOWN):
            actions += ('force-down',)
        if service_id not in actions:
            raise exception.NotFound('Unknown action %s; at this microversion '
                                     'PUT /os-services/ accepts %s.'
                                     % (service_id, ', '.join(actions)))
        body = common.body(req)
        self.deps.authorizer.authorize(ctx, service_policies.UPDATE)
        resp.media = {'service': self._legacy_update(service_id, body)}

    def _legacy_update(self, action, body) -> dict:
        result = {'host': body['host'], 'binary': body['binary']}
        where = {'host': body['host'], 'binary': service_names.own_binary(body['binary'])}
        if action == 'force-down':
            if 'forced_down' not in body:
                raise exception.ValidationError(
                    field='forced_down',
                    detail="'forced_down' is a required property.")
            state = self.hosts.update_service(
                where, forced_down=types.parse_bool(body['forced_down']))
            result['forced_down'] = state.service.forced_down
            return result
        if 'forced_down' in body:
            raise exception.ValidationError(
                field='forced_down', detail='Only PUT /os-services/force-down '
                                            'accepts it.')
        if action == 'disable-log-reason' and not body.get('disabled_reason'):
            raise exception.ValidationError(
                field='disabled_reason',
                detail="'disabled_reason' is a required property.")
        # As Nova: only disable-log-reason records a reason; enable clears it.
        state = self.hosts.update_service(
            where, status='enabled' if action == 'enable' else 'disabled',
            disabled_reason=(body['disabled_reason']
                             if action == 'disable-log-reason' else None))
        result['status'] = 'disabled' if state.service.disabled else 'enabled'
        if state.service.disabled_reason:
            result['disabled_reason'] = state.service.disabled_reason
        return result

    def on_delete(self, req, resp, service_id):
        self.deps.authorizer.authorize(common.context(req), service_policies.DELETE)
        if common.version_at_least(req, mv.UUID_IDS):
            common.require_uuid(service_id)
            where = {'uuid': service_id}
        else:
            number = common.integer_id(service_id)
            if number is None:
                raise exception.ServiceNotFound(service_id=service_id)
            where = {'id': number}
        self.hosts.delete_service(where)
        resp.status = falcon.HTTP_204
