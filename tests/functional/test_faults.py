"""Every error is a Nova-shaped fault naming what was wrong; never a 500."""

import json

import pytest

from migrator.api import faults, routes
from migrator.operations import flavors
from tests import fixtures
from tests.fixtures import headers

MISSING = 'f6a1e0a4-6f43-4f0a-9a47-5b8d1e9d6c11'


@pytest.fixture(scope='module')
def service(tmp_path_factory):
    """One service for the module: these requests fail and change nothing."""
    svc = fixtures.Service(tmp_path_factory.mktemp('faults'))
    yield svc
    svc.stop()


def assert_fault(resp, code, name, *fragments):
    """``{name: {code, message}}`` and nothing else; no traceback."""
    assert resp.status_int == code, resp.body
    assert resp.content_type == 'application/json'
    assert list(resp.json) == [name], resp.json
    fault = resp.json[name]
    assert fault['code'] == code
    for fragment in fragments:
        assert fragment in fault['message'], (fragment, fault['message'])
    assert 'Traceback' not in resp.text
    return fault['message']


def request(service, method, path, body=None, version=None, token='admin:admin',
            content_type='application/json'):
    """Send ``body`` (a dict, or raw text) and accept any status."""
    extra = {'Content-Type': content_type} if content_type else {}
    raw = body if isinstance(body, (str, bytes)) or body is None else json.dumps(body)
    return service.app.request(path, method=method, body=(raw or '').encode()
                               if isinstance(raw, str) else raw or b'',
                               headers=headers(token, version, **extra),
                               expect_errors=True)


def test_unauthorized_without_a_token(service):
    resp = service.app.get('/v2.1/servers', status=401)
    assert_fault(resp, 401, 'unauthorized', 'X-Auth-Token')


def test_forbidden_names_the_policy(service):
    resp = service.app.post_json('/v2.1/flavors', {'flavor': {
        'name': 'f', 'ram': 1, 'vcpus': 1, 'disk': 1}},
        headers=headers('user:project'), status=403)
    assert_fault(resp, 403, 'forbidden', 'os_compute_api:os-flavor-manage:create')


def test_item_not_found(service):
    resp = service.app.get('/v2.1/servers/%s' % MISSING, headers=headers(), status=404)
    assert_fault(resp, 404, 'itemNotFound', MISSING)


def test_unknown_url_is_404(service):
    resp = service.app.get('/v2.1/no-such-thing', headers=headers(), status=404)
    assert_fault(resp, 404, 'itemNotFound', '/v2.1/no-such-thing')


def test_bad_method_has_an_allow_header(service):
    resp = service.app.put('/v2.1/servers', headers=headers(), status=405)
    assert_fault(resp, 405, 'badMethod', 'PUT')
    allowed = {m.strip() for m in resp.headers['Allow'].split(',')}
    assert {'GET', 'POST'} <= allowed
    assert 'PUT' not in allowed


def test_conflicting_request(service):
    service.app.post_json('/v2.1/os-aggregates', {'aggregate': {'name': 'agg'}},
                          headers=headers())
    resp = service.app.post_json('/v2.1/os-aggregates', {'aggregate': {'name': 'agg'}},
                                 headers=headers(), status=409)
    assert_fault(resp, 409, 'conflictingRequest', 'agg')


def test_version_not_acceptable_is_a_compute_fault(service):
    resp = service.app.get('/v2.1/servers', headers=headers(version='2.99'), status=406)
    assert_fault(resp, 406, 'computeFault', '2.99')


def test_body_over_the_limit_is_413(service):
    limit = service.conf.api.max_request_body_size
    body = json.dumps({'server': {'name': 'x' * (limit + 1), 'flavorRef': '1'}})
    resp = request(service, 'POST', '/v2.1/servers', body)
    assert_fault(resp, 413, 'overLimit', str(limit), 'max_request_body_size')


def test_body_just_under_the_limit_is_read(service):
    limit = service.conf.api.max_request_body_size
    body = json.dumps({'server': {'name': 'x', 'flavorRef': '1'}})
    body = body[:-1] + ' ' * (limit - len(body)) + '}'
    assert len(body) == limit
    resp = request(service, 'POST', '/v2.1/servers', body)
    assert resp.status_int == 202
    service.wait_status(resp.json['server']['id'], 'ACTIVE')


