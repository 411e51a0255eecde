"""The OpenAPI 3.1 document of the compute API.

Built from the route table and from the very schema objects the handlers
validate requests with (``OPERATIONS`` below names them), so the document
cannot drift from what the API accepts: a unit test sends one request per
operation and microversion and checks that the schema a handler validated
with is the one named here.

The document describes the body and query schemas of the highest
microversion; where an earlier microversion accepts something else, the
operation lists every window under ``x-openstack-microversions``.
"""

import copy
import dataclasses
import functools
import inspect

from migrator.api import microversion as mv
from migrator.api import routes
from migrator.api.resources import hypervisors
from migrator.api.schemas import (
    aggregates,
    flavors,
    migrate_server,
    migrations,
    server_actions,
    server_groups,
    servers,
    services,
)

PATH = '/v2.1/openapi.json'
METHODS = ('get', 'post', 'put', 'delete')


@dataclasses.dataclass(frozen=True)
class Since:
    """``schema`` applies from microversion ``version`` (until the next one);
    ``None`` means the request is not validated in that window."""
    version: tuple
    schema: dict | None


@dataclasses.dataclass(frozen=True)
class Operation:
    summary: str
    status: tuple = (200,)
    returns: str | None = None
    body: tuple = ()
    query: tuple = ()
    actions: dict = dataclasses.field(default_factory=dict)
    since: tuple = mv.BASE
    public: bool = False


def _always(schema) -> tuple:
    return (Since(mv.BASE, schema),)


_SERVER_ACTIONS = {
    'migrate': (Since(mv.BASE, migrate_server.migrate_v21),
                Since(mv.MIGRATE_HOST_FORCE, migrate_server.migrate_v256)),
    'confirmResize': _always(server_actions.confirm_resize),
    'revertResize': _always(server_actions.revert_resize),
    'os-stop': _always(server_actions.os_stop),
    'os-start': _always(server_actions.os_start),
    'lock': _always(server_actions.lock),
    'unlock': _always(server_actions.unlock),
}
_AGGREGATE_ACTIONS = {
    'add_host': _always(aggregates.add_host),
    'remove_host': _always(aggregates.remove_host),
    'set_metadata': _always(aggregates.set_metadata),
}
_HYPERVISOR_LIST_QUERY = (Since(mv.BASE, hypervisors.index_query),
                          Since(mv.HYPERVISOR_PAGING, hypervisors.index_query_v233),
                          Since(mv.UUID_IDS, hypervisors.index_query_v253))

