"""Hostile query strings and microversion headers: a GET never changes a
row, whoever sends it; every refusal is a 4xx Nova fault; a non-admin never
sees a host detail; the microversion is negotiated as DESIGN §3 says."""

import re
from urllib import parse

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from migrator.api import microversion as mv
from migrator.api import routes
from tests import fixtures
from tests.functional import hostile

OWNER = 'alice:proj'
TOKENS = {'admin': 'admin:admin', 'owner': OWNER, 'other': 'bob:other',
          'anonymous': None}


@pytest.fixture(scope='module')
def service(tmp_path_factory):
    svc = fixtures.Service(tmp_path_factory.mktemp('hostile-queries'))
    yield svc
    svc.stop()


@pytest.fixture(scope='module')
def get_urls(service):
    """Every GET route with its ids filled with real ones."""
    server_id = service.boot(name='queried', token=OWNER)
    service.action(server_id, {'migrate': {'host': None}})
    service.wait_status(server_id, 'VERIFY_RESIZE', token=OWNER)
    service.action(server_id, {'confirmResize': None}, status=204)
    service.wait_status(server_id, 'ACTIVE', token=OWNER)
    group = service.app.post_json('/v2.1/os-server-groups', {'server_group': {
        'name': 'q', 'policies': ['affinity']}}, headers=fixtures.headers(OWNER))
    aggregate = service.app.post_json('/v2.1/os-aggregates', {'aggregate': {
        'name': 'q'}}, headers=fixtures.headers())
    actions = service.app.get('/v2.1/servers/%s/os-instance-actions' % server_id,
                              headers=fixtures.headers(OWNER)).json
    ids = {'server_id': server_id, 'flavor_id': '1', 'key': 'k',
           'hypervisor_id': '1', 'group_id': group.json['server_group']['id'],
           'aggregate_id': str(aggregate.json['aggregate']['id']),
           'request_id': [a['request_id'] for a in actions['instanceActions']
                          if a['action'] == 'migrate'][0]}
    service.app.post_json('/v2.1/flavors/1/os-extra_specs', {'extra_specs': {
        'k': 'v'}}, headers=fixtures.headers())
    hostile.settle(service, quiet=True)
    urls = []
    for path, method in sorted(routes.OPERATIONS):
        if method == 'get':
            for name, value in ids.items():
                path = path.replace('{%s}' % name, value)
            urls.append(path)
    return urls


_KNOWN = ['limit', 'marker', 'all_tenants', 'all_projects', 'project_id',
          'tenant_id', 'host', 'with_servers', 'hypervisor_hostname_pattern',
          'sort_key', 'sort_dir', 'minRam', 'minDisk', 'is_public', 'status',
          'name', 'hidden', 'migration_type', 'offset', 'instance_uuid',
          'source_compute', 'binary', 'flavor', 'cell_name']
query_values = st.one_of(
    st.sampled_from(['', '0', '1', '-1', '2147483648', '9' * 40, 'true', 'false',
                     'yes', 'None', 'none', 'asc', 'desc', 'created_at', 'ACTIVE',
                     'DELETED', 'unknown',
                     'compute1', 'f6a1e0a4-6f43-4f0a-9a47-5b8d1e9d6c11', '%',
                     '_', '\x00', 'a' * 300, '1.5', '0x10', ' 1', '١']),
    hostile.texts)
query_dicts = st.lists(st.tuples(st.one_of(st.sampled_from(_KNOWN), hostile.texts),
                                 query_values), max_size=5)
raw_queries = st.one_of(
    st.sampled_from(['%zz', '%', '%ff%fe', '&&&', '=', '==', 'limit', 'limit=',
                     'limit=1&limit=x', 'a[]=1', 'limit=%00', '%00=1', ';;',
                     'marker=%ff', 'name=%E2%80%AE', '+=+', 'limit=1;2']),
    st.binary(max_size=40).map(parse.quote_from_bytes),
    st.text(max_size=40))
versions = st.one_of(st.sampled_from(['2.1', '2.33', '2.53', '2.56', 'latest']),
                     st.integers(1, 60).map('2.{}'.format))


def _query(draw_pairs, raw) -> str:
    return raw if draw_pairs is None else parse.urlencode(draw_pairs)


def _assert_no_admin_fields(text: str, what) -> None:
    found = hostile.ADMIN_ONLY.search(text)
    assert found is None, (found and found.group(0), what)


@settings(hostile.SETTINGS, max_examples=700)
@given(data=st.data(), caller=st.sampled_from(sorted(TOKENS)), version=versions,
       pairs=st.one_of(st.none(), query_dicts), raw=raw_queries)
