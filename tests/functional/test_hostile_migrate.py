"""Property-based tests of the migrate action (DESIGN §3) with hostile
bodies, microversions and callers.

The oracle is the design's table, written out here independently of the
schema module: for each (caller, microversion, body) it says which status
the API must answer. Every refusal is a Nova fault and leaves every row of
the database as it was."""

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests import fixtures
from tests.fixtures import headers
from tests.functional import hostile, migrate_helpers
from tests.invariants import assert_consistent

OWNER = 'alice:proj'
# Python's re.search, as jsonschema applies a pattern: "$" also matches
# before a final newline.
_HOST = re.compile(r'^[a-zA-Z0-9-._]*$')
_VERSIONS = ['2.1', '2.25', '2.55', '2.56', 'latest']


@pytest.fixture(scope='module')
def service(tmp_path_factory):
    svc = fixtures.Service(tmp_path_factory.mktemp('hostile-migrate'))
    yield svc
    svc.stop()


@pytest.fixture(scope='module')
def locked_server(service):
    """A server whose boot failed (no host could take it): a body the API
    accepts ends in 409 (vm_state error), never a move, for every caller
    that passes the policy, administrators included."""
    migrate_helpers.create_flavor(service, 'm1.huge', ram=65536, flavor_id='6')
    return service.boot(name='target', flavor='6', token=OWNER, wait='ERROR')


def _valid_host(host) -> bool:
    return host is None or (isinstance(host, str) and 1 <= len(host) <= 255
                            and bool(_HOST.search(host)))


def expected_status(caller: str, version: str, body, size: int = 0,
                    limit: int = 1 << 30) -> int:
    """DESIGN §3, in the order the API checks."""
    if size > limit:
        return 413
    if caller == 'anonymous':
        return 401
    if _holds_nul(body) or not isinstance(body, dict) or len(body) != 1:
        return 400  # a NUL in any string: not a body the API reads
    (name, value), = body.items()
    if name != 'migrate':
        return 400
    if caller == 'other':
        return 404  # another project's server does not exist for them
    if version not in ('2.56', 'latest'):
        return _refused(caller)  # as Nova: any value, never read
    if value is None:
        return _refused(caller)
    if not isinstance(value, dict) or 'host' not in value or \
            not set(value) <= {'host', 'force'}:
        return 400
    force = value.get('force')
    if not _valid_host(value['host']) or not (force is None or isinstance(force, bool)):
        return 400
    if force and value['host'] is None:
        return 400  # force requires a target host
    return _refused(caller)


def _holds_nul(value) -> bool:
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_nul(v) for v in value)
    return isinstance(value, str) and '\x00' in value


def _refused(caller: str) -> int:
    # An admin passes policy and meets the server's state; a member meets
    # the policy.
    return 409 if caller == 'admin' else 403


hosts = st.one_of(
    st.none(),
    st.sampled_from(['compute1', 'compute2', 'compute3', 'nowhere', '', 'a' * 255,
                     'a' * 256, 'compute2\n', 'comp ute2', 'c@2', '-', '.', '\u00e9',
                     'compute2\x00']),
    hostile.json_values)
forces = st.one_of(st.none(), st.booleans(),
                   st.sampled_from(['true', 'True', 1, 0, 'yes', [], {}, 1.0]),
                   hostile.json_values)
near_valid = st.fixed_dictionaries(
    {'host': st.sampled_from([None, 'compute1', 'compute2', 'nowhere', 'a' * 255])},
    optional={'force': st.sampled_from([None, True, False])})
migrate_values = st.one_of(
    st.none(), near_valid, near_valid,
    st.fixed_dictionaries({}, optional={'host': hosts, 'force': forces}),
    st.fixed_dictionaries({'host': hosts}, optional={
        'force': forces, 'extra': hostile.json_values}),
    hostile.json_values)
bodies = st.one_of(
    st.builds(lambda value: {'migrate': value}, migrate_values),
    st.builds(lambda value, more: dict(more, migrate=value), migrate_values,
              st.dictionaries(st.sampled_from(['os-stop', 'Migrate', 'host', 'x']),
                              hostile.json_values, min_size=1, max_size=2)),
    st.builds(lambda name, value: {name: value},
              st.sampled_from(['MIGRATE', 'migrate ', 'migrateLive', 'os-migrateLive',
                               'resize', '']), migrate_values),
    hostile.json_values)
callers = st.sampled_from(['admin', 'admin', 'owner', 'owner', 'other', 'anonymous'])
_TOKENS = {'admin': 'admin:admin', 'owner': OWNER, 'other': 'bob:other'}


def _version_headers(version: str, legacy: bool) -> dict:
    if legacy:
        return {'X-OpenStack-Nova-API-Version': version}
    return {'OpenStack-API-Version': 'compute %s' % version}


@settings(hostile.SETTINGS, max_examples=900)
@given(caller=callers, version=st.sampled_from(_VERSIONS), legacy=st.booleans(),
       body=bodies, ascii_only=st.booleans())