# (route, method) -> what the handler accepts and answers.
OPERATIONS = {
    ('/', 'get'): Operation('List the API versions.', returns='versions',
                            public=True),
    ('/v2.1', 'get'): Operation('Show the v2.1 version document.',
                                returns='version', public=True),
    (PATH, 'get'): Operation('This document.', returns='openapi', public=True),
    ('/v2.1/servers', 'get'): Operation(
        'List servers.', returns='servers', query=_always(servers.index_query)),
    ('/v2.1/servers', 'post'): Operation(
        'Create (boot) servers.', status=(202,),
        body=(Since(mv.BASE, servers.create_v21),
              Since(mv.SERVER_DESCRIPTION, servers.create_v219))),
    ('/v2.1/servers/detail', 'get'): Operation(
        'List servers with details.', returns='servers',
        query=_always(servers.index_query)),
    ('/v2.1/servers/{server_id}', 'get'): Operation('Show a server.',
                                                    returns='server'),
    ('/v2.1/servers/{server_id}', 'delete'): Operation('Delete a server.',
                                                       status=(204,)),
    ('/v2.1/servers/{server_id}/action', 'post'): Operation(
        'Run a server action: migrate, confirmResize, revertResize, os-stop, '
        'os-start, lock, unlock.', status=(202, 204), actions=_SERVER_ACTIONS),
    ('/v2.1/servers/{server_id}/os-instance-actions', 'get'): Operation(
        'List the actions of a server.', returns='instanceActions'),
    ('/v2.1/servers/{server_id}/os-instance-actions/{request_id}', 'get'): Operation(
        'Show an action of a server, with its events.', returns='instanceAction'),
    ('/v2.1/flavors', 'get'): Operation('List flavors.', returns='flavors',
                                        query=_always(flavors.index_query)),
    ('/v2.1/flavors', 'post'): Operation(
        'Create a flavor.', returns='flavor',
        body=(Since(mv.BASE, flavors.create_v21),
              Since(mv.FLAVOR_DESCRIPTION, flavors.create_v255))),
    ('/v2.1/flavors/detail', 'get'): Operation(
        'List flavors with details.', returns='flavors',
        query=_always(flavors.index_query)),
    ('/v2.1/flavors/{flavor_id}', 'get'): Operation('Show a flavor.',
                                                    returns='flavor'),
    ('/v2.1/flavors/{flavor_id}', 'put'): Operation(
        'Update the description of a flavor.', returns='flavor',
        body=_always(flavors.update_v255), since=mv.FLAVOR_DESCRIPTION),
    ('/v2.1/flavors/{flavor_id}', 'delete'): Operation('Delete a flavor.',
                                                       status=(202,)),
    ('/v2.1/flavors/{flavor_id}/os-extra_specs', 'get'): Operation(
        'List the extra specs of a flavor.', returns='extra_specs'),
    ('/v2.1/flavors/{flavor_id}/os-extra_specs', 'post'): Operation(
        'Create or update extra specs.', returns='extra_specs',
        body=_always(flavors.extra_specs_create)),
    ('/v2.1/flavors/{flavor_id}/os-extra_specs/{key}', 'get'): Operation(
        'Show one extra spec.'),
    ('/v2.1/flavors/{flavor_id}/os-extra_specs/{key}', 'put'): Operation(
        'Set one extra spec.', body=_always(flavors.extra_spec_update)),
    ('/v2.1/flavors/{flavor_id}/os-extra_specs/{key}', 'delete'): Operation(
        'Delete one extra spec.'),
    ('/v2.1/os-hypervisors', 'get'): Operation(
        'List hypervisors.', returns='hypervisors', query=_HYPERVISOR_LIST_QUERY),
    ('/v2.1/os-hypervisors/detail', 'get'): Operation(
        'List hypervisors with capacity and usage.', returns='hypervisors',
        query=_HYPERVISOR_LIST_QUERY),
    ('/v2.1/os-hypervisors/statistics', 'get'): Operation(
        'Sum the capacity and usage of every hypervisor.',
        returns='hypervisor_statistics'),
    ('/v2.1/os-hypervisors/{hypervisor_id}', 'get'): Operation(
        'Show a hypervisor.', returns='hypervisor',
        query=(Since(mv.BASE, None), Since(mv.UUID_IDS, hypervisors.show_query_v253))),
    ('/v2.1/os-services', 'get'): Operation('List services.', returns='services',
                                            query=_always(services.index_query)),
    ('/v2.1/os-services/{service_id}', 'put'): Operation(
        'Enable, disable or force down a compute service: before 2.53 the id is '
        'the action (enable, disable, disable-log-reason, force-down), from '
        '2.53 the service uuid.', returns='service',
        body=(Since(mv.BASE, services.legacy_action_v21),
              Since(mv.SERVICE_FORCED_DOWN, services.legacy_action_v211),
              Since(mv.UUID_IDS, services.update_v253))),
    ('/v2.1/os-services/{service_id}', 'delete'): Operation('Delete a service.',
                                                            status=(204,)),
    ('/v2.1/os-aggregates', 'get'): Operation('List aggregates.',
                                              returns='aggregates'),
    ('/v2.1/os-aggregates', 'post'): Operation(
        'Create an aggregate.', returns='aggregate', body=_always(aggregates.create)),
    ('/v2.1/os-aggregates/{aggregate_id}', 'get'): Operation(
        'Show an aggregate.', returns='aggregate'),
    ('/v2.1/os-aggregates/{aggregate_id}', 'put'): Operation(
        'Rename an aggregate or change its zone.', returns='aggregate',
        body=_always(aggregates.update)),
    ('/v2.1/os-aggregates/{aggregate_id}', 'delete'): Operation(
        'Delete an empty aggregate.'),
    ('/v2.1/os-aggregates/{aggregate_id}/action', 'post'): Operation(
        'Add or remove a host, or set metadata.', returns='aggregate',
        actions=_AGGREGATE_ACTIONS),
    ('/v2.1/os-availability-zone', 'get'): Operation(
        'List availability zones.', returns='availabilityZoneInfo'),
    ('/v2.1/os-availability-zone/detail', 'get'): Operation(
        'List availability zones with their hosts.', returns='availabilityZoneInfo'),
    ('/v2.1/os-server-groups', 'get'): Operation(
        'List server groups.', returns='server_groups',
        query=_always(server_groups.index_query)),
    ('/v2.1/os-server-groups', 'post'): Operation(
        'Create a server group.', returns='server_group',
        body=_always(server_groups.create)),
    ('/v2.1/os-server-groups/{group_id}', 'get'): Operation(
        'Show a server group.', returns='server_group'),
    ('/v2.1/os-server-groups/{group_id}', 'delete'): Operation(
        'Delete a server group.', status=(204,)),
    ('/v2.1/os-migrations', 'get'): Operation(
        'List migrations.', returns='migrations', query=_always(migrations.index_query)),
}