def test_unexpected_error_is_a_500_without_details(service, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError('secret internal detail')
    monkeypatch.setattr(flavors, '_list', broken)  # the operations layer's query
    resp = service.app.get('/v2.1/flavors', headers=headers(), status=500)
    message = assert_fault(resp, 500, 'computeFault', 'Unexpected API Error')
    assert 'secret' not in message
    assert resp.headers['x-openstack-request-id'] in message


def test_service_unavailable_is_a_compute_fault():
    assert faults.fault_body(503, 'later') == {
        'computeFault': {'code': 503, 'message': 'later'}}


# -- bodies -----------------------------------------------------------------

@pytest.mark.parametrize('raw, fragment', [
    ('{"server": ', 'not valid JSON'),
    ('{bad json}', 'not valid JSON'),
    ('[' * 20000 + ']' * 20000, 'not valid JSON'),
    (b'\xff\xfe{}', 'not valid JSON'),
    ('', 'body is required'),
    ('null', 'body is required'),
    ('[]', 'body'),
    ('"server"', 'body'),
    ('42', 'body'),
])
def test_malformed_bodies_are_400(service, raw, fragment):
    resp = request(service, 'POST', '/v2.1/servers', raw)
    assert_fault(resp, 400, 'badRequest', fragment)


@pytest.mark.parametrize('content_type', ['text/plain', 'application/xml',
                                          'application/x-www-form-urlencoded'])
def test_wrong_content_type_is_415(service, content_type):
    resp = request(service, 'POST', '/v2.1/servers',
                   {'server': {'name': 'a', 'flavorRef': '1'}},
                   content_type=content_type)
    assert_fault(resp, 415, 'badMediaType', content_type, 'application/json')


def test_json_with_charset_and_no_content_type_are_read(service):
    body = {'server': {'name': 'a', 'flavorRef': '1'}}
    ok = request(service, 'POST', '/v2.1/servers', body,
                 content_type='application/json; charset=UTF-8')
    assert ok.status_int == 202
    bare = request(service, 'POST', '/v2.1/servers', body, content_type=None)
    assert bare.status_int == 202
    for resp in (ok, bare):
        service.wait_status(resp.json['server']['id'], 'ACTIVE')


@pytest.mark.parametrize('method, path, body, version, fragments', [
    # servers
    ('POST', '/v2.1/servers', {}, None, ['server', 'required']),
    ('POST', '/v2.1/servers', {'server': {'flavorRef': '1'}}, None, ['name']),
    ('POST', '/v2.1/servers', {'server': {'name': 'a'}}, None, ['flavorRef']),
    ('POST', '/v2.1/servers', {'server': {'name': 7, 'flavorRef': '1'}}, None,
     ['server/name', 'string']),
    ('POST', '/v2.1/servers', {'server': {'name': 'web\n', 'flavorRef': '1'}}, None,
     ['server/name']),
    ('POST', '/v2.1/servers', {'server': {'name': 'a', 'flavorRef': '1', 'colour': 1}},
     None, ['colour']),
    ('POST', '/v2.1/servers', {'server': {'name': 'a', 'flavorRef': '1'}, 'extra': 1},
     None, ['extra']),
    ('POST', '/v2.1/servers', {'server': {'name': 'a', 'flavorRef': '1',
                                          'description': 'd'}}, '2.18', ['description']),
    ('POST', '/v2.1/servers', {'server': {'name': 'a', 'flavorRef': '1',
                                          'min_count': 'x'}}, None, ['server/min_count']),
    ('POST', '/v2.1/servers', {'server': {'name': 'a', 'flavorRef': '1',
                                          'min_count': 3, 'max_count': 2}}, None,
     ['min_count']),
    ('POST', '/v2.1/servers', {'server': {'name': 'a', 'flavorRef': '1',
                                          'max_count': 100000}}, None,
     ['server/max_count']),
    ('POST', '/v2.1/servers', {'server': {'name': 'a', 'flavorRef': '1',
                                          'networks': 'everything'}}, None,
     ['server/networks']),
    ('POST', '/v2.1/servers', {'server': {'name': 'a', 'flavorRef': 'nope'}}, None,
     ['nope']),
    ('POST', '/v2.1/servers', {'server': {'name': 'a', 'flavorRef': '1'},
                               'os:scheduler_hints': {'group': 'not-a-uuid'}}, None,
     ['os:scheduler_hints/group']),
    ('POST', '/v2.1/servers', {'server': {'name': 'a', 'flavorRef': '1'},
                               'os:scheduler_hints': {'group': MISSING}}, None,
     [MISSING]),
    # flavors
    ('POST', '/v2.1/flavors', {'flavor': {'name': 'f', 'ram': 'lots', 'vcpus': 1,
                                          'disk': 1}}, None, ['flavor/ram']),
    ('POST', '/v2.1/flavors', {'flavor': {'name': 'f', 'ram': '99999999999999999999',
                                          'vcpus': 1, 'disk': 1}}, None, ['flavor/ram']),
    ('POST', '/v2.1/flavors', {'flavor': {'name': 'f', 'ram': 1, 'vcpus': 0,
                                          'disk': 1}}, None, ['flavor/vcpus']),
    ('POST', '/v2.1/flavors', {'flavor': {'name': 'f', 'ram': 1, 'vcpus': 1,
                                          'disk': 1, 'rxtx_factor': 'fast'}}, None,
     ['flavor/rxtx_factor']),
    ('POST', '/v2.1/flavors', {'flavor': {'name': 'f', 'ram': 1, 'vcpus': 1,
                                          'disk': 1, 'rxtx_factor': '0'}}, None,
     ['flavor/rxtx_factor']),
    ('POST', '/v2.1/flavors', {'flavor': {'name': ' f', 'ram': 1, 'vcpus': 1,
                                          'disk': 1}}, None, ['flavor/name']),
    ('POST', '/v2.1/flavors', {'flavor': {'name': 'f', 'ram': 1, 'vcpus': 1,
                                          'disk': 1, 'description': 'd'}}, '2.54',
     ['description']),
    ('POST', '/v2.1/flavors/1/os-extra_specs', {'extra_specs': {'k': {'x': 1}}},
     None, ['extra_specs/k']),
    ('POST', '/v2.1/flavors/1/os-extra_specs', {'extra_specs': {'bad key!': '1'}},
     None, ['bad key!']),
    ('PUT', '/v2.1/flavors/1/os-extra_specs/k', {'other': '1'}, None, ['k']),
    # aggregates
    ('POST', '/v2.1/os-aggregates', {'aggregate': {}}, None, ['name']),
    ('POST', '/v2.1/os-aggregates', {'aggregate': {'name': 'a', 'zone': 'z'}},
     None, ['zone']),
    ('POST', '/v2.1/os-aggregates', {'aggregate': {'name': 'a',
                                                   'availability_zone': 'a:b'}},
     None, ['availability_zone']),
    # services
    ('PUT', '/v2.1/os-services/disable', {'host': 'compute1'}, None, ['binary']),
    ('PUT', '/v2.1/os-services/disable', {'host': 'compute1',
                                          'binary': 'migrator-compute', 'x': 1},
     None, ['x']),
    ('PUT', '/v2.1/os-services/force-down', {'host': 'compute1',
                                             'binary': 'migrator-compute',
                                             'forced_down': 'sometimes'}, '2.11',
     ['forced_down']),
    ('PUT', '/v2.1/os-services/%s' % MISSING, {'status': 'paused'}, '2.53',
     ['status']),
    ('PUT', '/v2.1/os-services/%s' % MISSING, {}, '2.53', ['body']),
    # server groups
    ('POST', '/v2.1/os-server-groups', {'server_group': {'name': 'g'}}, None,
     ['policies']),
    ('POST', '/v2.1/os-server-groups', {'server_group': {
        'name': 'g', 'policies': ['together']}}, None, ['policies']),
    ('POST', '/v2.1/os-server-groups', {'server_group': {
        'name': 'g', 'policies': ['affinity', 'anti-affinity']}}, None, ['policies']),
])
def test_invalid_bodies_are_400_naming_the_field(service, method, path, body,
                                                 version, fragments):
    resp = request(service, method, path, body, version)
    assert_fault(resp, 400, 'badRequest', *fragments)


@pytest.mark.parametrize('body, fragments', [
    ([], ['action']),
    ({'os-stop': None, 'os-start': None}, ['exactly one']),
    ({'rebuild': None}, ['rebuild', 'os-stop']),
    ({'os-stop': {'force': True}}, ['force']),
    ({'os-start': 1}, ['os-start']),
    ({'lock': 'now'}, ['lock']),
])
def test_invalid_server_actions_are_400(service, body, fragments):
    server_id = service.boot()
    resp = request(service, 'POST', '/v2.1/servers/%s/action' % server_id, body)
    assert_fault(resp, 400, 'badRequest', *fragments)


# -- query parameters -------------------------------------------------------

@pytest.mark.parametrize('path, version, fragments', [
    ('/v2.1/servers?limit=abc', None, ['limit', 'abc']),
    ('/v2.1/servers?limit=-1', None, ['limit']),
    ('/v2.1/servers/detail?all_tenants=maybe', None, ['all_tenants', 'maybe']),
    ('/v2.1/servers?status=BOGUS', None, ['status', 'BOGUS']),
    ('/v2.1/servers?marker=%s' % MISSING, None, ['marker', MISSING]),
    ('/v2.1/servers/detail?host=bad%20host', None, ['host']),
    ('/v2.1/flavors?limit=many', None, ['limit']),
    ('/v2.1/flavors?minRam=lots', None, ['minRam']),
    ('/v2.1/flavors?marker=nope', None, ['marker', 'nope']),
    ('/v2.1/flavors?sort_key=colour', None, ['sort_key', 'colour']),
    ('/v2.1/flavors?sort_dir=sideways', None, ['sort_dir']),
    ('/v2.1/flavors?is_public=perhaps', None, ['is_public', 'perhaps']),
    ('/v2.1/os-hypervisors?limit=x', '2.33', ['limit']),
    ('/v2.1/os-hypervisors?marker=999', '2.33', ['marker', '999']),
    ('/v2.1/os-hypervisors?with_servers=often', '2.53', ['with_servers', 'often']),
    ('/v2.1/os-hypervisors?colour=red', '2.53', ['colour']),
    ('/v2.1/os-hypervisors?hypervisor_hostname_pattern=c&limit=1', '2.53',
     ['Paging']),
    ('/v2.1/os-server-groups?limit=x', None, ['limit']),
    ('/v2.1/os-server-groups?offset=-2', None, ['offset']),
    ('/v2.1/os-server-groups?all_projects=maybe', None, ['all_projects', 'maybe']),
])
def test_bad_query_parameters_are_400_naming_them(service, path, version, fragments):
    resp = service.app.get(path, headers=headers(version=version), expect_errors=True)
    assert_fault(resp, 400, 'badRequest', *fragments)


@pytest.mark.parametrize('path', [
    '/v2.1/servers?limit=99999999999999999999999',
    '/v2.1/flavors?minRam=99999999999999999999999',
    '/v2.1/flavors?limit=99999999999999999999999',
    '/v2.1/os-server-groups?limit=99999999999999999999999&offset=99999999999999999999',
])
def test_huge_numbers_in_queries_are_not_a_500(service, path):
    resp = service.app.get(path, headers=headers())
    assert resp.status_int == 200


def test_unknown_query_parameters_are_ignored_before_2_75(service):
    resp = service.app.get('/v2.1/servers?colour=red', headers=headers('nobody:empty'))
    assert resp.json == {'servers': []}


# -- ids in paths -------------------------------------------------------------

@pytest.mark.parametrize('method, path, version, code, fragment', [
    ('GET', '/v2.1/servers/not-a-uuid', None, 404, 'not-a-uuid'),
    ('DELETE', '/v2.1/servers/not-a-uuid', None, 404, 'not-a-uuid'),
    ('GET', '/v2.1/servers/%s' % MISSING, None, 404, MISSING),
    ('GET', '/v2.1/servers/not-a-uuid/os-instance-actions', None, 404, 'not-a-uuid'),
    ('GET', '/v2.1/os-server-groups/not-a-uuid', None, 404, 'not-a-uuid'),
    ('DELETE', '/v2.1/os-server-groups/%s' % MISSING, None, 404, MISSING),
    ('GET', '/v2.1/flavors/nope', None, 404, 'nope'),
    ('DELETE', '/v2.1/flavors/nope', None, 404, 'nope'),
    ('GET', '/v2.1/flavors/nope/os-extra_specs', None, 404, 'nope'),
    ('GET', '/v2.1/flavors/1/os-extra_specs/nope', None, 404, 'nope'),
    ('DELETE', '/v2.1/flavors/1/os-extra_specs/nope', None, 404, 'nope'),
    ('GET', '/v2.1/os-hypervisors/abc', None, 404, 'abc'),
    ('GET', '/v2.1/os-hypervisors/99999999999999999999999', None, 404,
     '99999999999999999999999'),
    ('GET', '/v2.1/os-hypervisors/abc', '2.53', 400, 'Invalid uuid abc'),
    ('GET', '/v2.1/os-hypervisors/%s' % MISSING, '2.53', 404, MISSING),
    ('GET', '/v2.1/os-aggregates/abc', None, 400, 'abc'),
    ('GET', '/v2.1/os-aggregates/99999999999999999999999', None, 404,
     '99999999999999999999999'),
    ('GET', '/v2.1/os-aggregates/999', None, 404, '999'),
    ('DELETE', '/v2.1/os-aggregates/999', None, 404, '999'),
    ('DELETE', '/v2.1/os-services/abc', None, 400, 'abc'),
    ('DELETE', '/v2.1/os-services/99999999999999999999999', None, 404,
     '99999999999999999999999'),
    ('DELETE', '/v2.1/os-services/abc', '2.53', 400, 'Invalid uuid abc'),
    ('DELETE', '/v2.1/os-services/%s' % MISSING, '2.53', 404, MISSING),
])
def test_bad_ids_in_paths(service, method, path, version, code, fragment):
    resp = service.app.request(path, method=method, headers=headers(version=version),
                               expect_errors=True)
    name = faults.FAULT_NAMES[code]
    assert_fault(resp, code, name, fragment)


@pytest.mark.parametrize('body', [
    {'os-stop': None}, {'os-start': None}, {'lock': None}, {'unlock': None},
])
def test_actions_on_a_missing_server_are_404(service, body):
    resp = request(service, 'POST', '/v2.1/servers/%s/action' % MISSING, body)
    assert_fault(resp, 404, 'itemNotFound', MISSING)


# -- a sweep of every route ---------------------------------------------------

_SWEEP_BODIES = [None, '{}', '[]', 'null', '{"x": 1}', '"text"',
                 '{"server": []}', '{"migrate": {"host": 5}}']


def _sweep_paths(service):
    """Every route with its ids filled three ways: real, malformed, too large."""
    server_id = service.boot(name='swept')
    group_id = service.app.post_json('/v2.1/os-server-groups', {'server_group': {
        'name': 'swept', 'policies': ['affinity']}}, headers=headers()).json[
        'server_group']['id']
    real = {'server_id': server_id, 'group_id': group_id, 'flavor_id': '1',
            'key': 'k', 'hypervisor_id': '1', 'service_id': '1',
            'aggregate_id': '1', 'request_id': 'req-x'}
    for route in routes.ROUTES:
        template = route.path
        for kind in ('real', 'malformed', 'huge'):
            path = template
            for name, value in real.items():
                replacement = {'real': value, 'malformed': 'x%00y',
                               'huge': '9' * 30}[kind]
                path = path.replace('{%s}' % name, replacement)
            yield kind, path


def test_no_request_to_any_route_is_a_500(service):
    requests = 0
    for kind, path in _sweep_paths(service):
        for method in ('GET', 'POST', 'PUT', 'DELETE'):
            if method == 'DELETE' and kind == 'real':
                continue  # the sweep must not change what it sweeps
            for body in _SWEEP_BODIES:
                for version in ('2.1', '2.56'):
                    resp = service.app.request(
                        path, method=method, body=(body or '').encode(),
                        headers=headers(version=version, **{
                            'Content-Type': 'application/json'}),
                        expect_errors=True)
                    requests += 1
                    assert resp.status_int < 500, (method, path, body, resp.text)
                    assert 'Traceback' not in resp.text, (method, path, body)
    assert requests > 1000
