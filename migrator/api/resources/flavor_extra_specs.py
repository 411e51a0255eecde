"""Flavor extra specs: what AggregateInstanceExtraSpecsFilter matches."""

import falcon

from migrator import exception
from migrator.api.policies import flavor_extra_specs as spec_policies
from migrator.api.resources import base
from migrator.api.resources.flavors import load_flavor
from migrator.api.schemas import flavors as schema
from migrator.db import models


def _specs(flavor) -> dict:
    return {s.key: s.value for s in flavor.extra_specs}


def _set(flavor, key, value) -> None:
    for spec in flavor.extra_specs:
        if spec.key == key:
            spec.value = str(value)
            return
    flavor.extra_specs.append(models.FlavorExtraSpec(key=key, value=str(value)))


class Collection:
    def __init__(self, deps):
        self.deps = deps

    def on_get(self, req, resp, flavor_id):
        ctx = base.context(req)
        self.deps.authorizer.authorize(ctx, spec_policies.INDEX)
        resp.media = {'extra_specs': _specs(self.deps.db.read(load_flavor, flavor_id,
                                                              ctx))}

    def on_post(self, req, resp, flavor_id):
        body = base.json_body(req, schema.extra_specs_create)
        self.deps.authorizer.authorize(base.context(req), spec_policies.CREATE)

        def create(session):
            flavor = load_flavor(session, flavor_id)
            for key, value in body['extra_specs'].items():
                _set(flavor, key, value)
            session.flush()
            return {k: str(v) for k, v in body['extra_specs'].items()}
        resp.media = {'extra_specs': self.deps.db.write(create)}


class Item:
    def __init__(self, deps):
        self.deps = deps

    def on_get(self, req, resp, flavor_id, key):
        ctx = base.context(req)
        self.deps.authorizer.authorize(ctx, spec_policies.SHOW)
        specs = _specs(self.deps.db.read(load_flavor, flavor_id, ctx))
        if key not in specs:
            raise exception.FlavorExtraSpecNotFound(flavor_id=flavor_id, key=key)
        resp.media = {key: specs[key]}

    def on_put(self, req, resp, flavor_id, key):
        body = base.json_body(req, schema.extra_spec_update)
        self.deps.authorizer.authorize(base.context(req), spec_policies.UPDATE)
        if key not in body:
            raise exception.Invalid(reason='the body must set the key named in '
                                    'the URL (%s)' % key)

        def update(session):
            _set(load_flavor(session, flavor_id), key, body[key])
        self.deps.db.write(update)
        resp.media = {key: str(body[key])}

    def on_delete(self, req, resp, flavor_id, key):
        self.deps.authorizer.authorize(base.context(req), spec_policies.DELETE)

        def delete(session):
            flavor = load_flavor(session, flavor_id)
            for spec in list(flavor.extra_specs):
                if spec.key == key:
                    flavor.extra_specs.remove(spec)
                    return
            raise exception.FlavorExtraSpecNotFound(flavor_id=flavor_id, key=key)
        self.deps.db.write(delete)
        resp.status = falcon.HTTP_200
