"""The OpenAPI 3.1 document of the compute API.

Built from the route table (``routes.ROUTES``): its paths, the methods each
answers and the very schema objects requests are validated with, so the
document cannot drift from what the API accepts.

The document describes the body and query schemas of the highest
microversion; where an earlier microversion accepts something else, the
operation lists every window under ``x-openstack-microversions``.
"""

import copy
import functools
import re

from migrator.api import microversion as mv
from migrator.api import routes
from migrator.api.routing import schema_at, windows

PATH = routes.OPENAPI_PATH


@functools.cache
def _names() -> dict:
    """id(schema) -> component name, e.g. ``migrate_server.migrate_v256``."""
    names = {}
    for module in routes.SCHEMA_MODULES:
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
        # Schemas of no named module: named after the operation using them.
        self.unnamed = {}
        self.operation = ''

    def ref(self, schema: dict) -> dict:
        name = _names().get(id(schema)) or self.unnamed.get(id(schema))
        if name is None:
            name = '%s.%d' % (self.operation, len(self.unnamed) + 1)
            self.unnamed[id(schema)] = name
        self.components[name] = to_json_schema_2020(copy.deepcopy(schema))
        return {'$ref': '#/components/schemas/%s' % name}

    def body(self, operation, api) -> tuple:
        """The requestBody at the highest version, and every window."""
        history = []
        for action, variants in sorted(operation.actions.items()):
            for first, last, schema in windows(variants, api):
                history.append({'action': action, 'min_version': _version_string(first),
                                'max_version': _version_string(last),
                                'schema': self.ref(schema)})
        for first, last, schema in windows(operation.body, api):
            history.append({'min_version': _version_string(first),
                            'max_version': _version_string(last),
                            'schema': self.ref(schema)})
        if operation.actions:
            current = {'oneOf': [self.ref(schema_at(v, api.max_version, api))
                                 for _name, v in sorted(operation.actions.items())]}
        elif operation.body:
            current = self.ref(schema_at(operation.body, api.max_version, api))
        else:
            return None, history
        return {'required': True,
                'content': {'application/json': {'schema': current}}}, history

    def query(self, operation, api) -> tuple:
        history = [{'min_version': _version_string(first),
                    'max_version': _version_string(last),
                    'schema': self.ref(schema) if schema else None}
                   for first, last, schema in windows(operation.query, api)]
        current = (schema_at(operation.query, api.max_version, api)
                   if operation.query else None)
        parameters = []
        for name, prop in sorted((current or {}).get('properties', {}).items()):
            parameters.append({'name': name, 'in': 'query', 'required': False,
                               'schema': to_json_schema_2020(copy.deepcopy(prop))})
        return parameters, (history if len(history) > 1 else [])


def _path_parameters(path: str) -> list:
    names = [part[1:-1] for part in path.split('/') if part.startswith('{')]
    return [{'name': name, 'in': 'path', 'required': True,
             'schema': {'type': 'string', 'minLength': 1}} for name in names]


def _responses(operation) -> dict:
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


def _operation_document(builder, route, method, operation) -> dict:
    path, api = route.path, route.api or mv.COMPUTE
    builder.operation = re.sub(r'[^A-Za-z0-9._-]+', '_', '%s%s' % (method, path))
    document = {'summary': operation.summary,
                'operationId': '%s %s' % (method.upper(), path),
                'responses': _responses(operation)}
    parameters = _path_parameters(path)
    if route.api is not None and not route.open:
        parameters.append({'$ref': '#/components/parameters/microversion'})
    query, query_history = builder.query(operation, api)
    parameters.extend(query)
    if parameters:
        document['parameters'] = parameters
    body, body_history = builder.body(operation, api)
    if body:
        document['requestBody'] = body
    history = body_history if len(body_history) > 1 or operation.actions else []
    if history or query_history:
        document['x-openstack-microversions'] = history + query_history
    if operation.since is not None:
        document['x-openstack-min-microversion'] = _version_string(operation.since)
    if route.open:
        document['security'] = []
    return document


_DESCRIPTIONS = {
    'compute': 'A Nova-compatible compute API',
    'migrator': ("migrator's own API (what Nova lacks: host capacity detail, "
                 'the records of moves)'),
}


def document(route_table=routes.ROUTES, api: mv.Api = mv.COMPUTE) -> dict:
    """The OpenAPI 3.1 document of ``api``'s routes in ``route_table`` (the
    compute API's includes the root version document)."""
    builder = _Builder()
    paths = {}
    for route in route_table:
        if route.api is not api and not (route.api is None and api is mv.COMPUTE):
            continue
        for method, operation in route.methods.items():
            paths.setdefault(route.path, {})[method.lower()] = _operation_document(
                builder, route, method.lower(), operation)
    builder.components['Fault'] = _FAULT
    first, last = _version_string(api.min_version), _version_string(api.max_version)
    return {
        'openapi': '3.1.0',
        'info': {
            'title': 'migrator %s API' % api.service_type,
            'version': last,
            'description': (
                '%s, microversions %s to %s. Request schemas are those of %s; '
                'earlier windows are listed under x-openstack-microversions. '
                'Send OpenStack-API-Version: %s X.Y (absent means %s).' % (
                    _DESCRIPTIONS[api.service_type], first, last, last,
                    api.service_type, first)),
        },
        'paths': paths,
        'components': {
            'schemas': dict(sorted(builder.components.items())),
            'parameters': {'microversion': {
                'name': 'OpenStack-API-Version', 'in': 'header', 'required': False,
                'description': '%s X.Y, or %s latest.' % (api.service_type,
                                                          api.service_type),
                'schema': {'type': 'string'}}},
            'securitySchemes': {'token': {
                'type': 'apiKey', 'in': 'header', 'name': 'X-Auth-Token',
                'description': 'A Keystone token, or user:project under noauth2.'}},
        },
        'security': [{'token': []}],
    }
