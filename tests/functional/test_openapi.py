"""The OpenAPI document: valid, complete, the same schemas the handlers use,
and the API answers as it says (schemathesis, against the WSGI app)."""

import inspect
import json

import pytest
import schemathesis
import webtest
from hypothesis import HealthCheck, given, settings
from keystonemiddleware import fixture as ksm_fixture
from openapi_spec_validator import validate as validate_openapi
from schemathesis import GenerationMode
from schemathesis.config import SchemathesisConfig
from schemathesis.config._checks import NEGATIVE_DATA_REJECTION_EXPECTED_STATUSES
from schemathesis.specs.openapi import checks as st_checks

from migrator.api import app as api_app
from migrator.api import microversion as mv
from migrator.api import migrator_api, openapi, routes, routing, schemas
from migrator.api.schemas import flavors, migrate_server
from tests import fixtures

MISSING = 'f6a1e0a4-6f43-4f0a-9a47-5b8d1e9d6c11'


@pytest.fixture(scope='module')
def service(tmp_path_factory):
    svc = fixtures.Service(tmp_path_factory.mktemp('openapi'))
    yield svc
    svc.stop()


@pytest.fixture(scope='module')
def served(service):
    """The document as a client without a token reads it."""
    resp = service.app.get(openapi.PATH)
    assert resp.content_type == 'application/json'
    return resp.json


def _ref(name: str) -> dict:
    return {'$ref': '#/components/schemas/%s' % name}


def test_served_document_is_valid_openapi_3_1(served):
    validate_openapi(served)
    assert served['openapi'].startswith('3.1')
    assert served['info']['version'] == mv.MAX_VERSION_STRING
    assert served == json.loads(json.dumps(openapi.document()))


def _responders(route_table) -> set:
    """(path, method) of every on_<method> responder of the table's resources."""
    return {(route.path, method) for route in route_table
            for method in ('get', 'post', 'put', 'delete', 'patch', 'head')
            if inspect.isfunction(getattr(route.resource, 'on_' + method, None))}


def test_every_route_and_method_is_documented(service, served):
    answered = _responders(routes.ROUTES)
    assert answered == set(routes.OPERATIONS), (
        'undeclared: %s; declared but not answered: %s' % (
            answered - set(routes.OPERATIONS), set(routes.OPERATIONS) - answered))
    own = service.app.get(routes.MIGRATOR_OPENAPI_PATH).json
    validate_openapi(own)
    assert own['info']['version'] == '%d.%d' % migrator_api.API.max_version
    documents = {None: served, mv.COMPUTE: served, migrator_api.API: own}
    for route in routes.ROUTES:
        assert route.path in documents[route.api]['paths'], route.path
    assert {route.path for route in routes.ROUTES} == \
        set(served['paths']) | set(own['paths'])
    assert not set(served['paths']) & set(own['paths'])
    for path, method in answered:
        assert any(method in d['paths'].get(path, {}) for d in (served, own)), (
            path, method)


def test_migrate_action_documents_both_microversions(served):
    components = served['components']['schemas']
    v256 = openapi.to_json_schema_2020(migrate_server.migrate_v256)
    assert components['migrate_server.migrate_v256'] == v256
    assert v256['properties']['migrate']['required'] == ['host']
    operation = served['paths']['/v2.1/servers/{server_id}/action']['post']
    body = operation['requestBody']['content']['application/json']['schema']
    assert _ref('migrate_server.migrate_v256') in body['oneOf']
    windows = [(w['min_version'], w['max_version'], w['schema'])
               for w in operation['x-openstack-microversions']
               if w.get('action') == 'migrate']
    assert windows == [('2.1', '2.55', _ref('migrate_server.migrate_v21')),
                       ('2.56', '2.56', _ref('migrate_server.migrate_v256'))]


def test_draft4_exclusive_bounds_become_numbers():
    converted = openapi.to_json_schema_2020(flavors.create_v21)
    rxtx = converted['properties']['flavor']['properties']['rxtx_factor']
    assert rxtx['exclusiveMinimum'] == 0 and 'minimum' not in rxtx
    original = flavors.create_v21['properties']['flavor']['properties']['rxtx_factor']
    assert original['exclusiveMinimum'] is True  # the validator's copy is untouched


def test_document_needs_no_token_but_the_api_does(service):
    service.app.get(openapi.PATH, status=200)
    service.app.get('/v2.1/servers', status=401)


def test_document_needs_no_token_behind_keystone(service):
    tokens = ksm_fixture.AuthTokenFixture()
    tokens.setUp()
    service.conf.set_override('auth_strategy', 'keystone', group='api')
    service.conf.set_override('www_authenticate_uri', 'https://keystone.example/v3',
                              group='keystone_authtoken')
    try:
        client = webtest.TestApp(api_app.create_app(service.conf, service.db,
                                                    service.dep.messaging))
        assert client.get(openapi.PATH).json == json.loads(json.dumps(
            openapi.document()))
        client.get('/v2.1/servers', status=401)
        client.get('/v2.1/openapi.json/x', status=401)
    finally:
        service.conf.clear_override('auth_strategy', group='api')
        tokens.cleanUp()


# -- the handlers validate with exactly the documented schemas ---------------

