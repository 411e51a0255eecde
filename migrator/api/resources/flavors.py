"""Flavors: list, detail, show for everyone; create, update, delete for admins."""

import falcon
import sqlalchemy as sa
from oslo_utils import uuidutils

from migrator import exception
from migrator.api import microversion as mv
from migrator.api.policies import flavor_manage as manage_policies
from migrator.api.policies import flavors as flavor_policies
from migrator.api.resources import base
from migrator.api.schemas import flavors as schema
from migrator.api.schemas import types
from migrator.db import models


def _serialize_flavor(req, flavor: models.Flavor, detail: bool = True) -> dict:
    body = {'id': flavor.flavorid, 'name': flavor.name,
            'links': base.links(req, 'flavors', flavor.flavorid)}
    if base.version_at_least(req, mv.FLAVOR_DESCRIPTION):
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


def load_flavor(session, flavor_id: str, ctx=None) -> models.Flavor:
    """The flavor; a private one is visible to admins only (no flavor access)."""
    flavor = session.scalar(sa.select(models.Flavor)
                            .where(models.Flavor.flavorid == flavor_id))
    if flavor is None or (ctx is not None and not ctx.is_admin
                          and not flavor.is_public):
        raise exception.FlavorNotFound(flavor_id=flavor_id)
    return flavor


class _Listing:
    detail = False

    def __init__(self, deps):
        self.deps = deps

    def on_get(self, req, resp):
        ctx = base.context(req)
        self.deps.authorizer.authorize(ctx, flavor_policies.INDEX)
        params = base.query(req, schema.index_query)
        limit = min(base.bounded_int(params.get('limit', self.deps.conf.api.max_limit)),
                    self.deps.conf.api.max_limit)
        is_public = _is_public_filter(ctx, params)
        flavors = self.deps.db.read(_list, params, is_public, limit)
        resp.media = {'flavors': [_serialize_flavor(req, f, self.detail)
                                  for f in flavors]}
        collection = 'flavors/detail' if self.detail else 'flavors'
        page_links = base.next_link(req, collection, resp.media['flavors'], limit)
        if page_links:
            resp.media['flavors_links'] = page_links


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
    if not minimum <= number <= base.DB_INT_MAX:
        raise exception.ValidationError(
            field='flavor/%s' % field,
            detail='Value: %s. It must be between %d and %d.'
                   % (value, minimum, base.DB_INT_MAX))
    return number


class Collection(_Listing):
    def on_post(self, req, resp):
        ctx = base.context(req)
        body_schema = (schema.create_v255 if base.version_at_least(
            req, mv.FLAVOR_DESCRIPTION) else schema.create_v21)
        body = base.json_body(req, body_schema)
        self.deps.authorizer.authorize(ctx, manage_policies.CREATE)
        flavor = self.deps.db.write(_create, body['flavor'])
        resp.media = {'flavor': _serialize_flavor(req, flavor)}


class Detail(_Listing):
    detail = True


def _list(session, params, is_public, limit):
    stmt = sa.select(models.Flavor).where(models.Flavor.disabled.is_(False))
    if is_public is not None:
        stmt = stmt.where(models.Flavor.is_public.is_(is_public))
    if 'minRam' in params:
        stmt = stmt.where(models.Flavor.memory_mb >= base.bounded_int(params['minRam']))
    if 'minDisk' in params:
        stmt = stmt.where(models.Flavor.root_gb >= base.bounded_int(params['minDisk']))
    column = getattr(models.Flavor, params.get('sort_key', 'flavorid'))
    order = column.desc() if params.get('sort_dir') == 'desc' else column.asc()
    flavors = list(session.scalars(stmt.order_by(order, models.Flavor.id)))
    if 'marker' in params:
        ids = [f.flavorid for f in flavors]
        if params['marker'] not in ids:
            raise exception.Invalid('marker [%s] not found' % params['marker'])
        flavors = flavors[ids.index(params['marker']) + 1:]
    return flavors[:limit]


def _create(session, values):
    flavorid = values.get('id')
    flavorid = str(flavorid) if flavorid is not None else uuidutils.generate_uuid()
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
    for field, column, value in (('name', models.Flavor.name, values['name']),
                                 ('ID', models.Flavor.flavorid, flavorid)):
        if session.scalar(sa.select(models.Flavor.id).where(column == value)):
            raise exception.FlavorExists(field=field, value=value)
    flavor = models.Flavor(
        flavorid=flavorid, name=values['name'], rxtx_factor=rxtx_factor,
        is_public=types.parse_bool(values.get('os-flavor-access:is_public', True)),
        description=values.get('description'), extra_specs=[], **numbers)
    session.add(flavor)
    session.flush()
    return flavor


class Item:
    def __init__(self, deps):
        self.deps = deps

    def on_get(self, req, resp, flavor_id):
        ctx = base.context(req)
        self.deps.authorizer.authorize(ctx, flavor_policies.SHOW)
        flavor = self.deps.db.read(load_flavor, flavor_id, ctx)
        resp.media = {'flavor': _serialize_flavor(req, flavor)}

    def on_put(self, req, resp, flavor_id):
        if not base.version_at_least(req, mv.FLAVOR_DESCRIPTION):
            raise falcon.HTTPMethodNotAllowed(['GET', 'DELETE'])
        body = base.json_body(req, schema.update_v255)
        self.deps.authorizer.authorize(base.context(req),
                                       manage_policies.UPDATE)

        def update(session):
            flavor = load_flavor(session, flavor_id)
            flavor.description = body['flavor']['description']
            return flavor
        resp.media = {'flavor': _serialize_flavor(req, self.deps.db.write(update))}

    def on_delete(self, req, resp, flavor_id):
        self.deps.authorizer.authorize(base.context(req),
                                       manage_policies.DELETE)
        self.deps.db.write(_delete, flavor_id)
        resp.status = falcon.HTTP_202


def _delete(session, flavor_id):
    flavor = load_flavor(session, flavor_id)
    # Servers keep a copy of their flavor, so a flavor in use can go (as Nova).
    session.delete(flavor)
