"""Flavors: list, detail, show for everyone; create, update, delete for admins."""

import falcon

from migrator import exception
from migrator.api import common
from migrator.api import microversion as mv
from migrator.api.policies import flavor_manage as manage_policies
from migrator.api.policies import flavors as flavor_policies
from migrator.api.schemas import types
from migrator.operations.flavors import FlavorFilters


def _serialize_flavor(req, flavor, detail: bool = True) -> dict:
    body = {'id': flavor.flavorid, 'name': flavor.name,
            'links': common.links(req, 'flavors', flavor.flavorid)}
    if common.version_at_least(req, mv.FLAVOR_DESCRIPTION):
        body['description'] = flavor.description
    if not detail:
        return body
    body.update({
        'ram': flavor.memory_mb, 'vcpus': flavor.vcpus, 'disk': flavor.root_gb,
        'OS-FLV-EXT-DATA:ephemeral': flavor.ephemeral_gb,
        'swap': flavor.swap or '',
        'rxtx_factor': flavor.rxtx_factor,
        'os-flavor-access:is_public': flavor.is_public,
        'OS-FLV-DISABLED:disabled': flavor.disabled,
    })
    return body


def _is_public_filter(ctx, params) -> bool | None:
    """Admins may ask for private flavors (is_public=false) or all (none)."""
    if not ctx.is_admin:
        return True
    value = params.get('is_public')
    if value is None:
        return True
    if value.lower() == 'none':
        return None
    return types.strict_bool('is_public', value)


def _integer(values: dict, field: str, minimum: int, default=None) -> int:
    """A flavor number from the body, bounded as the database stores it."""
    value = values.get(field, default)
    if value in (None, ''):
        value = 0
    number = int(value)
    if not minimum <= number <= common.DB_INT_MAX:
        raise exception.ValidationError(
            field='flavor/%s' % field,
            detail='Value: %s. It must be between %d and %d.'
                   % (value, minimum, common.DB_INT_MAX))
    return number


def _flavor_values(values: dict) -> dict:
    """The create body as the operations layer takes it."""
    flavorid = values.get('id')
    numbers = {'vcpus': _integer(values, 'vcpus', 1),
               'memory_mb': _integer(values, 'ram', 1),
               'root_gb': _integer(values, 'disk', 0),
               'ephemeral_gb': _integer(values, 'OS-FLV-EXT-DATA:ephemeral', 0),
               'swap': _integer(values, 'swap', 0)}
    rxtx_factor = float(values.get('rxtx_factor', 1.0))
    if rxtx_factor <= 0:
        raise exception.ValidationError(
            field='flavor/rxtx_factor',
            detail='Value: %s. It must be greater than 0.' % values['rxtx_factor'])
    return {'name': values['name'],
            'flavorid': str(flavorid) if flavorid is not None else None,
            **numbers,
            'rxtx_factor': rxtx_factor,
            'is_public': types.parse_bool(values.get('os-flavor-access:is_public',
                                                     True)),
            'description': values.get('description')}


class _Listing:
    detail = False

    def __init__(self, deps):
        self.deps = deps

    def on_get(self, req, resp):
        ctx = common.context(req)
        self.deps.authorizer.authorize(ctx, flavor_policies.INDEX)
        params = common.params(req)
        limit = common.page_limit(params, self.deps.conf)
        filters = FlavorFilters(
            is_public=_is_public_filter(ctx, params), limit=limit,
            min_ram=(common.bounded_int(params['minRam'])
                     if 'minRam' in params else None),
            min_disk=(common.bounded_int(params['minDisk'])
                      if 'minDisk' in params else None),
            sort_key=params.get('sort_key', 'flavorid'),
            sort_dir=params.get('sort_dir', 'asc'), marker=params.get('marker'),
            project_id=None if ctx.is_admin else ctx.project_id)
        resp.media = {'flavors': [_serialize_flavor(req, f, self.detail)
                                  for f in self.deps.ops.flavors.list(filters)]}
        collection = 'flavors/detail' if self.detail else 'flavors'
        page_links = common.next_link(req, collection, resp.media['flavors'], limit)
        if page_links:
            resp.media['flavors_links'] = page_links


class Collection(_Listing):
    def on_post(self, req, resp):
        ctx = common.context(req)
        body = common.body(req)
        self.deps.authorizer.authorize(ctx, manage_policies.CREATE)
        flavor = self.deps.ops.flavors.create(_flavor_values(body['flavor']))
        resp.media = {'flavor': _serialize_flavor(req, flavor)}


class Detail(_Listing):
    detail = True


class Item:
    def __init__(self, deps):
        self.deps = deps

    def on_get(self, req, resp, flavor_id):
        ctx = common.context(req)
        self.deps.authorizer.authorize(ctx, flavor_policies.SHOW)
        resp.media = {'flavor': _serialize_flavor(
            req, self.deps.ops.flavors.get(ctx, flavor_id))}

    def on_put(self, req, resp, flavor_id):
        body = common.body(req)
        self.deps.authorizer.authorize(common.context(req),
                                       manage_policies.UPDATE)
        flavor = self.deps.ops.flavors.update_description(
            flavor_id, body['flavor']['description'])
        resp.media = {'flavor': _serialize_flavor(req, flavor)}

    def on_delete(self, req, resp, flavor_id):
        self.deps.authorizer.authorize(common.context(req),
                                       manage_policies.DELETE)
        self.deps.ops.flavors.delete(flavor_id)
        resp.status = falcon.HTTP_202
