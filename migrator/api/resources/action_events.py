"""migrator API: one action of a server with each event's host and
details (the scheduler's verdicts, hosts and numbers of a move), which
Nova's os-instance-actions has no field for."""

import json

from migrator.api import common
from migrator.api.policies import instance_actions as policies
from migrator.api.views.servers import target_of


def _serialize_event(event, with_traceback: bool) -> dict:
    body = {'event': event.event,
            'start_time': common.isotime_micro(event.start_time),
            'finish_time': common.isotime_micro(event.finish_time),
            'result': event.result,
            'host': event.host,
            'details': json.loads(event.details) if event.details else None}
    if with_traceback:
        body['traceback'] = event.traceback
    return body


class Item:
    def __init__(self, deps):
        self.deps = deps

    def on_get(self, req, resp, server_id, request_id):
        ctx = common.context(req)
        instance = self.deps.ops.servers.get(ctx, server_id)
        target = target_of(instance)
        self.deps.authorizer.authorize(ctx, policies.SHOW, target)
        self.deps.authorizer.authorize(ctx, policies.EVENTS_DETAILS, target)
        action = self.deps.ops.instance_actions.get(instance, request_id)
        with_traceback = self.deps.authorizer.check(ctx, policies.EVENTS, target)
        resp.media = {'action': {
            'action': action.action, 'server_id': action.instance_uuid,
            'request_id': action.request_id, 'user_id': action.user_id,
            'project_id': action.project_id,
            'start_time': common.isotime_micro(action.start_time),
            'message': action.message,
            'events': [_serialize_event(e, with_traceback) for e in action.events]}}
