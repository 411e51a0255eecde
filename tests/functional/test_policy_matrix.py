"""Every API call, as every kind of caller, with the default policy.

Callers: a cloud admin (noauth2 ``admin``), a member of the project that
owns the server (``alice:proj``), a member of another project
(``bob:other``), a reader of the owning project and anonymous (no token).
noauth2 gives every non-admin the member and reader roles, so the reader is
a Keystone token with the ``reader`` role only, through keystonemiddleware's
test fixture. With the default policy (Nova's of this era, owner rules
check the project, not the role) a reader may do what a member may;
test_policy_deployer shows how a deployer makes readers read-only.

Each cell asserts the status; a refused call changes no row; and no answer
to a non-admin carries a host detail, an event traceback or fault details.
"""

import pytest

from migrator.api import routes
from migrator.api.resources import server_actions
from tests import fixtures
from tests.functional import hostile
from tests.functional.policy_world import (
    ACTION,
    ACTIVE,
    ADMIN,
    AGGREGATE,
    CALLS,
    MEMBER,
    PERSONAS,
    READER,
    RESIZED,
    Clients,
    World,
    assert_no_admin_details,
    keystone_app,
    keystone_tokens,
    send,
)
from tests.invariants import assert_consistent


@pytest.fixture(scope='module')
def service(tmp_path_factory):
    svc = fixtures.Service(tmp_path_factory.mktemp('policy'))
    yield svc
    svc.stop()


@pytest.fixture(scope='module')
def tokens():
    fixture = keystone_tokens()
    yield fixture
    fixture.cleanUp()


@pytest.fixture(scope='module')
def world(service):
    return World(service)


@pytest.fixture(scope='module')
def clients(service, tokens):
    return Clients(service, keystone_app(service), {READER: 'tok-reader'})


def test_the_matrix_covers_every_route_method_and_action():
    assert {(c.path, c.method.lower()) for c in CALLS} == set(routes.OPERATIONS)
    assert {c.action for c in CALLS if c.path == ACTION} == set(server_actions.HANDLERS)
    aggregate_actions = routes.OPERATIONS[(AGGREGATE + '/action', 'post')].actions
    assert {c.action for c in CALLS if c.path == AGGREGATE + '/action'} == \
        set(aggregate_actions)
    assert all(set(c.expect) == set(PERSONAS) for c in CALLS)


@pytest.mark.parametrize('persona', PERSONAS)
def test_every_call_as(persona, service, clients, world):
    for call in CALLS:
        expected = call.expect[persona]
        what = (persona, call.method, call.path, call.action)
        before = None if expected < 300 else hostile.snapshot(service.db)
        resp = send(call, persona, world, clients)
        assert resp.status_int == expected, (what, resp.text[:500])
        if before is not None:
            hostile.assert_fault(resp, expected)
            hostile.assert_unchanged(before, hostile.snapshot(service.db), what)
        else:
            hostile.settle(service, quiet=True)
        assert_no_admin_details(resp, persona, what)
    assert_consistent(service.db)


@pytest.mark.parametrize('persona', [MEMBER, READER])
def test_owners_see_faults_and_events_without_admin_details(persona, service,
                                                            clients, world):
    """The positive control of the leak check: an admin does see them."""
    failed = '/v2.1/servers/%s' % world.error_server
    action = '/v2.1/servers/%s/os-instance-actions/%s' % (
        world.servers[RESIZED], world.migrate_request)
    admin_view = clients.request(ADMIN, 'GET', failed).json['server']
    assert 'details' in admin_view['fault']
    assert 'OS-EXT-SRV-ATTR:host' in clients.request(
        ADMIN, 'GET', '/v2.1/servers/%s' % world.servers[ACTIVE]).json['server']
    admin_events = clients.request(ADMIN, 'GET', action).json['instanceAction']['events']
    assert admin_events and all('migrator:host' in e and 'traceback' in e
                                for e in admin_events)
    owner_view = clients.request(persona, 'GET', failed)
    assert owner_view.json['server']['fault']['message']
    assert_no_admin_details(owner_view, persona, failed)
    for version in ('2.50', '2.51', '2.56'):
        resp = clients.request(persona, 'GET', action, version=version)
        assert resp.status_int == 200
        assert ('events' in resp.json['instanceAction']) == (version != '2.50')
        assert_no_admin_details(resp, persona, (action, version))