_SCHEMA_MODULES = (servers, server_actions, migrate_server, flavors, hypervisors,
                   services, aggregates, server_groups, migrations)


def route_methods() -> list:
    """Every (route, method) the app answers, from the route table."""
    found = []
    for path, resource_class in routes.ROUTES:
        for method in METHODS:
            if inspect.isfunction(getattr(resource_class, 'on_' + method, None)):
                found.append((path, method))
    return found


def windows(variants: tuple) -> list:
    """[(min_version, max_version, schema)] for a tuple of Since."""
    result = []
    for index, variant in enumerate(variants):
        if index + 1 < len(variants):
            following = variants[index + 1].version
            last = (following[0], following[1] - 1)
        else:
            last = tuple(mv.MAX_VERSION)
        result.append((variant.version, last, variant.schema))
    return result


def schema_at(variants: tuple, version) -> dict | None:
    """The schema of ``variants`` that applies at ``version``."""
    for first, last, schema in windows(variants):
        if first <= tuple(version) <= last:
            return schema
    return None


@functools.cache
def _names() -> dict:
    """id(schema) -> component name, e.g. ``migrate_server.migrate_v256``."""
    names = {}
    for module in _SCHEMA_MODULES:
        short = module.__name__.rsplit('.', 1)[-1]
        for attr, value in vars(module).items():
            if isinstance(value, dict) and not attr.startswith('_') and \
                    value.get('type') == 'object':
                names.setdefault(id(value), '%s.%s' % (short, attr))
    return names


