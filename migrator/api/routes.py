"""Every URL of the API, in one table (grep here to find a handler).

A route is the single declaration of a path: the resource that answers it,
whether it is read without a token, and for each method what it accepts
per microversion window. Request validation (``common.body`` and
``common.params``), the OpenAPI document and the middleware's handling of
paths are all derived from this table.
"""

from migrator.api import microversion as mv
from migrator.api import migrator_api, routing
from migrator.api.resources import (
    action_events,
    aggregates,
    availability_zones,
    capacity,
    drains,
    flavor_access,
    flavor_extra_specs,
    flavors,
    hypervisors,
    instance_actions,
    limits,
    migration_checks,
    migration_records,
    migrations,
    openapi,
    server_actions,
    server_groups,
    server_migrations,
    servers,
    services,
    versions,
)
from migrator.api.routing import Method, Route, Since, always
from migrator.api.schemas import aggregates as aggregate_schemas
from migrator.api.schemas import drains as drain_schemas
from migrator.api.schemas import flavors as flavor_schemas
from migrator.api.schemas import hypervisors as hypervisor_schemas
from migrator.api.schemas import limits as limit_schemas
from migrator.api.schemas import migrate_server as migrate_schemas
from migrator.api.schemas import migration_checks as check_schemas
from migrator.api.schemas import migration_records as record_schemas
from migrator.api.schemas import migrations as migration_schemas
from migrator.api.schemas import server_actions as action_schemas
from migrator.api.schemas import server_groups as server_group_schemas
from migrator.api.schemas import servers as server_schemas
from migrator.api.schemas import services as service_schemas

OPENAPI_PATH = '/v2.1/openapi.json'
MIGRATOR_OPENAPI_PATH = '/migrator/openapi.json'


_SERVER_ACTIONS = {
    'migrate': (Since(mv.BASE, migrate_schemas.migrate_v21),
                Since(mv.MIGRATE_HOST_FORCE, migrate_schemas.migrate_v256)),
    'confirmResize': always(action_schemas.confirm_resize),
    'revertResize': always(action_schemas.revert_resize),
    'os-stop': always(action_schemas.os_stop),
    'os-start': always(action_schemas.os_start),
    'lock': always(action_schemas.lock),
    'unlock': always(action_schemas.unlock),
    'reboot': always(action_schemas.reboot),
    'os-resetState': always(action_schemas.reset_state),
}
_AGGREGATE_ACTIONS = {
    'add_host': always(aggregate_schemas.add_host),
    'remove_host': always(aggregate_schemas.remove_host),
    'set_metadata': always(aggregate_schemas.set_metadata),
}
_FLAVOR_ACTIONS = {
    'addTenantAccess': always(flavor_schemas.add_tenant_access),
    'removeTenantAccess': always(flavor_schemas.remove_tenant_access),
}
# A hypervisor by its id: an integer before 2.53, a uuid and with_servers from it.
_HYPERVISOR_SHOW_QUERY = (Since(mv.BASE, None),
                          Since(mv.UUID_IDS, hypervisor_schemas.show_query_v253))
_HYPERVISOR_LIST_QUERY = (
    Since(mv.BASE, hypervisor_schemas.index_query),
    Since(mv.HYPERVISOR_PAGING, hypervisor_schemas.index_query_v233),
    Since(mv.UUID_IDS, hypervisor_schemas.index_query_v253))
_SERVER_LIST_QUERY = always(server_schemas.index_query)
_FLAVOR_LIST_QUERY = always(flavor_schemas.index_query)