def test_hostile_migrate_bodies_are_refused_as_designed(
        service, locked_server, caller, version, legacy, body, ascii_only):
    raw = json.dumps(body, ensure_ascii=ascii_only).encode()
    request_headers = {'Content-Type': 'application/json',
                       **_version_headers(version, legacy)}
    if caller != 'anonymous':
        request_headers['X-Auth-Token'] = _TOKENS[caller]
    before = hostile.snapshot(service.db)
    resp = service.app.request('/v2.1/servers/%s/action' % locked_server,
                               method='POST', body=raw, headers=request_headers,
                               expect_errors=True)
    hostile.assert_fault(resp, expected_status(
        caller, version, body, len(raw), service.conf.api.max_request_body_size))
    hostile.assert_unchanged(before, hostile.snapshot(service.db), body)


@settings(hostile.SETTINGS, max_examples=250)
@given(raw=hostile.raw_bodies, content_type=hostile.content_types,
       version=st.sampled_from(_VERSIONS))
def test_broken_bytes_and_media_types_on_migrate(service, locked_server, raw,
                                                 content_type, version):
    extra = {} if content_type is None else {'Content-Type': content_type}
    before = hostile.snapshot(service.db)
    resp = service.app.request('/v2.1/servers/%s/action' % locked_server,
                               method='POST', body=raw, expect_errors=True,
                               headers=headers(version=version, **extra))
    # Nothing in raw_bodies is a one-key object naming a known action; the
    # deepest nestings are larger than the body limit.
    hostile.assert_fault(resp, 400, 413, 415)
    hostile.assert_unchanged(before, hostile.snapshot(service.db), raw)


@pytest.mark.parametrize('raw', [
    b'{"migrate": {"host": "compute2"}, "migrate": null}',
    b'{"migrate": null, "migrate": {"host": "compute2", "force": true}}',
    b'{"migrate": {"host": "compute2", "host": "nowhere", "force": false}}',
])
def test_duplicate_keys_the_last_one_wins(service, locked_server, raw):
    """As Python's json (and so Nova): the last duplicate counts; the
    answer is then the one the design gives that body."""
    body = json.loads(raw)
    before = hostile.snapshot(service.db)
    resp = service.app.request('/v2.1/servers/%s/action' % locked_server,
                               method='POST', body=raw, expect_errors=True,
                               headers=headers(version='2.56', **{
                                   'Content-Type': 'application/json'}))
    hostile.assert_fault(resp, expected_status('admin', '2.56', body))
    hostile.assert_unchanged(before, hostile.snapshot(service.db), raw)


def test_oversized_migrate_body_is_413_and_changes_nothing(service, locked_server):
    limit = service.conf.api.max_request_body_size
    raw = json.dumps({'migrate': {'host': 'compute2', 'pad': 'x' * limit}}).encode()
    before = hostile.snapshot(service.db)
    resp = service.app.request('/v2.1/servers/%s/action' % locked_server,
                               method='POST', body=raw, expect_errors=True,
                               headers=headers(version='2.56', **{
                                   'Content-Type': 'application/json'}))
    hostile.assert_fault(resp, 413)
    hostile.assert_unchanged(before, hostile.snapshot(service.db), 'oversized')


# -- valid random bodies are carried out, and leave the database sound --------

@pytest.fixture(scope='module')
def movable_server(service):
    return service.boot(name='movable', token=OWNER)


valid_bodies = st.one_of(
    st.just({'migrate': None}),
    st.builds(lambda host, force: {'migrate': dict(host=host, **force)},
              st.sampled_from([None, 'compute1', 'compute2', 'compute3']),
              st.sampled_from([{}, {'force': None}, {'force': False},
                               {'force': True}])))


@settings(hostile.SETTINGS, max_examples=12)
@given(body=valid_bodies)
def test_valid_random_migrations_then_revert_stay_consistent(service, movable_server,
                                                            body):
    """Each valid body either moves the server where it asked (then the move
    is reverted) or is refused for a reason the design names."""
    server_id = movable_server
    source = service.show(server_id)['OS-EXT-SRV-ATTR:host']
    value = body['migrate'] or {}
    host, force = value.get('host'), value.get('force')
    resp = service.action(server_id, body, status='*')
    if force and host is None:
        assert 'force requires a target host' in hostile.assert_fault(resp, 400)[
            'message']
    elif host == source:
        hostile.assert_fault(resp, 400)
    else:
        assert resp.status_int == 202, resp.text
        moved = service.wait_status(server_id, 'VERIFY_RESIZE')
        assert moved['OS-EXT-SRV-ATTR:host'] != source
        if host:
            assert moved['OS-EXT-SRV-ATTR:host'] == host
        service.action(server_id, {'revertResize': None}, status=202)
        back = service.wait_status(server_id, 'ACTIVE')
        assert back['OS-EXT-SRV-ATTR:host'] == source
    hostile.settle(service, quiet=True)
    assert_consistent(service.db)

