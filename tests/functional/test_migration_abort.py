"""DELETE /servers/{id}/migrations/{id} (2.24): a cold move aborted before
its disk copy ends leaves the server where it was, as it was, with one
claim; Nova's answers for everything that cannot be aborted."""

import time

import pytest

from tests.fixtures import headers
from tests.functional import migrate_helpers as helpers
from tests.invariants import assert_consistent

OWNER, MANAGER, READER = 'alice:proj', 'mia:proj:manager', 'rita:proj:reader'
SLOW_COPY = 128.0  # MB/s: a 1 GB disk takes ~8 s


@pytest.fixture
def service(module_service):
    module_service.conf.set_override('disk_copy_rate_mb', SLOW_COPY, group='compute')
    yield module_service
    module_service.conf.clear_override('disk_copy_rate_mb', group='compute')


def _abort(service, server, migration_id, token='admin:admin', version='2.24',
           status=202):
    resp = service.app.delete('/v2.1/servers/%s/migrations/%s' % (server, migration_id),
                              headers=headers(token, version), status=status)
    return resp.json if resp.body else None


def _start_copy(service, server):
    """Start a move and return its in-progress record once the copy runs."""
    service.action(server, {'migrate': None}, status=202)
    deadline = time.monotonic() + 10
    while True:
        moves = service.app.get('/v2.1/servers/%s/migrations' % server,
                                headers=headers(version='2.24')).json['migrations']
        if moves and moves[0]['status'] == 'migrating':
            return moves[0]
        assert time.monotonic() < deadline, moves
        time.sleep(0.05)


def _used_by_host(service):
    return {host: helpers.usage(service, host)['MEMORY_MB']['used']
            for host in ('compute1', 'compute2', 'compute3')}


def test_abort_during_the_copy_leaves_the_server_as_it_was(service):
    server = service.boot(token=OWNER)
    source = service.host_of(server)
    before = _used_by_host(service)
    move = _start_copy(service, server)
    assert _used_by_host(service) != before  # the destination holds a claim

    assert _abort(service, server, move['id'], token=MANAGER) is None

    shown = service.show(server)
    assert shown['status'] == 'ACTIVE' and shown['OS-EXT-STS:task_state'] is None
    assert shown['OS-EXT-STS:power_state'] == 1
    assert shown['OS-EXT-SRV-ATTR:host'] == source
    (listed,) = [m for m in service.migrations_of(server) if m['id'] == move['id']]
    assert listed['status'] == 'cancelled'
    record = service.record(server)
    assert record['status'] == 'cancelled'
    assert record['error_reason'].startswith('aborted while migrating, by user mia')
    assert _used_by_host(service) == before

    # The copy under way stops at its next progress report; nothing resumes.
    time.sleep(1.0)
    shown = service.show(server)
    assert (shown['status'], shown['OS-EXT-SRV-ATTR:host']) == ('ACTIVE', source)
    assert service.app.get('/v2.1/servers/%s/migrations' % server,
                           headers=headers(version='2.24')).json['migrations'] == []
    actions = [a['action'] for a in service.app.get(
        '/v2.1/servers/%s/os-instance-actions' % server,
        headers=headers(version='2.56')).json['instanceActions']]
    assert actions[:2] == ['migration_cancel', 'migrate']
    assert_consistent(service.db)

    # The server moves normally afterwards.
    service.conf.set_override('disk_copy_rate_mb', 0.0, group='compute')
    service.action(server, {'migrate': None}, status=202)
    moved = service.wait_status(server, 'VERIFY_RESIZE')
    assert moved['OS-EXT-SRV-ATTR:host'] != source
    service.action(server, {'confirmResize': None}, status=204)
    assert_consistent(service.db)


def test_an_aborted_stopped_server_stays_stopped(service):
    server = service.boot()
    service.action(server, {'os-stop': None}, status=202)
    service.wait_status(server, 'SHUTOFF')
    move = _start_copy(service, server)
    _abort(service, server, move['id'])
    shown = service.wait_status(server, 'SHUTOFF')
    assert shown['OS-EXT-STS:power_state'] == 4
    assert_consistent(service.db)


def test_what_cannot_be_aborted(service):
    server = service.boot(token=OWNER)
    service.conf.set_override('disk_copy_rate_mb', 0.0, group='compute')
    service.action(server, {'migrate': None}, status=202)
    service.wait_status(server, 'VERIFY_RESIZE')
    (done,) = service.migrations_of(server)
    # Past the copy: the server's task is over, a revert is the way back.
    resp = _abort(service, server, done['id'], status=409)
    assert resp['conflictingRequest']['message'] == (
        "Cannot 'abort migration' instance %s while it is in task_state None"
        % server)
    service.action(server, {'confirmResize': None}, status=204)
    service.wait_status(server, 'ACTIVE')

    service.conf.set_override('disk_copy_rate_mb', SLOW_COPY, group='compute')
    move = _start_copy(service, server)
    # An older move of the server, while a new one copies: its status says no.
    resp = _abort(service, server, done['id'], status=400)
    assert resp['badRequest']['message'] == (
        'Migration %s state of instance %s is confirmed. Cannot abort migration '
        'while the migration is in this state.' % (done['id'], server))
    other = service.boot()
    for wrong in ('999999', 'x', '-1', '99999999999999999999', '1.5'):
        resp = _abort(service, server, wrong, status=404)
        assert resp['itemNotFound']['message'] == (
            'Migration %s not found for instance %s' % (wrong, server))
    # Another server's move is not this server's.
    _abort(service, other, move['id'], status=404)
    # Before 2.24 the call does not exist.
    resp = _abort(service, server, move['id'], version='2.23', status=404)
    assert '2.24' in resp['itemNotFound']['message']
    # Roles: a reader and a member may not; they act on nothing.
    _abort(service, server, move['id'], token=READER, status=403)
    _abort(service, server, move['id'], token=OWNER, status=403)
    _abort(service, server, move['id'])
    resp = _abort(service, server, move['id'], status=409)
    assert 'task_state None' in resp['conflictingRequest']['message']
    service.wait_status(server, 'ACTIVE')
    assert_consistent(service.db)


def test_a_locked_server_refuses_its_manager(service):
    server = service.boot(token=OWNER)
    move = _start_copy(service, server)
    service.action(server, {'lock': None}, status=202)
    resp = _abort(service, server, move['id'], token=MANAGER, status=409)
    assert resp['conflictingRequest']['message'] == 'Instance %s is locked' % server
    _abort(service, server, move['id'])  # an administrator may
    service.action(server, {'unlock': None}, status=202)
    service.wait_status(server, 'ACTIVE')
    assert_consistent(service.db)
