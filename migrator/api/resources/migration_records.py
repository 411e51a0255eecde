"""migrator API: the full record of each move -- how its destination was
chosen (requested host, forced, the filters a forced move went past and
why), how far it got (phase times, copy progress) and why it failed."""

from migrator.api import common, migrator_api
from migrator.api.policies import migration_records as policies
from migrator.api.schemas import types
from migrator.operations.migrations import MigrationFilters

# Fields that name or describe hosts, shown to who may see hosts.
_HOST_FIELDS = ('source', 'destination', 'requested_host', 'forced_past',
                'error_reason')


def _serialize(migration, with_hosts: bool) -> dict:
    body = {
        'uuid': migration.uuid,
        'server_id': migration.instance_uuid,
        'project_id': migration.project_id,
        'user_id': migration.user_id,
        'type': migration.migration_type,
        'status': migration.status,
        'source': migration.source_compute,
        'destination': migration.dest_compute,
        'requested_host': migration.requested_host,
        'forced': bool(migration.forced),
        # None: not recorded (the scheduler could not be asked).
        'forced_past': (None if migration.forced_filter_failures is None
                        else list(migration.forced_filter_failures)),
        'progress': migration.progress,
        'phase_times': dict(migration.phase_times or {}),
        'error_reason': migration.error_reason,
        'created_at': common.isotime_micro(migration.created_at),
        'updated_at': common.isotime_micro(migration.updated_at),
    }
    if not with_hosts:
        for field in _HOST_FIELDS:
            del body[field]
    return body


class Collection:
    def __init__(self, deps):
        self.deps = deps

    def on_get(self, req, resp):
        ctx = common.context(req)
        params = common.params(req)
        authorize = self.deps.authorizer
        authorize.authorize(ctx, policies.INDEX)
        # Another project's moves need more; without a project named, every
        # project's for who may see them all, else the caller's own.
        project_id = params.get('project_id')
        if project_id is not None and project_id != ctx.project_id:
            authorize.authorize(ctx, policies.INDEX_ALL_PROJECTS)
        elif project_id is None and not authorize.check(
                ctx, policies.INDEX_ALL_PROJECTS):
            project_id = ctx.project_id
        with_hosts = authorize.check(ctx, policies.INDEX_HOST)
        if 'host' in params:
            authorize.authorize(ctx, policies.INDEX_HOST)
        ended, limit = None, None
        paged = common.version_at_least(req, migrator_api.RECORD_PAGES)
        if paged:
            # From 1.3 a list is a page: at most [api] max_limit records,
            # as every list of the compute API.
            limit = common.page_limit(params, self.deps.conf)
            if 'ended' in params:
                ended = types.parse_bool(params['ended'])
        found = self.deps.ops.migrations.list(MigrationFilters(
            host=params.get('host'), status=params.get('status'),
            instance_uuid=params.get('server_id'), project_id=project_id,
            hidden=None, ended=ended), limit=limit, marker=params.get('marker'))
        records = [_serialize(m, with_hosts) for m in found]
        resp.media = {'migrations': records}
        if paged:
            links = common.next_link(req, 'migrations', records, limit,
                                     marker_key='uuid', root=migrator_api.PREFIX)
            if links:
                resp.media['migrations_links'] = links


class Item:
    def __init__(self, deps):
        self.deps = deps

    def on_get(self, req, resp, migration_id):
        ctx = common.context(req)
        migration = self.deps.ops.migrations.get(ctx, migration_id)
        target = {'project_id': migration.project_id,
                  'user_id': migration.user_id}
        self.deps.authorizer.authorize(ctx, policies.SHOW, target)
        with_hosts = self.deps.authorizer.check(ctx, policies.SHOW_HOST, target)
        resp.media = {'migration': _serialize(migration, with_hosts)}