ROUTES = (
    Route('/', versions.Root, {
        'GET': Method('List the API versions.', returns='versions')}, open=True),
    # Listed first at / as in Nova; only its version document is served.
    Route('/v2', versions.V20, {
        'GET': Method('Show the v2.0 version document.', returns='version')},
        open=True),
    Route('/v2.1', versions.V21, {
        'GET': Method('Show the v2.1 version document.', returns='version')},
        open=True),
    Route(OPENAPI_PATH, openapi.Document, {
        'GET': Method('This document.', returns='openapi')}, open=True),
    Route('/v2.1/servers', servers.Collection, {
        'GET': Method('List servers.', returns='servers', query=_SERVER_LIST_QUERY),
        'POST': Method('Create (boot) servers.', status=(202,),
                       body=(Since(mv.BASE, server_schemas.create_v21),
                             Since(mv.SERVER_DESCRIPTION,
                                   server_schemas.create_v219)))}),
    Route('/v2.1/servers/detail', servers.Detail, {
        'GET': Method('List servers with details.', returns='servers',
                      query=_SERVER_LIST_QUERY)}),
    Route('/v2.1/servers/{server_id}', servers.Item, {
        'GET': Method('Show a server.', returns='server'),
        'DELETE': Method('Delete a server.', status=(204,))}),
    Route('/v2.1/servers/{server_id}/action', server_actions.Action, {
        'POST': Method('Run a server action: migrate, confirmResize, '
                       'revertResize, os-stop, os-start, lock, unlock, reboot, '
                       'os-resetState.',
                       status=(202, 204), actions=_SERVER_ACTIONS)}),
    Route('/v2.1/servers/{server_id}/migrations', server_migrations.Collection, {
        'GET': Method("List a server's moves in progress (from 2.23).",
                      returns='migrations')}),
    Route('/v2.1/servers/{server_id}/migrations/{migration_id}',
          server_migrations.Item, {
              'GET': Method("Show one of a server's moves in progress (from 2.23).",
                            returns='migration'),
              'DELETE': Method('Abort a move before its disk copy ends (from '
                               '2.24).', status=(202,))}),
    Route('/v2.1/servers/{server_id}/os-instance-actions',
          instance_actions.Collection, {
              'GET': Method('List the actions of a server.',
                            returns='instanceActions')}),
    Route('/v2.1/servers/{server_id}/os-instance-actions/{request_id}',
          instance_actions.Item, {
              'GET': Method('Show an action of a server, with its events.',
                            returns='instanceAction')}),
    Route('/v2.1/flavors', flavors.Collection, {
        'GET': Method('List flavors.', returns='flavors', query=_FLAVOR_LIST_QUERY),
        'POST': Method('Create a flavor.', returns='flavor',
                       body=(Since(mv.BASE, flavor_schemas.create_v21),
                             Since(mv.FLAVOR_DESCRIPTION,
                                   flavor_schemas.create_v255)))}),
    Route('/v2.1/flavors/detail', flavors.Detail, {
        'GET': Method('List flavors with details.', returns='flavors',
                      query=_FLAVOR_LIST_QUERY)}),
    Route('/v2.1/flavors/{flavor_id}', flavors.Item, {
        'GET': Method('Show a flavor.', returns='flavor'),
        'PUT': Method('Update the description of a flavor.', returns='flavor',
                      body=always(flavor_schemas.update_v255),
                      since=mv.FLAVOR_DESCRIPTION),
        'DELETE': Method('Delete a flavor.', status=(202,))}),
    Route('/v2.1/flavors/{flavor_id}/os-flavor-access', flavor_access.Access, {
        'GET': Method('List the projects that may use a private flavor.',
                      returns='flavor_access')}),
    Route('/v2.1/flavors/{flavor_id}/action', flavor_access.Action, {
        'POST': Method('Give a project access to a private flavor, or take it '
                       'away.', returns='flavor_access', actions=_FLAVOR_ACTIONS)}),
    Route('/v2.1/flavors/{flavor_id}/os-extra_specs',
          flavor_extra_specs.Collection, {
              'GET': Method('List the extra specs of a flavor.',
                            returns='extra_specs'),
              'POST': Method('Create or update extra specs.',
                             returns='extra_specs',
                             body=always(flavor_schemas.extra_specs_create))}),
    Route('/v2.1/flavors/{flavor_id}/os-extra_specs/{key}',
          flavor_extra_specs.Item, {
              'GET': Method('Show one extra spec.'),
              'PUT': Method('Set one extra spec.',
                            body=always(flavor_schemas.extra_spec_update)),
              'DELETE': Method('Delete one extra spec.')}),
    Route('/v2.1/os-hypervisors', hypervisors.Collection, {
        'GET': Method('List hypervisors.', returns='hypervisors',
                      query=_HYPERVISOR_LIST_QUERY)}),
    Route('/v2.1/os-hypervisors/detail', hypervisors.Detail, {
        'GET': Method('List hypervisors with capacity and usage.',
                      returns='hypervisors', query=_HYPERVISOR_LIST_QUERY)}),
    Route('/v2.1/os-hypervisors/statistics', hypervisors.Statistics, {
        'GET': Method('Sum the capacity and usage of every hypervisor.',
                      returns='hypervisor_statistics')}),
    Route('/v2.1/os-hypervisors/{hypervisor_id}', hypervisors.Item, {
        'GET': Method('Show a hypervisor.', returns='hypervisor',
                      query=_HYPERVISOR_SHOW_QUERY)}),
    Route('/v2.1/os-hypervisors/{hypervisor_id}/uptime', hypervisors.Uptime, {
        'GET': Method('Show how long a hypervisor has been up.',
                      returns='hypervisor',
                      query=_HYPERVISOR_SHOW_QUERY)}),
    Route('/v2.1/os-hypervisors/{hypervisor_id}/search', hypervisors.Search, {
        'GET': Method('Find hypervisors whose host name contains the path '
                      'segment (before 2.53).', returns='hypervisors')}),
    Route('/v2.1/os-hypervisors/{hypervisor_id}/servers', hypervisors.Servers, {
        'GET': Method('List the servers of the hypervisors whose host name '
                      'contains the path segment (before 2.53).',
                      returns='hypervisors')}),
    Route('/v2.1/limits', limits.Limits, {
        'GET': Method("Show the project's limits (all unlimited) and usage.",
                      returns='limits', query=always(limit_schemas.show_query))}),
    Route('/v2.1/os-services', services.Collection, {
        'GET': Method('List services.', returns='services',
                      query=always(service_schemas.index_query))}),
    Route('/v2.1/os-services/{service_id}', services.Item, {
        'PUT': Method('Enable, disable or force down a compute service: before '
                      '2.53 the id is the action (enable, disable, '
                      'disable-log-reason, force-down), from 2.53 the service '
                      'uuid.', returns='service',
                      body=(Since(mv.BASE, service_schemas.legacy_action_v21),
                            Since(mv.SERVICE_FORCED_DOWN,
                                  service_schemas.legacy_action_v211),
                            Since(mv.UUID_IDS, service_schemas.update_v253))),
        'DELETE': Method('Delete a service.', status=(204,))}),
    Route('/v2.1/os-aggregates', aggregates.Collection, {
        'GET': Method('List aggregates.', returns='aggregates'),
        'POST': Method('Create an aggregate.', returns='aggregate',
                       body=always(aggregate_schemas.create))}),
    Route('/v2.1/os-aggregates/{aggregate_id}', aggregates.Item, {
        'GET': Method('Show an aggregate.', returns='aggregate'),
        'PUT': Method('Rename an aggregate or change its zone.',
                      returns='aggregate', body=always(aggregate_schemas.update)),
        'DELETE': Method('Delete an empty aggregate.')}),
    Route('/v2.1/os-aggregates/{aggregate_id}/action', aggregates.Action, {
        'POST': Method('Add or remove a host, or set metadata.',
                       returns='aggregate', actions=_AGGREGATE_ACTIONS)}),
    Route('/v2.1/os-availability-zone', availability_zones.Collection, {
        'GET': Method('List availability zones.', returns='availabilityZoneInfo')}),
    Route('/v2.1/os-availability-zone/detail', availability_zones.Detail, {
        'GET': Method('List availability zones with their hosts.',
                      returns='availabilityZoneInfo')}),
    Route('/v2.1/os-server-groups', server_groups.Collection, {
        'GET': Method('List server groups.', returns='server_groups',
                      query=always(server_group_schemas.index_query)),
        'POST': Method('Create a server group.', returns='server_group',
                       body=always(server_group_schemas.create))}),
    Route('/v2.1/os-server-groups/{group_id}', server_groups.Item, {
        'GET': Method('Show a server group.', returns='server_group'),
        'DELETE': Method('Delete a server group.', status=(204,))}),
    Route('/v2.1/os-migrations', migrations.Collection, {
        'GET': Method('List migrations.', returns='migrations',
                      query=always(migration_schemas.index_query))}),

    # -- migrator's own API: what Nova lacks ----------------------------------
    Route('/migrator', versions.MigratorRoot, {
        'GET': Method("List the versions of migrator's own API.",
                      returns='versions')}, open=True),
    Route(MIGRATOR_OPENAPI_PATH, openapi.Document, {
        'GET': Method('This document.', returns='openapi')}, open=True),
    Route('/migrator/capacity', capacity.Collection, {
        'GET': Method('List compute hosts with the capacity the claims work '
                      'with: per resource, used, held by moves in flight, '
                      'free.', returns='hosts')}),
    Route('/migrator/capacity/{host}', capacity.Item, {
        'GET': Method('Show the capacity of one compute host.', returns='host')}),
    Route('/migrator/migrations', migration_records.Collection, {
        'GET': Method('List the records of moves, newest first.',
                      returns='migrations',
                      query=(Since(migrator_api.BASE, record_schemas.index_query),
                             Since(migrator_api.RECORD_PAGES,
                                   record_schemas.index_query_v13)))}),
    Route('/migrator/migrations/{migration_id}', migration_records.Item, {
        'GET': Method('Show the record of one move.', returns='migration')}),
    Route('/migrator/migration-checks', migration_checks.Collection, {
        'POST': Method('Check whether a server could move to some hosts (or '
                       'to any host) and why not, and what force would change; '
                       'claims nothing.', returns='migration_check',
                       body=(Since(migrator_api.MIGRATION_CHECKS,
                                   check_schemas.create),),
                       since=migrator_api.MIGRATION_CHECKS)}),
    Route('/migrator/drains', drains.Collection, {
        'GET': Method('List drains, newest first.', returns='drains',
                      query=(Since(migrator_api.DRAINS, drain_schemas.index_query),),
                      since=migrator_api.DRAINS),
        'POST': Method('Start a drain of a host (202), or preview where each '
                       'of its servers would go (dry_run, 200).', status=(200, 202),
                       body=(Since(migrator_api.DRAINS, drain_schemas.create),),
                       since=migrator_api.DRAINS)}),
    Route('/migrator/drains/{drain_id}', drains.Item, {
        'GET': Method('Show a drain and where each of its servers stands.',
                      returns='drain', since=migrator_api.DRAINS),
        'DELETE': Method('Cancel a drain: no new move starts (abort_moves: '
                         'moves before the end of their copy are aborted).',
                         status=(202,),
                         query=(Since(migrator_api.DRAINS,
                                      drain_schemas.delete_query),),
                         since=migrator_api.DRAINS)}),
    Route('/migrator/servers/{server_id}/actions/{request_id}',
          action_events.Item, {
              'GET': Method("Show an action of a server with each event's host "
                            'and details.', returns='action')}),
)

# Modules whose schemas the OpenAPI document names as components.
SCHEMA_MODULES = (server_schemas, action_schemas, migrate_schemas, flavor_schemas,
                  hypervisor_schemas, service_schemas, aggregate_schemas,
                  server_group_schemas, migration_schemas, record_schemas,
                  check_schemas, drain_schemas)

OPERATIONS = routing.operations(ROUTES)
