"""Every API call, as every persona, with the default policy (Nova's).

Callers, as noauth2 tokens: an administrator in the project that owns the
resources and one in another project, the owning project's manager, member
and reader, a member of another project, and anonymous (no token). A
reader reads; a member also changes its servers; a manager also moves them
(without naming a host); an administrator names hosts and reaches every
project. tests/unit/test_policy_defaults.py holds every rule's decision
for each persona; this file drives the operations migrator serves over HTTP.

Each cell asserts the status; a refused call changes no row; and no answer
to a non-admin carries a host detail, an event traceback or fault details.
"""

import pytest

from migrator.api import routes
from migrator.api.resources import server_actions
from tests.functional import hostile
from tests.functional.policy_world import (
    ACTION,
    ACTIVE,
    ADMIN,
    AGGREGATE,
    CALLS,
    MANAGER,
    MEMBER,
    OTHER_ADMIN,
    PERSONAS,
    READER,
    RESIZED,
    assert_no_admin_details,
    send,
)
from tests.invariants import assert_consistent


def test_the_matrix_covers_every_route_method_and_action():
    assert {(c.path, c.method.lower()) for c in CALLS} == set(routes.OPERATIONS)
    assert {c.action for c in CALLS if c.path == ACTION} == set(server_actions.HANDLERS)
    aggregate_actions = routes.OPERATIONS[(AGGREGATE + '/action', 'post')].actions
    assert {c.action for c in CALLS if c.path == AGGREGATE + '/action'} == \
        set(aggregate_actions)
    assert all(set(c.expect) == set(PERSONAS) for c in CALLS)


@pytest.mark.parametrize('persona', PERSONAS)
def test_every_call_as(persona, policy_service, clients, world):
    for call in CALLS:
        expected = call.expect[persona]
        what = (persona, call.method, call.path, call.action)
        before = None if expected < 300 else hostile.snapshot(policy_service.db)
        resp = send(call, persona, world, clients)
        assert resp.status_int == expected, (what, resp.text[:500])
        if before is not None:
            hostile.assert_fault(resp, expected)
            hostile.assert_unchanged(before, hostile.snapshot(policy_service.db), what)
        else:
            hostile.settle(policy_service, quiet=True)
        assert_no_admin_details(resp, persona, what)
    assert_consistent(policy_service.db)


@pytest.mark.parametrize('persona', [MANAGER, MEMBER, READER])
def test_owners_see_faults_and_events_without_admin_details(persona, policy_service,
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
    assert admin_events and all('traceback' in e for e in admin_events)
    detailed = '/migrator/servers/%s/actions/%s' % (world.servers[RESIZED],
                                                     world.migrate_request)
    admin_details = clients.request(ADMIN, 'GET', detailed).json['action']['events']
    assert admin_details and all(e['host'] and 'traceback' in e for e in admin_details)
    assert clients.request(persona, 'GET', detailed).status_int == 403
    owner_view = clients.request(persona, 'GET', failed)
    assert owner_view.json['server']['fault']['message']
    assert_no_admin_details(owner_view, persona, failed)
    for version in ('2.50', '2.51', '2.56'):
        resp = clients.request(persona, 'GET', action, version=version)
        assert resp.status_int == 200
        assert ('events' in resp.json['instanceAction']) == (version != '2.50')
        assert_no_admin_details(resp, persona, (action, version))


_HOSTS = ('source_node', 'source_compute', 'dest_node', 'dest_compute', 'dest_host')


def test_a_project_manager_lists_its_moves_without_hosts(policy_service, clients, world):
    """As Nova's os-migrations:index:host: the manager sees its project's
    moves (asking for its project) and no host; an administrator sees both."""
    url = '/v2.1/os-migrations?project_id=proj'
    mine = clients.request(MANAGER, 'GET', url).json['migrations']
    theirs = clients.request(ADMIN, 'GET', url).json['migrations']
    assert mine and [m['id'] for m in mine] == [m['id'] for m in theirs]
    moved = world.servers[RESIZED]
    assert moved in {m['instance_uuid'] for m in mine}
    for migration in mine:
        assert all(migration[key] is None for key in _HOSTS), migration
        for host in policy_service.conf.all_in_one.compute_hosts:
            assert host not in str(migration)
    assert all(m['source_compute'] for m in theirs)
    everyone = clients.request(OTHER_ADMIN, 'GET', '/v2.1/os-migrations').json
    assert {m['id'] for m in theirs} <= {m['id'] for m in everyone['migrations']}
    refused = clients.request(MANAGER, 'GET', '/v2.1/os-migrations?project_id=other')
    assert refused.status_int == 403
    assert 'os_compute_api:os-migrations:index:all_projects' in refused.text