def test_hostile_queries_change_nothing_and_leak_nothing(
        service, get_urls, data, caller, version, pairs, raw):
    url = data.draw(st.sampled_from(get_urls))
    query = _query(pairs, raw)
    headers = {'OpenStack-API-Version': 'compute %s' % version}
    if TOKENS[caller]:
        headers['X-Auth-Token'] = TOKENS[caller]
    before = hostile.snapshot(service.db)
    resp = service.app.get(url + '?' + query, headers=headers, expect_errors=True)
    if resp.status_int != 200:
        hostile.assert_fault(resp)
    hostile.assert_unchanged(before, hostile.snapshot(service.db), (url, query))
    if caller != 'admin':
        _assert_no_admin_fields(resp.text, (caller, url, query))
    if caller == 'anonymous' and url not in openapi_open():
        hostile.assert_fault(resp, 400, 401, 406)


def openapi_open() -> set:
    return {route.path for route in routes.ROUTES if route.open}



@pytest.mark.parametrize('path', ['/v2.1/servers', '/v2.1/servers/detail'])
@pytest.mark.parametrize('status', ['DELETED', 'deleted', 'UNKNOWN', 'unknown'])
def test_statuses_no_server_can_have_list_nothing(service, path, status):
    """The schema accepts them; the early return for them skipped setting
    the page size that the page links read (a 500)."""
    resp = service.app.get(path, params={'status': status},
                           headers=fixtures.headers(OWNER))
    assert resp.json == {'servers': []}

# -- microversion headers -----------------------------------------------------

_WELL_FORMED = re.compile(r'^(\d+)\.(\d+)$')
header_values = st.one_of(
    st.integers(0, 70).map('2.{}'.format),
    st.sampled_from(['latest', 'LATEST', ' 2.56 ', '2.01', '2.056', '1.9', '2.0',
                     '3.0', '2', '2.', '.5', '2.5.6', '2,5', 'v2.1', '', ' ',
                     '2.1 2.2', '-2.1', '2.-1', '9' * 30 + '.1', '2.' + '9' * 30,
                     '\u0662.\u0665', '2.5\x00']),
    hostile.texts)
service_prefixes = st.sampled_from(['compute ', 'compute ', 'COMPUTE ', 'volume ',
                                    'compute', '', 'compute  '])


def expected_version(value: str | None):
    """(status, version or None) for a compute version string, or None when
    the value is not plainly well formed (then only 200/400/406 are checked)."""
    if value is None:
        return 200, mv.MIN_VERSION_STRING
    text = value.strip()
    if text.lower() == 'latest':
        return 200, mv.MAX_VERSION_STRING
    match = _WELL_FORMED.match(text)
    if not match or not text.isascii():
        return None
    version = (int(match.group(1)), int(match.group(2)))
    if not mv.BASE <= version <= tuple(mv.MAX_VERSION):
        return 406, None
    return 200, '%d.%d' % version


@settings(hostile.SETTINGS, max_examples=500)
@given(value=header_values, prefix=service_prefixes,
       legacy=st.one_of(st.none(), header_values), use_new=st.booleans())
def test_microversion_headers_are_negotiated_or_refused(service, value, prefix,
                                                        legacy, use_new):
    headers = {'X-Auth-Token': OWNER}
    if use_new:
        headers['OpenStack-API-Version'] = prefix + value
    if legacy is not None:
        headers['X-OpenStack-Nova-API-Version'] = legacy
    try:
        resp = service.app.get('/v2.1/flavors', headers=headers, expect_errors=True)
    except UnicodeEncodeError:
        return  # not a header a client can send (WSGI headers are latin-1)
    assert resp.status_int in (200, 400, 406), resp.text
    assert 'OpenStack-API-Version' in resp.headers['Vary']
    if resp.status_int == 200:
        echoed = resp.headers['OpenStack-API-Version']
        assert echoed == 'compute ' + resp.headers['X-OpenStack-Nova-API-Version']
        shown = tuple(int(p) for p in echoed.split()[1].split('.'))
        assert mv.BASE <= shown <= tuple(mv.MAX_VERSION)
    else:
        fault = hostile.assert_fault(resp)
        if resp.status_int == 406:
            assert 'Minimum is 2.1 and maximum is 2.56' in fault['message']
    known, chosen = _compute_value(prefix, value, legacy, use_new)
    expected = expected_version(chosen) if known else None
    if expected is not None:
        status, version = expected
        assert resp.status_int == status, (headers, resp.text)
        if version:
            assert resp.headers['X-OpenStack-Nova-API-Version'] == version


def _compute_value(prefix, value, legacy, use_new):
    """(known, the version string the API must read) where the headers are
    plain enough to say: a compute entry wins, else the legacy header."""
    if not use_new:
        return True, legacy
    plain = value.strip() and not any(c in value.strip() for c in ', \t\n\r')
    if not plain:
        return False, None
    if prefix.strip().lower() == 'compute' and prefix != 'compute':
        return True, value
    if prefix == 'volume ':
        return True, legacy
    return False, None
