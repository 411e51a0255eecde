"""os-migrations: every move, and for forced ones what the filters thought."""

from migrator.api import common
from migrator.api import microversion as mv
from migrator.api.schemas import types
from migrator.operations.migrations import MigrationFilters


def serialize_migration(req, migration) -> dict:
    body = {
        'id': migration.id,
        'status': migration.status,
        'instance_uuid': migration.instance_uuid,
        'source_node': migration.source_node,
        'source_compute': migration.source_compute,
        'dest_node': migration.dest_node,
        'dest_compute': migration.dest_compute,
        'dest_host': migration.dest_host,
        'old_instance_type_id': migration.old_instance_type_id,
        'new_instance_type_id': migration.new_instance_type_id,
        'created_at': common.isotime_micro(migration.created_at),
        'updated_at': common.isotime_micro(migration.updated_at),
        # Beyond Nova: how the destination was chosen, and where the move is.
        'migrator:uuid': migration.uuid,
        'migrator:requested_host': migration.requested_host,
        'migrator:forced': bool(migration.forced),
        'migrator:forced_past_filters': list(migration.forced_filter_failures or []),
        'migrator:progress': migration.progress,
        'migrator:phase_times': dict(migration.phase_times or {}),
        'migrator:error_reason': migration.error_reason,
    }
    if common.version_at_least(req, mv.MIGRATION_TYPE):
        body['migration_type'] = migration.migration_type
    return body


class Collection:
    def __init__(self, deps):
        self.deps = deps

    def on_get(self, req, resp):
        params = common.params(req)
        self.deps.authorizer.authorize(common.context(req),
                                       'os_compute_api:os-migrations:index')
        filters = MigrationFilters(
            host=params.get('host'), status=params.get('status'),
            instance_uuid=params.get('instance_uuid'),
            source_compute=params.get('source_compute'),
            migration_type=params.get('migration_type'),
            hidden=types.parse_bool(params.get('hidden', 'false')))
        resp.media = {'migrations': [serialize_migration(req, m) for m in
                                     self.deps.ops.migrations.list(filters)]}
