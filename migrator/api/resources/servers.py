"""Servers: create (a scheduled boot), list, detail, show, delete."""

import falcon
from oslo_utils import uuidutils

from migrator.api import common
from migrator.api.policies import servers as server_policies
from migrator.api.schemas import types
from migrator.api.views import servers as server_view
from migrator.operations.servers import ServerFilters


class _Listing:
    collection = 'servers'
    rule, all_tenants_rule = server_policies.INDEX, server_policies.INDEX_ALL_TENANTS
    # A detailed list shows each server's facts; its rows carry them.
    with_facts = False

    def __init__(self, deps):
        self.deps = deps
        self.servers = deps.ops.servers

    def _list(self, req) -> tuple[list, int]:
        ctx = common.context(req)
        params = common.params(req)
        self.deps.authorizer.authorize(ctx, self.rule)
        limit = common.page_limit(params, self.deps.conf)
        project_id = ctx.project_id
        if 'all_tenants' in params and types.strict_bool('all_tenants',
                                                          params['all_tenants']):
            self.deps.authorizer.authorize(ctx, self.all_tenants_rule)
            project_id = params.get('project_id') or params.get('tenant_id') or None
        filters = ServerFilters(
            project_id=project_id, limit=limit, name=params.get('name'),
            status=params.get('status'),
            host=(params.get('host') if self.deps.authorizer.check(
                ctx, server_policies.ALLOW_ALL_FILTERS) else None),
            flavor=params.get('flavor'), marker=params.get('marker'),
            reservation_id=params.get('reservation_id'), image=params.get('image'))
        return self.servers.list(filters, with_facts=self.with_facts), limit

    def _respond(self, req, resp, instances, limit, items) -> None:
        resp.media = {'servers': items}
        page_links = common.next_link(req, self.collection,
                                      [{'id': i.uuid} for i in instances], limit)
        if page_links:
            resp.media['servers_links'] = page_links


class Collection(_Listing):
    def on_get(self, req, resp):
        instances, limit = self._list(req)
        self._respond(req, resp, instances, limit,
                      [server_view.summary(req, i) for i in instances])

    def on_post(self, req, resp):
        ctx = common.context(req)
        body = common.body(req)
        self.deps.authorizer.authorize(ctx, server_policies.CREATE)
        server = body['server']
        hints = body.get('os:scheduler_hints') or body.get('OS-SCH-HNT:scheduler_hints') or {}
        min_count = int(server.get('min_count', 1))
        max_count = int(server.get('max_count', server.get('min_count', 1)))
        first = self.servers.create(ctx, server, hints, min_count, max_count)[0]
        resp.status = falcon.HTTP_202
        resp.location = '%s/v2.1/servers/%s' % (req.prefix, first.uuid)
        if types.parse_bool(server.get('return_reservation_id', False)):
            resp.media = {'reservation_id': first.reservation_id}
            return
        resp.media = {'server': {
            'id': first.uuid, 'links': common.links(req, 'servers', first.uuid),
            'OS-DCF:diskConfig': server.get('OS-DCF:diskConfig', 'MANUAL'),
            'security_groups': [{'name': 'default'}],
            'adminPass': server.get('adminPass') or uuidutils.generate_uuid()[:12]}}


class Detail(_Listing):
    collection = 'servers/detail'
    rule, all_tenants_rule = server_policies.DETAIL, server_policies.DETAIL_ALL_TENANTS
    with_facts = True

    def on_get(self, req, resp):
        instances, limit = self._list(req)
        view = server_view.ViewContext(req, self.deps, instances)
        self._respond(req, resp, instances, limit,
                      [server_view.detail(view, i) for i in instances])


class Item:
    def __init__(self, deps):
        self.deps = deps
        self.servers = deps.ops.servers

    def on_get(self, req, resp, server_id):
        ctx = common.context(req)
        instance, facts = self.servers.get_with_facts(ctx, server_id)
        self.deps.authorizer.authorize(ctx, server_policies.SHOW,
                                       server_view.target_of(instance))
        view = server_view.ViewContext(req, self.deps, [instance], facts)
        resp.media = {'server': server_view.detail(view, instance)}

    def on_delete(self, req, resp, server_id):
        ctx = common.context(req)
        instance = self.servers.get(ctx, server_id)
        self.deps.authorizer.authorize(ctx, server_policies.DELETE, dict(
            server_view.target_of(instance), user_id=instance.user_id))
        self.servers.delete(ctx, instance)
        resp.status = falcon.HTTP_204
