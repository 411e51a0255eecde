"""os-migrations: every move, and for forced ones what the filters thought."""

import sqlalchemy as sa

from migrator.api import microversion as mv
from migrator.api.policies import migrations as migration_policies
from migrator.api.resources import base
from migrator.api.schemas import migrations as schema
from migrator.api.schemas import types
from migrator.db import models

# What names a host, left out (null) for callers who may not see hosts.
_HOST_FIELDS = ('source_node', 'source_compute', 'dest_node', 'dest_compute',
                'dest_host', 'migrator:requested_host', 'migrator:error_reason')


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
        'created_at': base.isotime_micro(migration.created_at),
        'updated_at': base.isotime_micro(migration.updated_at),
        # Beyond Nova: how the destination was chosen, and where the move is.
        'migrator:uuid': migration.uuid,
        'migrator:requested_host': migration.requested_host,
        'migrator:forced': bool(migration.forced),
        'migrator:forced_past_filters': list(migration.forced_filter_failures or []),
        'migrator:progress': migration.progress,
        'migrator:phase_times': dict(migration.phase_times or {}),
        'migrator:error_reason': migration.error_reason,
    }
    if base.version_at_least(req, mv.MIGRATION_TYPE):
        body['migration_type'] = migration.migration_type
    if not show_hosts:
        body.update(dict.fromkeys(_HOST_FIELDS))
        body['migrator:forced_past_filters'] = []
    return body


class Collection:
    def __init__(self, deps):
        self.deps = deps

    def on_get(self, req, resp):
        params = base.query(req, schema.index_query)
        ctx = base.context(req)
        self.deps.authorizer.authorize(ctx, migration_policies.INDEX)
        # As Nova: every project's moves, or another project's, need more.
        if params.get('project_id') != ctx.project_id:
            self.deps.authorizer.authorize(ctx, migration_policies.INDEX_ALL_PROJECTS)
        show_hosts = self.deps.authorizer.check(ctx, migration_policies.INDEX_HOST)
        m = models.Migration
        stmt = sa.select(m).order_by(m.created_at.desc(), m.id.desc())
        if params.get('project_id'):
            stmt = stmt.where(m.project_id == params['project_id'])
        if 'host' in params:
            stmt = stmt.where(sa.or_(m.source_compute == params['host'],
                                     m.dest_compute == params['host']))
        for key in ('status', 'instance_uuid', 'source_compute'):
            if key in params:
                stmt = stmt.where(getattr(m, key) == params[key])
        if 'migration_type' in params:
            stmt = stmt.where(m.migration_type == params['migration_type'])
        hidden = types.parse_bool(params.get('hidden', 'false'))
        stmt = stmt.where(m.hidden.is_(hidden))
        migrations = self.deps.db.read(lambda s: list(s.scalars(stmt)))
        resp.media = {'migrations': [serialize_migration(req, mi, show_hosts)
                                     for mi in migrations]}
