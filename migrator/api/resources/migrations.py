"""os-migrations: every move, with Nova's fields (the full record of a move
is in migrator's own API, /migrator/migrations)."""

from migrator.api import common
from migrator.api import microversion as mv
from migrator.api.policies import migrations as migration_policies
from migrator.api.schemas import types
from migrator.api.views.migrations import HOST_FIELDS
from migrator.operations.migrations import MigrationFilters


def serialize_migration(req, migration, show_hosts: bool = True) -> dict:
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
    }
    if common.version_at_least(req, mv.MIGRATION_TYPE):
        body['migration_type'] = migration.migration_type
    if not show_hosts:
        body.update(dict.fromkeys(HOST_FIELDS))
    return body


class Collection:
    def __init__(self, deps):
        self.deps = deps

    def on_get(self, req, resp):
        params = common.params(req)
        ctx = common.context(req)
        self.deps.authorizer.authorize(ctx, migration_policies.INDEX)
        # As Nova: every project's moves, or another project's, need more.
        if params.get('project_id') != ctx.project_id:
            self.deps.authorizer.authorize(ctx, migration_policies.INDEX_ALL_PROJECTS)
        show_hosts = self.deps.authorizer.check(ctx, migration_policies.INDEX_HOST)
        filters = MigrationFilters(
            project_id=params.get('project_id') or None,
            host=params.get('host'), status=params.get('status'),
            instance_uuid=params.get('instance_uuid'),
            source_compute=params.get('source_compute'),
            migration_type=params.get('migration_type'),
            hidden=types.parse_bool(params.get('hidden', 'false')))
        resp.media = {'migrations': [serialize_migration(req, m, show_hosts) for m in
                                     self.deps.ops.migrations.list(filters)]}
