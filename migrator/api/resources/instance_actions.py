"""servers/{id}/os-instance-actions: what happened to a server, step by step."""

import json

import sqlalchemy as sa

from migrator import exception
from migrator.api import microversion as mv
from migrator.api.policies import instance_actions as action_policies
from migrator.api.resources import base
from migrator.api.resources.servers import load_server, target_of
from migrator.db import models


def _serialize_action(action) -> dict:
    return {'action': action.action, 'instance_uuid': action.instance_uuid,
            'request_id': action.request_id, 'user_id': action.user_id,
            'project_id': action.project_id,
            'start_time': base.isotime_micro(action.start_time),
            'message': action.message}


def _serialize_event(event, show_traceback: bool, show_details: bool) -> dict:
    body = {'event': event.event,
            'start_time': base.isotime_micro(event.start_time),
            'finish_time': base.isotime_micro(event.finish_time),
            'result': event.result}
    if show_traceback:
        body['traceback'] = event.traceback
        body['migrator:host'] = event.host
    if show_details:
        body['migrator:details'] = json.loads(event.details) if event.details else None
    return body


class Collection:
    def __init__(self, deps):
        self.deps = deps

    def on_get(self, req, resp, server_id):
        instance = load_server(req, self.deps, server_id)
        self.deps.authorizer.authorize(base.context(req), action_policies.LIST,
                                       target_of(instance))
        actions = self.deps.db.read(lambda s: list(s.scalars(
            sa.select(models.InstanceAction)
            .where(models.InstanceAction.instance_uuid == instance.uuid)
            .order_by(models.InstanceAction.id.desc()))))
        resp.media = {'instanceActions': [_serialize_action(a) for a in actions]}


class Item:
    def __init__(self, deps):
        self.deps = deps

    def on_get(self, req, resp, server_id, request_id):
        ctx = base.context(req)
        instance = load_server(req, self.deps, server_id)
        target = target_of(instance)
        self.deps.authorizer.authorize(ctx, action_policies.SHOW, target)
        action = self.deps.db.read(lambda s: s.scalar(
            sa.select(models.InstanceAction)
            .where(models.InstanceAction.instance_uuid == instance.uuid,
                   models.InstanceAction.request_id == request_id)
            .order_by(models.InstanceAction.id.desc()).limit(1)))
        if action is None:
            raise exception.InstanceActionNotFound(request_id=request_id,
                                                   instance_id=server_id)
        privileged = self.deps.authorizer.check(ctx, action_policies.EVENTS, target)
        body = _serialize_action(action)
        if privileged or base.version_at_least(req, mv.ACTION_EVENTS_FOR_ALL):
            details = self.deps.authorizer.check(ctx, action_policies.EVENTS_DETAILS,
                                                 target)
            body['events'] = [_serialize_event(e, privileged, details)
                              for e in action.events]
        resp.media = {'instanceAction': body}
