"""migrator API: drains, taking a host down for maintenance -- preview
where each server would go, start emptying the host, watch, cancel."""

import falcon

from migrator.api import common
from migrator.api.policies import drains as policies
from migrator.api.schemas import types
from migrator.operations.drains import DrainOptions

DEFAULT_REASON = 'drained for maintenance'


def _serialize_item(item, migrations) -> dict:
    body = {'server_id': item.instance_uuid, 'status': item.status,
            'attempts': item.attempts, 'migration_id': item.migration_uuid,
            'destination': item.destination, 'tried_hosts': item.tried_hosts,
            'reason': item.reason,
            'started_at': common.isotime_micro(item.started_at),
            'finished_at': common.isotime_micro(item.finished_at),
            'phase': None, 'progress': None}
    migration = migrations.get(item.migration_uuid)
    if migration is not None:
        body.update(phase=migration.status, progress=migration.progress,
                    destination=item.destination or migration.dest_compute)
    return body


def _serialize(view, with_items: bool = True) -> dict:
    drain = view.drain
    body = {'uuid': drain.uuid, 'host': drain.host, 'status': drain.status,
            'reason': drain.reason, 'max_parallel': drain.max_parallel,
            'max_attempts': drain.max_attempts, 'confirm': drain.confirm,
            'abort_on_cancel': drain.abort_on_cancel,
            'options': dict(drain.options), 'owner': drain.owner,
            'message': drain.message, 'counts': view.counts,
            'progress': view.progress,
            'created_at': common.isotime_micro(drain.created_at),
            'updated_at': common.isotime_micro(drain.updated_at),
            'finished_at': common.isotime_micro(drain.finished_at)}
    if with_items:
        body['servers'] = [_serialize_item(i, view.migrations) for i in view.items]
    return body


def _serialize_plan(host, planned) -> dict:
    placed = sum(1 for p in planned if p.destination)
    return {'host': host, 'summary': '%d/%d servers can be placed' % (
        placed, len(planned)), 'servers': [
        {'server_id': p.server.uuid, 'name': p.server.display_name,
         'status': p.server.vm_state, 'destination': p.destination,
         'forced': p.forced, 'reason': p.reason} for p in planned]}


class Collection:
    def __init__(self, deps):
        self.deps = deps

    def on_get(self, req, resp):
        params = common.params(req)
        self.deps.authorizer.authorize(common.context(req), policies.INDEX)
        found = self.deps.ops.drains.list(params.get('host'), params.get('status'))
        resp.media = {'drains': [_serialize(v, with_items=False) for v in found]}

    def on_post(self, req, resp):
        ctx = common.context(req)
        values = common.body(req)['drain']
        self.deps.authorizer.authorize(ctx, policies.CREATE)
        options = DrainOptions(
            hosts=values.get('hosts'), aggregate=values.get('aggregate'),
            zone=values.get('zone'), exclude_hosts=values.get('exclude_hosts', []),
            include_stopped=values.get('include_stopped', True),
            force_servers=values.get('force_servers', []))
        drains = self.deps.ops.drains
        if values.get('dry_run'):
            resp.media = {'drain_plan': _serialize_plan(
                values['host'], drains.plan(ctx, values['host'], options))}
            return
        view = drains.start(ctx, values['host'], options,
                            values.get('reason', DEFAULT_REASON),
                            values.get('max_parallel', 2),
                            values.get('confirm', True),
                            values.get('max_attempts', 3))
        resp.status = falcon.HTTP_202
        resp.location = '%s/migrator/drains/%s' % (req.prefix, view.drain.uuid)
        resp.media = {'drain': _serialize(view)}


class Item:
    def __init__(self, deps):
        self.deps = deps

    def on_get(self, req, resp, drain_id):
        self.deps.authorizer.authorize(common.context(req), policies.SHOW)
        resp.media = {'drain': _serialize(self.deps.ops.drains.get(drain_id))}

    def on_delete(self, req, resp, drain_id):
        ctx = common.context(req)
        params = common.params(req)
        self.deps.authorizer.authorize(ctx, policies.DELETE)
        abort = types.parse_bool(params.get('abort_moves', False))
        view = self.deps.ops.drains.cancel(ctx, drain_id, abort)
        resp.status = falcon.HTTP_202
        resp.media = {'drain': _serialize(view)}
