"""os-server-groups: affinity and anti-affinity."""

import falcon

from migrator.api import common
from migrator.api import microversion as mv
from migrator.api.policies import server_groups as group_policies
from migrator.api.schemas import types


def _serialize(req, group) -> dict:
    body = {'id': group.uuid, 'name': group.name, 'policies': [group.policy],
            'members': [m.instance_uuid for m in group.members], 'metadata': {}}
    if common.version_at_least(req, mv.SERVER_GROUP_OWNER):
        body['project_id'] = group.project_id
        body['user_id'] = group.user_id
    return body


class Collection:
    def __init__(self, deps):
        self.deps = deps

    def on_get(self, req, resp):
        ctx = common.context(req)
        params = common.params(req)
        self.deps.authorizer.authorize(ctx, group_policies.INDEX)
        project_id = ctx.project_id
        if 'all_projects' in params and types.strict_bool('all_projects',
                                                          params['all_projects']):
            self.deps.authorizer.authorize(ctx, group_policies.INDEX_ALL_PROJECTS)
            project_id = None
        groups = self.deps.ops.server_groups.list(
            project_id, offset=common.bounded_int(params.get('offset', 0)),
            limit=common.page_limit(params, self.deps.conf))
        resp.media = {'server_groups': [_serialize(req, g) for g in groups]}

    def on_post(self, req, resp):
        ctx = common.context(req)
        body = common.body(req)
        self.deps.authorizer.authorize(ctx, group_policies.CREATE)
        values = body['server_group']
        group = self.deps.ops.server_groups.create(ctx, values['name'],
                                                   values['policies'][0])
        resp.media = {'server_group': _serialize(req, group)}


class Item:
    def __init__(self, deps):
        self.deps = deps

    def on_get(self, req, resp, group_id):
        ctx = common.context(req)
        group = self.deps.ops.server_groups.get(ctx, group_id)
        self.deps.authorizer.authorize(ctx, group_policies.SHOW,
                                       {'project_id': group.project_id})
        resp.media = {'server_group': _serialize(req, group)}

    def on_delete(self, req, resp, group_id):
        ctx = common.context(req)
        group = self.deps.ops.server_groups.get(ctx, group_id)
        self.deps.authorizer.authorize(ctx, group_policies.DELETE,
                                       {'project_id': group.project_id})
        self.deps.ops.server_groups.delete(ctx, group_id)
        resp.status = falcon.HTTP_204
