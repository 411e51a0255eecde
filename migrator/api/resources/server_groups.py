"""os-server-groups: affinity and anti-affinity."""

import falcon
import sqlalchemy as sa
from oslo_utils import uuidutils

from migrator import exception
from migrator.api import microversion as mv
from migrator.api.policies import server_groups as group_policies
from migrator.api.resources import base
from migrator.api.schemas import server_groups as schema
from migrator.api.schemas import types
from migrator.db import models


def _serialize(req, group) -> dict:
    body = {'id': group.uuid, 'name': group.name, 'policies': [group.policy],
            'members': [m.instance_uuid for m in group.members], 'metadata': {}}
    if base.version_at_least(req, mv.SERVER_GROUP_OWNER):
        body['project_id'] = group.project_id
        body['user_id'] = group.user_id
    return body


def _load(req, session, group_id):
    base.check_uuid(group_id, exception.ServerGroupNotFound, group_id=group_id)
    group = session.scalar(sa.select(models.ServerGroup)
                           .where(models.ServerGroup.uuid == group_id))
    ctx = base.context(req)
    if group is None or (not ctx.is_admin and group.project_id != ctx.project_id):
        raise exception.ServerGroupNotFound(group_id=group_id)
    return group


class Collection:
    def __init__(self, deps):
        self.deps = deps

    def on_get(self, req, resp):
        ctx = base.context(req)
        params = base.query(req, schema.index_query)
        self.deps.authorizer.authorize(ctx, group_policies.INDEX)
        stmt = sa.select(models.ServerGroup).order_by(models.ServerGroup.id)
        if 'all_projects' in params and types.strict_bool('all_projects',
                                                          params['all_projects']):
            self.deps.authorizer.authorize(ctx, group_policies.INDEX_ALL_PROJECTS)
        else:
            stmt = stmt.where(models.ServerGroup.project_id == ctx.project_id)
        stmt = stmt.offset(base.bounded_int(params.get('offset', 0)))
        limit = min(base.bounded_int(params.get('limit', self.deps.conf.api.max_limit)),
                    self.deps.conf.api.max_limit)
        stmt = stmt.limit(limit)
        groups = self.deps.db.read(lambda s: list(s.scalars(stmt)))
        resp.media = {'server_groups': [_serialize(req, g) for g in groups]}

    def on_post(self, req, resp):
        ctx = base.context(req)
        body = base.json_body(req, schema.create)
        self.deps.authorizer.authorize(ctx, group_policies.CREATE)
        values = body['server_group']

        def create(session):
            group = models.ServerGroup(uuid=uuidutils.generate_uuid(),
                                       name=values['name'],
                                       policy=values['policies'][0],
                                       project_id=ctx.project_id,
                                       user_id=ctx.user_id, members=[])
            session.add(group)
            session.flush()
            return group
        resp.media = {'server_group': _serialize(req, self.deps.db.write(create))}


class Item:
    def __init__(self, deps):
        self.deps = deps

    def on_get(self, req, resp, group_id):
        group = self.deps.db.read(lambda s: _load(req, s, group_id))
        self.deps.authorizer.authorize(base.context(req), group_policies.SHOW,
                                       {'project_id': group.project_id})
        resp.media = {'server_group': _serialize(req, group)}

    def on_delete(self, req, resp, group_id):
        def delete(session):
            group = _load(req, session, group_id)
            self.deps.authorizer.authorize(base.context(req), group_policies.DELETE,
                                           {'project_id': group.project_id})
            session.delete(group)
        self.deps.db.write(delete)
        resp.status = falcon.HTTP_204
