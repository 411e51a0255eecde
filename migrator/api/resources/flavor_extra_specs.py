"""Flavor extra specs: what AggregateInstanceExtraSpecsFilter matches."""

import falcon

from migrator import exception
from migrator.api import common
from migrator.api.policies import flavor_extra_specs as spec_policies


class Collection:
    def __init__(self, deps):
        self.deps = deps

    def on_get(self, req, resp, flavor_id):
        ctx = common.context(req)
        self.deps.authorizer.authorize(ctx, spec_policies.INDEX)
        resp.media = {'extra_specs': self.deps.ops.flavors.extra_specs(ctx,
                                                                       flavor_id)}

    def on_post(self, req, resp, flavor_id):
        body = common.body(req)
        self.deps.authorizer.authorize(common.context(req), spec_policies.CREATE)
        resp.media = {'extra_specs': self.deps.ops.flavors.set_extra_specs(
            flavor_id, body['extra_specs'])}


class Item:
    def __init__(self, deps):
        self.deps = deps

    def on_get(self, req, resp, flavor_id, key):
        ctx = common.context(req)
        self.deps.authorizer.authorize(ctx, spec_policies.SHOW)
        specs = self.deps.ops.flavors.extra_specs(ctx, flavor_id)
        if key not in specs:
            raise exception.FlavorExtraSpecNotFound(flavor_id=flavor_id, key=key)
        resp.media = {key: specs[key]}

    def on_put(self, req, resp, flavor_id, key):
        body = common.body(req)
        self.deps.authorizer.authorize(common.context(req), spec_policies.UPDATE)
        if key not in body:
            raise exception.Invalid(reason='the body must set the key named in '
                                    'the URL (%s)' % key)
        resp.media = self.deps.ops.flavors.set_extra_specs(flavor_id,
                                                           {key: body[key]})

    def on_delete(self, req, resp, flavor_id, key):
        self.deps.authorizer.authorize(common.context(req), spec_policies.DELETE)
        self.deps.ops.flavors.delete_extra_spec(flavor_id, key)
        resp.status = falcon.HTTP_200