def _versions(api) -> list:
    """The first and last version of ``api`` and both sides of every window
    the route table declares for it."""
    first, last = tuple(api.min_version), tuple(api.max_version)
    found = {first, last}
    for route in routes.ROUTES:
        if route.api is not api:
            continue
        for operation in route.methods.values():
            groups = [operation.body, operation.query, *operation.actions.values()]
            for variants in groups:
                for variant in variants:
                    found.add(variant.version)
                    found.add((variant.version[0], variant.version[1] - 1))
    return sorted(v for v in found if first <= v <= last)


def _url(path: str, version: tuple, ids: dict) -> str:
    filled = dict(ids)
    if path == '/v2.1/os-services/{service_id}' and version < mv.UUID_IDS:
        filled['service_id'] = 'disable'  # the legacy action URL
    for name, value in filled.items():
        path = path.replace('{%s}' % name, value)
    return path


def test_handlers_validate_with_the_documented_schemas(service, monkeypatch):
    """One request per operation, action and microversion, with a body no
    schema accepts: the schemas validated are the documented ones."""
    ids = {'server_id': service.boot(name='documented'), 'flavor_id': '1',
           'key': 'k', 'hypervisor_id': MISSING, 'service_id': MISSING,
           'aggregate_id': '999', 'group_id': MISSING, 'request_id': 'req-x',
           'host': 'compute1', 'migration_id': MISSING}
    used = []
    real_validate = schemas.validate

    def spy(schema, value, **kwargs):
        used.append(schema)
        return real_validate(schema, value, **kwargs)
    monkeypatch.setattr(schemas, 'validate', spy)
    checked = 0
    for route in routes.ROUTES:
        api = route.api or mv.COMPUTE
        for method, operation in sorted(route.methods.items()):
            method = method.lower()
            for version in _versions(api):
                if operation.since is not None and version < operation.since:
                    continue
                cases = [(name, {name: 12345}, routing.schema_at(v, version, api))
                         for name, v in operation.actions.items()] or [
                    (None, [] if operation.body else None,
                     routing.schema_at(operation.body, version, api))]
                query = routing.schema_at(operation.query, version, api)
                for action, body, expected in cases:
                    used.clear()
                    url = _url(route.path, version, ids)
                    if method == 'delete':
                        url = url.replace('/1/', '/999/').rsplit('/', 1)[0] + \
                            '/' + MISSING
                    resp = service.app.request(
                        url, method=method.upper(),
                        body=json.dumps(body).encode() if body is not None else b'',
                        headers={'X-Auth-Token': 'admin:admin',
                                 'Content-Type': 'application/json',
                                 'OpenStack-API-Version': '%s %d.%d' % (
                                     api.service_type, *version)},
                        expect_errors=True)
                    assert resp.status_int < 500, (route.path, method, version,
                                                   resp.text)
                    wanted = [s for s in (query, expected) if s is not None]
                    assert [id(s) for s in used] == [id(s) for s in wanted], (
                        route.path, method, version, action, resp.text)
                    checked += 1
    assert checked > 300


# -- schemathesis against the app ---------------------------------------------

# noauth2 takes any token as a user: "API accepts invalid authentication" is
# its design. Schema-valid requests may still be refused for what a schema
# cannot say (an unknown flavor, a marker not found, an id that is no uuid).
_EXCLUDED = [st_checks.ignored_auth, st_checks.positive_data_acceptance]
_ADMIN = {'X-Auth-Token': 'admin:admin'}


def _has_input(operation) -> bool:
    definition = operation.definition.raw
    return 'requestBody' in definition or any(
        p.get('in') == 'query' for p in definition.get('parameters', []))


@pytest.mark.parametrize('api, path', [(mv.COMPUTE, openapi.PATH),
                                       (migrator_api.API, routes.MIGRATOR_OPENAPI_PATH)])
def test_schemathesis_finds_no_5xx_and_no_nonconformance(service, api, path):
    """Every documented operation, schema-valid (positive) and, where it
    takes a body or query, schema-invalid (negative) inputs: no 5xx, status
    codes, content types and bodies as documented, invalid data refused.

    Hypothesis runs derandomized, but schemathesis's generators draw from
    randomness of their own, so the cases differ from one process to the
    next; a failure prints the curl command that reproduces it."""
    # A negative body may grow past [api] max_request_body_size: refusing it
    # with 413 is refusing it.
    config = SchemathesisConfig.from_dict({'checks': {'negative_data_rejection': {
        'expected-statuses': list(NEGATIVE_DATA_REJECTION_EXPECTED_STATUSES)
        + ['413']}}})
    schema = schemathesis.openapi.from_wsgi(path, service.app.app, config=config)
    operations = [result.ok() for result in schema.get_all_operations()]
    # Schemathesis leaves out the operation that serves the document itself.
    assert {op.label for op in operations} == {
        '%s %s' % (method, route.path) for route in routes.ROUTES
        for method in route.methods
        if (route.api or mv.COMPUTE) is api and route.path != path}
    version = {'OpenStack-API-Version': '%s %d.%d' % (api.service_type,
                                                      *api.max_version)}
    runs = 0
    for operation in operations:
        modes = [GenerationMode.POSITIVE]
        if _has_input(operation):
            modes.append(GenerationMode.NEGATIVE)
        for mode in modes:
            @settings(max_examples=25, derandomize=True, deadline=None,
                      database=None, suppress_health_check=list(HealthCheck))
            @given(case=operation.as_strategy(mode, headers=dict(_ADMIN, **version)))
            def run(case):
                case.call_and_validate(excluded_checks=_EXCLUDED)
            run()
            runs += 1
    assert runs > len(operations)