def to_json_schema_2020(schema):
    """A draft 4 schema as the JSON Schema dialect of OpenAPI 3.1: the boolean
    exclusiveMinimum/exclusiveMaximum of draft 4 become numbers."""
    if isinstance(schema, list):
        return [to_json_schema_2020(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    result = {key: to_json_schema_2020(value) for key, value in schema.items()}
    for bound, exclusive in (('minimum', 'exclusiveMinimum'),
                             ('maximum', 'exclusiveMaximum')):
        if exclusive in result and isinstance(result[exclusive], bool):
            if result.pop(exclusive) and bound in result:
                result[exclusive] = result.pop(bound)
    return result


def _version_string(version) -> str:
    return '%d.%d' % tuple(version)


class _Builder:
    def __init__(self):
        self.components = {}

    def ref(self, schema: dict) -> dict:
        name = _names()[id(schema)]
        self.components[name] = to_json_schema_2020(copy.deepcopy(schema))
        return {'$ref': '#/components/schemas/%s' % name}

    def body(self, operation: Operation) -> tuple:
        """The requestBody at the highest version, and every window."""
        history = []
        for action, variants in sorted(operation.actions.items()):
            for first, last, schema in windows(variants):
                history.append({'action': action, 'min_version': _version_string(first),
                                'max_version': _version_string(last),
                                'schema': self.ref(schema)})
        for first, last, schema in windows(operation.body):
            history.append({'min_version': _version_string(first),
                            'max_version': _version_string(last),
                            'schema': self.ref(schema)})
        if operation.actions:
            current = {'oneOf': [self.ref(schema_at(v, mv.MAX_VERSION))
                                 for _name, v in sorted(operation.actions.items())]}
        elif operation.body:
            current = self.ref(schema_at(operation.body, mv.MAX_VERSION))
        else:
            return None, history
        return {'required': True,
                'content': {'application/json': {'schema': current}}}, history

    def query(self, operation: Operation) -> tuple:
        history = [{'min_version': _version_string(first),
                    'max_version': _version_string(last),
                    'schema': self.ref(schema) if schema else None}
                   for first, last, schema in windows(operation.query)]
        current = schema_at(operation.query, mv.MAX_VERSION) if operation.query else None
        parameters = []
        for name, prop in sorted((current or {}).get('properties', {}).items()):
            parameters.append({'name': name, 'in': 'query', 'required': False,
                               'schema': to_json_schema_2020(copy.deepcopy(prop))})
        return parameters, (history if len(history) > 1 else [])


def _path_parameters(path: str) -> list:
    names = [part[1:-1] for part in path.split('/') if part.startswith('{')]
    return [{'name': name, 'in': 'path', 'required': True,
             'schema': {'type': 'string', 'minLength': 1}} for name in names]


def _responses(operation: Operation) -> dict:
    responses = {}
    for status in operation.status:
        response = {'description': 'Success.'}
        if status != 204:
            schema = {'type': 'object'}
            if operation.returns:
                schema.update(required=[operation.returns])
            response['content'] = {'application/json': {'schema': schema}}
        responses[str(status)] = response
    responses['4XX'] = {'description': 'A Nova fault naming what was wrong.',
                        'content': {'application/json': {
                            'schema': {'$ref': '#/components/schemas/Fault'}}}}
    return responses


_FAULT = {
    'type': 'object', 'minProperties': 1, 'maxProperties': 1,
    'propertyNames': {'enum': ['badRequest', 'unauthorized', 'forbidden',
                               'itemNotFound', 'badMethod', 'conflictingRequest',
                               'overLimit', 'badMediaType', 'computeFault']},
    'additionalProperties': {
        'type': 'object', 'required': ['code', 'message'],
        'properties': {'code': {'type': 'integer'},
                       'message': {'type': 'string', 'minLength': 1}}},
}


def _operation_document(builder, path, method, operation) -> dict:
    document = {'summary': operation.summary,
                'operationId': '%s %s' % (method.upper(), path),
                'responses': _responses(operation)}
    parameters = _path_parameters(path)
    if path.startswith('/v2.1') and path != PATH:
        parameters.append({'$ref': '#/components/parameters/microversion'})
    query, query_history = builder.query(operation)
    parameters.extend(query)
    if parameters:
        document['parameters'] = parameters
    body, body_history = builder.body(operation)
    if body:
        document['requestBody'] = body
    history = body_history if len(body_history) > 1 or operation.actions else []
    if history or query_history:
        document['x-openstack-microversions'] = history + query_history
    if operation.since != mv.BASE:
        document['x-openstack-min-microversion'] = _version_string(operation.since)
    if operation.public:
        document['security'] = []
    return document


@functools.cache
def document() -> dict:
    """The OpenAPI 3.1 document (built once; treat it as read-only)."""
    builder = _Builder()
    paths = {}
    for path, method in route_methods():
        operation = OPERATIONS[(path, method)]
        paths.setdefault(path, {})[method] = _operation_document(
            builder, path, method, operation)
    builder.components['Fault'] = _FAULT
    return {
        'openapi': '3.1.0',
        'info': {
            'title': 'migrator compute API',
            'version': mv.MAX_VERSION_STRING,
            'description': (
                'A Nova-compatible compute API, microversions %s to %s. Request '
                'schemas are those of %s; earlier windows are listed under '
                'x-openstack-microversions. Send OpenStack-API-Version: compute '
                'X.Y (absent means %s).' % (mv.MIN_VERSION_STRING,
                                            mv.MAX_VERSION_STRING,
                                            mv.MAX_VERSION_STRING,
                                            mv.MIN_VERSION_STRING)),
        },
        'paths': paths,
        'components': {
            'schemas': dict(sorted(builder.components.items())),
            'parameters': {'microversion': {
                'name': 'OpenStack-API-Version', 'in': 'header', 'required': False,
                'description': 'compute X.Y, or compute latest.',
                'schema': {'type': 'string'}}},
            'securitySchemes': {'token': {
                'type': 'apiKey', 'in': 'header', 'name': 'X-Auth-Token',
                'description': 'A Keystone token, or user:project under noauth2.'}},
        },
        'security': [{'token': []}],
    }
