"""Hostile request bodies on every route that reads one: every refusal is a
4xx Nova fault and changes nothing; what is accepted leaves the database
consistent."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests import fixtures
from tests.fixtures import headers
from tests.functional import hostile
from tests.invariants import assert_consistent


@pytest.fixture(scope='module')
def service(tmp_path_factory):
    svc = fixtures.Service(tmp_path_factory.mktemp('hostile-bodies'))
    yield svc
    svc.stop()


def _post(service, path, raw: bytes, version=None, token='admin:admin'):
    return service.app.request(path, method='POST', body=raw, headers=headers(
        token, version, **{'Content-Type': 'application/json'}), expect_errors=True)


_FLAVOR = b'{"flavor": {"name": "f-%s", "ram": 1, "vcpus": 1, "disk": 1, %s}}'


@pytest.mark.parametrize('name, extra', [
    ('nan', b'"rxtx_factor": NaN'),
    ('inf', b'"rxtx_factor": Infinity'),
    ('ninf', b'"rxtx_factor": -Infinity'),
    ('huge', b'"rxtx_factor": 1e99999'),
    ('id-nan', b'"id": NaN'),
    ('id-inf', b'"id": 1e400'),
])
def test_non_finite_numbers_are_not_json(service, name, extra):
    """NaN passed the rxtx_factor bounds and failed the INSERT (a 500);
    NaN or 1e400 as a flavor id made a flavor called "nan" or "inf"."""
    before = hostile.snapshot(service.db)
    resp = _post(service, '/v2.1/flavors', _FLAVOR % (name.encode(), extra))
    fault = hostile.assert_fault(resp, 400)
    assert 'not valid JSON' in fault['message']
    hostile.assert_unchanged(before, hostile.snapshot(service.db), extra)


@pytest.mark.parametrize('path, raw', [
    ('/v2.1/flavors/1/os-extra_specs', b'{"extra_specs": {"k": NaN}}'),
    ('/v2.1/os-server-groups', b'{"server_group": {"name": "g", "policies": '
                               b'["affinity"], "x": -Infinity}}'),
    ('/v2.1/servers', b'{"server": {"name": "s", "flavorRef": "1", '
                      b'"min_count": 1e400}}'),
])
def test_non_finite_numbers_are_refused_everywhere(service, path, raw):
    before = hostile.snapshot(service.db)
    fault = hostile.assert_fault(_post(service, path, raw), 400)
    assert 'not valid JSON' in fault['message']
    hostile.assert_unchanged(before, hostile.snapshot(service.db), raw)



@pytest.mark.parametrize('path, raw, fragment', [
    ('/v2.1/flavors', b'{"flavor": {"name": "a\\ud800", "ram": 1, "vcpus": 1, '
                      b'"disk": 1}}', 'unpaired surrogate'),
    ('/v2.1/os-aggregates', b'{"aggregate": {"name": "\\uDFFF"}}', 'unpaired surrogate'),
    ('/v2.1/os-server-groups', b'{"server_group": {"name": "g\\udc00", '
                               b'"policies": ["affinity"]}}', 'unpaired surrogate'),
    ('/v2.1/servers', b'{"server": {"name": "s", "flavorRef": "1", '
                      b'"metadata": {"k": "\\ud83d"}}}', 'unpaired surrogate'),
    ('/v2.1/servers', b'{"server": {"name": "s", "flavorRef": "1", '
                      b'"key_name": "a\\u0000"}}', 'NUL'),
    ('/v2.1/flavors/1/os-extra_specs', b'{"extra_specs": {"k": "a\\u0000b"}}', 'NUL'),
])
def test_lone_surrogates_and_nul_in_strings_are_400(service, path, raw, fragment):
    """A lone surrogate is no Unicode: the INSERT failed (a 500); a NUL is
    refused by PostgreSQL text columns (a 500 there)."""
    before = hostile.snapshot(service.db)
    fault = hostile.assert_fault(_post(service, path, raw), 400)
    assert fragment in fault['message']
    hostile.assert_unchanged(before, hostile.snapshot(service.db), raw)


def test_surrogate_pairs_are_unicode(service):
    raw = b'{"flavor": {"name": "smile \\ud83d\\ude00", "ram": 1, "vcpus": 1, "disk": 1}}'
    resp = _post(service, '/v2.1/flavors', raw)
    assert resp.json['flavor']['name'] == 'smile \U0001f600'


# -- every body-taking operation, mutated ------------------------------------

OWNER = 'alice:proj'


@pytest.fixture(scope='module')
def targets(service):
    """(method, url, version, a valid body) for every operation with a body,
    migrate aside (test_hostile_migrate covers it)."""
    server_id = service.boot(name='hostile', token=OWNER)
    aggregate_id = service.app.post_json('/v2.1/os-aggregates', {'aggregate': {
        'name': 'hostile-agg'}}, headers=headers()).json['aggregate']['id']
    compute3 = [s for s in service.app.get(
        '/v2.1/os-services', headers=headers(version='2.56')).json['services']
        if s['host'] == 'compute3'][0]['id']
    action = '/v2.1/servers/%s/action' % server_id
    aggregate = '/v2.1/os-aggregates/%s' % aggregate_id
    legacy = {'host': 'compute3', 'binary': 'migrator-compute'}
    return [
        ('POST', '/v2.1/servers', '2.56', {'server': {'name': 'h', 'flavorRef': '1'}}),
        ('POST', '/v2.1/servers', '2.1', {'server': {'name': 'h', 'flavorRef': '1'},
                                          'os:scheduler_hints': {}}),
        ('POST', action, '2.56', {'os-stop': None}),
        ('POST', action, '2.56', {'os-start': None}),
        ('POST', action, '2.56', {'lock': None}),
        ('POST', action, '2.56', {'unlock': None}),
        ('POST', action, '2.56', {'confirmResize': None}),
        ('POST', action, '2.56', {'revertResize': None}),
        ('POST', '/v2.1/flavors', '2.56', {'flavor': {
            'name': 'hf', 'ram': 1, 'vcpus': 1, 'disk': 1, 'description': 'd'}}),
        ('POST', '/v2.1/flavors', '2.1', {'flavor': {
            'name': 'hf1', 'ram': '1', 'vcpus': 1, 'disk': 0, 'rxtx_factor': 1.5}}),
        ('PUT', '/v2.1/flavors/1', '2.56', {'flavor': {'description': 'd'}}),
        ('POST', '/v2.1/flavors/1/os-extra_specs', '2.56', {'extra_specs': {'k': 'v'}}),
        ('PUT', '/v2.1/flavors/1/os-extra_specs/k', '2.56', {'k': 'v'}),
        ('PUT', '/v2.1/os-services/%s' % compute3, '2.56', {
            'status': 'disabled', 'disabled_reason': 'r'}),
        ('PUT', '/v2.1/os-services/disable-log-reason', '2.1',
         dict(legacy, disabled_reason='r')),
        ('PUT', '/v2.1/os-services/force-down', '2.11', dict(legacy, forced_down=False)),
        ('PUT', '/v2.1/os-services/enable', '2.52', dict(legacy)),
        ('POST', '/v2.1/os-aggregates', '2.56', {'aggregate': {
            'name': 'ha', 'availability_zone': 'z'}}),
        ('PUT', aggregate, '2.56', {'aggregate': {'name': 'hb'}}),
        ('POST', aggregate + '/action', '2.56', {'add_host': {'host': 'compute3'}}),
        ('POST', aggregate + '/action', '2.56', {'remove_host': {'host': 'compute3'}}),
        ('POST', aggregate + '/action', '2.56', {'set_metadata': {
            'metadata': {'k': 'v', 'gone': None}}}),
        ('POST', '/v2.1/os-server-groups', '2.56', {'server_group': {
            'name': 'g', 'policies': ['affinity']}}),
        ('POST', '/migrator/migration-checks', 'migrator 1.1', {'migration_check': {
            'server_id': server_id, 'hosts': ['compute1', 'nowhere'],
            'force': True, 'limit': 5, 'marker': 'compute1'}}),
    ]


@st.composite
def mutated(draw, value, depth=0):
    """``value`` with one random change somewhere inside it."""
    kind = draw(st.sampled_from(['replace', 'inside', 'inside', 'drop', 'add',
                                 'keep', 'wrap']))
    if kind == 'replace' or depth > 4:
        return draw(hostile.json_values)
    if kind == 'wrap':
        return draw(st.sampled_from([[value], {'': value}, json.dumps(value)]))
    if kind == 'keep':
        return value
    if isinstance(value, dict):
        result = dict(value)
        if kind == 'add' or not result:
            result[draw(hostile.texts)] = draw(hostile.json_values)
        elif kind == 'drop':
            result.pop(draw(st.sampled_from(sorted(result))))
        else:
            key = draw(st.sampled_from(sorted(result)))
            result[key] = draw(mutated(result[key], depth + 1))
        return result
    if isinstance(value, list) and value:
        index = draw(st.integers(0, len(value) - 1))
        return value[:index] + [draw(mutated(value[index], depth + 1))] + \
            value[index + 1:]
    return draw(hostile.json_values)


@st.composite
def requests(draw, targets):
    method, url, version, template = draw(st.sampled_from(targets))
    body = draw(mutated(template))
    if draw(st.integers(0, 9)) == 0:  # now and then a key twice
        key = draw(st.sampled_from(sorted(body) if isinstance(body, dict) and body
                                   else ['x']))
        raw = hostile.duplicate_keys(body if isinstance(body, dict) else {}, key,
                                     draw(hostile.json_values)).encode()
    else:
        raw = json.dumps(body, ensure_ascii=draw(st.booleans())).encode()
    content_type = draw(st.one_of(st.just('application/json'), st.just(None),
                                  st.just('application/json'), hostile.content_types))
    token = draw(st.sampled_from(['admin:admin', 'admin:admin', OWNER]))
    return method, url, version, raw, content_type, token


@settings(hostile.SETTINGS, max_examples=900)
@given(data=st.data())
def test_mutated_bodies_are_refused_cleanly_or_applied(service, targets, data):
    method, url, version, raw, content_type, token = data.draw(requests(targets))
    extra = {} if content_type is None else {'Content-Type': content_type}
    before = hostile.snapshot(service.db)
    resp = service.app.request(url, method=method, body=raw, expect_errors=True,
                               headers=headers(token, version, **extra))
    if content_type not in hostile.JSON_CONTENT_TYPES:
        hostile.assert_fault(resp, 413, 415)
    if resp.status_int >= 300:
        hostile.assert_fault(resp)
        hostile.assert_unchanged(before, hostile.snapshot(service.db),
                                 (method, url, version, raw[:300]))
        return
    assert resp.status_int in (200, 202, 204), resp.text
    hostile.settle(service, quiet=True)


@settings(hostile.SETTINGS, max_examples=300)
@given(data=st.data(), raw=hostile.raw_bodies, content_type=hostile.content_types)
def test_broken_bytes_on_every_body_route(service, targets, data, raw, content_type):
    method, url, version, _template = data.draw(st.sampled_from(targets))
    extra = {} if content_type is None else {'Content-Type': content_type}
    before = hostile.snapshot(service.db)
    resp = service.app.request(url, method=method, body=raw, expect_errors=True,
                               headers=headers(version=version, **extra))
    hostile.assert_fault(resp, 400, 413, 415)
    hostile.assert_unchanged(before, hostile.snapshot(service.db), (url, raw[:300]))


def test_state_is_consistent_after_the_hostile_bodies(service, targets):
    hostile.settle(service)
    assert_consistent(service.db)
