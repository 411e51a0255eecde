"""GET /servers/{server_id}/migrations[/{migration_id}] (2.23): a server's
moves in progress, cold ones included (Nova lists live migrations only;
migrator has cold moves alone). The disk fields follow the copy; a cold
move copies no memory, so the memory fields are null.

DELETE /servers/{server_id}/migrations/{migration_id} (2.24) aborts a move
until its disk copy ends, with Nova's answers: 404 for a migration that is
not the server's, 409 for a locked server or one whose task is past the
copy, 400 for a migration in any other status."""

import falcon

from migrator import exception
from migrator.api import common
from migrator.api import microversion as mv
from migrator.api.policies import server_migrations as policies
from migrator.api.views.migrations import HOST_FIELDS
from migrator.api.views.servers import target_of
from migrator.operations.migrations import MigrationFilters

_GIB = 1024 ** 3


def _serialize(migration, instance, show_hosts: bool) -> dict:
    flavor = instance.flavor or {}
    total = (int(flavor.get('root_gb', 0)) + int(flavor.get('ephemeral_gb', 0))) * _GIB
    processed = total * int(migration.progress or 0) // 100
    body = {
        'id': migration.id,
        'server_uuid': migration.instance_uuid,
        'status': migration.status,
        'source_node': migration.source_node,
        'source_compute': migration.source_compute,
        'dest_node': migration.dest_node,
        'dest_compute': migration.dest_compute,
        'dest_host': migration.dest_host,
        'disk_total_bytes': total,
        'disk_processed_bytes': processed,
        'disk_remaining_bytes': total - processed,
        'memory_total_bytes': None,
        'memory_processed_bytes': None,
        'memory_remaining_bytes': None,
        'created_at': common.isotime_micro(migration.created_at),
        'updated_at': common.isotime_micro(migration.updated_at),
    }
    if not show_hosts:
        body.update(dict.fromkeys(HOST_FIELDS))
    return body


def _not_before(req, version, what):
    if not common.version_at_least(req, version):
        raise exception.NotFound('The resource could not be found. %s '
                                 'served from microversion %d.%d.'
                                 % (what, *version))


def _in_progress(deps, req, server_id, rule):
    _not_before(req, mv.MIGRATION_TYPE, "A server's migrations are")
    ctx = common.context(req)
    instance = deps.ops.servers.get(ctx, server_id)
    target = target_of(instance)
    deps.authorizer.authorize(ctx, rule, target)
    moves = deps.ops.migrations.list(MigrationFilters(
        instance_uuid=instance.uuid, in_progress=True, hidden=None))
    return ctx, instance, target, moves


class Collection:
    def __init__(self, deps):
        self.deps = deps

    def on_get(self, req, resp, server_id):
        ctx, instance, target, moves = _in_progress(self.deps, req, server_id,
                                                    policies.INDEX)
        show_hosts = self.deps.authorizer.check(ctx, policies.INDEX_HOST, target)
        resp.media = {'migrations': [_serialize(m, instance, show_hosts)
                                     for m in moves]}


class Item:
    def __init__(self, deps):
        self.deps = deps

    def on_get(self, req, resp, server_id, migration_id):
        _ctx, instance, _target, moves = _in_progress(self.deps, req, server_id,
                                                      policies.SHOW)
        found = [m for m in moves if str(m.id) == migration_id]
        if not found:
            raise exception.NotFound(
                'In-progress migration %s is not found for server %s.'
                % (migration_id, instance.uuid))
        resp.media = {'migration': _serialize(found[0], instance, True)}

    def on_delete(self, req, resp, server_id, migration_id):
        _not_before(req, mv.MIGRATION_ABORT, 'Aborting a migration is')
        ctx = common.context(req)
        instance = self.deps.ops.servers.get(ctx, server_id)
        self.deps.authorizer.authorize(ctx, policies.DELETE, target_of(instance))
        self.deps.ops.moves.abort(ctx, instance, migration_id)
        resp.status = falcon.HTTP_202
