"""servers/{id}/os-instance-actions: what happened to a server, step by step."""

from migrator.api import common
from migrator.api import microversion as mv
from migrator.api.policies import instance_actions as action_policies
from migrator.api.views.servers import target_of


def _serialize_action(action) -> dict:
    return {'action': action.action, 'instance_uuid': action.instance_uuid,
            'request_id': action.request_id, 'user_id': action.user_id,
            'project_id': action.project_id,
            'start_time': common.isotime_micro(action.start_time),
            'message': action.message}


def _serialize_event(event, show_traceback: bool) -> dict:
    body = {'event': event.event,
            'start_time': common.isotime_micro(event.start_time),
            'finish_time': common.isotime_micro(event.finish_time),
            'result': event.result}
    if show_traceback:
        body['traceback'] = event.traceback
    return body


class Collection:
    def __init__(self, deps):
        self.deps = deps

    def on_get(self, req, resp, server_id):
        ctx = common.context(req)
        instance = self.deps.ops.servers.get(ctx, server_id)
        self.deps.authorizer.authorize(ctx, action_policies.LIST, target_of(instance))
        actions = self.deps.ops.instance_actions.list(instance)
        resp.media = {'instanceActions': [_serialize_action(a) for a in actions]}


class Item:
    def __init__(self, deps):
        self.deps = deps

    def on_get(self, req, resp, server_id, request_id):
        ctx = common.context(req)
        instance = self.deps.ops.servers.get(ctx, server_id)
        target = target_of(instance)
        self.deps.authorizer.authorize(ctx, action_policies.SHOW, target)
        action = self.deps.ops.instance_actions.get(instance, request_id)
        privileged = self.deps.authorizer.check(ctx, action_policies.EVENTS, target)
        body = _serialize_action(action)
        if privileged or common.version_at_least(req, mv.ACTION_EVENTS_FOR_ALL):
            body['events'] = [_serialize_event(e, privileged)
                              for e in action.events]
        resp.media = {'instanceAction': body}
