"""Taking a host down for maintenance, as an operator does it: preview
where each server would go, start the drain, watch it, cancel it -- and
afterwards the host is empty, nothing was moved twice, nothing leaked."""

import time

import pytest

from tests import fixtures
from tests.fixtures import headers
from tests.functional import migrate_helpers as ops
from tests.invariants import assert_consistent

ADMIN = headers(version='migrator 1.2')


@pytest.fixture
def service(tmp_path):
    svc = fixtures.Service(tmp_path, conductor__drain_idle_interval=0.05,
                           conductor__drain_interval=0.05)
    yield svc
    svc.stop()


def start(svc, host, status=202, **options):
    return svc.app.post_json('/migrator/drains', {'drain': dict(host=host, **options)},
                             headers=ADMIN, status=status).json


def wait_ended(svc, drain_uuid, timeout=60) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        drain = svc.app.get('/migrator/drains/%s' % drain_uuid,
                            headers=ADMIN).json['drain']
        if drain['status'] in ('complete', 'incomplete', 'cancelled'):
            return drain
        assert time.monotonic() < deadline, drain
        time.sleep(0.05)


def on_host(svc, host) -> list:
    return [s['id'] for s in svc.app.get(
        '/v2.1/servers/detail?all_tenants=1&host=%s' % host,
        headers=headers(version='2.56')).json['servers']]


def overlap(records) -> int:
    """The most moves that were under way at the same moment."""
    events = []
    for record in records:
        times = record['phase_times']
        events.append((times['pre-migrating'], 1))
        end = times.get('confirmed') or times.get('error') or times.get('finished')
        events.append((end, -1))
    running = peak = 0
    for _when, change in sorted(events, key=lambda e: (e[0], e[1])):
        running += change
        peak = max(peak, running)
    return peak


def test_a_host_of_twenty_servers_drained_four_at_a_time(service):
    servers = ops.boot_many_on(service, 'compute1', 20)
    stopped = servers[0]
    service.action(stopped, {'os-stop': None}, status=202)
    service.wait_status(stopped, 'SHUTOFF')
    plan = start(service, 'compute1', status=200, dry_run=True)['drain_plan']
    assert plan['summary'] == '20/20 servers can be placed'
    assert {p['destination'] for p in plan['servers']} == {'compute2', 'compute3'}
    assert on_host(service, 'compute1'), 'a preview moves nothing'

    drain = start(service, 'compute1', max_parallel=4, reason='bios update')['drain']
    assert drain['status'] == 'running' and len(drain['servers']) == 20
    compute1 = [s for s in service.app.get(
        '/v2.1/os-services', headers=headers(version='2.56')).json['services']
        if s['host'] == 'compute1' and s['binary'].endswith('compute')][0]
    assert compute1['status'] == 'disabled'
    assert compute1['disabled_reason'] == 'drain %s: bios update' % drain['uuid']
    ended = wait_ended(service, drain['uuid'])
    assert ended['status'] == 'complete', ended
    assert ended['counts']['done'] == 20 and ended['progress'] == 100
    assert ended['message'] == 'compute1 is empty'
    assert on_host(service, 'compute1') == []
    for server in servers:
        shown = service.show(server)
        assert shown['OS-EXT-SRV-ATTR:host'] in ('compute2', 'compute3')
        assert shown['status'] == ('SHUTOFF' if server == stopped else 'ACTIVE')
    records = service.records()
    assert len(records) == 20, 'each server moved once'
    assert {r['status'] for r in records} == {'confirmed'}
    assert overlap(records) <= 4
    assert_consistent(service.db)


def test_servers_that_cannot_go_anywhere_leave_it_incomplete(service):
    big = ops.create_flavor(service, 'big', ram=24576)
    (stuck,) = ops.boot_many_on(service, 'compute1', 1, flavor=big)
    small = ops.boot_many_on(service, 'compute1', 2)
    for host in ('compute2', 'compute3'):
        ops.boot_many_on(service, host, 1, flavor=big)
    plan = start(service, 'compute1', status=200, dry_run=True)['drain_plan']
    reasons = {p['server_id']: p['reason'] for p in plan['servers']}
    assert reasons[stuck] == '0/2 hosts accept: 2 CapacityFilter (MEMORY_MB)'
    drain = start(service, 'compute1')['drain']
    ended = wait_ended(service, drain['uuid'])
    assert ended['status'] == 'incomplete'
    item = {s['server_id']: s for s in ended['servers']}[stuck]
    assert item['status'] == 'cannot-place'
    assert 'CapacityFilter (MEMORY_MB)' in item['reason']
    assert ended['message'].startswith('1 server(s) still on compute1')
    # Nothing half-moved: it runs where it was, holding one claim.
    assert service.show(stuck)['OS-EXT-SRV-ATTR:host'] == 'compute1'
    assert service.show(stuck)['status'] == 'ACTIVE'
    assert {service.show(s)['OS-EXT-SRV-ATTR:host'] for s in small} <= {
        'compute2', 'compute3'}
    assert_consistent(service.db)


def test_a_server_deleted_by_its_owner_mid_drain_is_skipped(service):
    service.conf.set_override('disk_copy_rate_mb', 2048.0, group='compute')
    servers = ops.boot_many_on(service, 'compute1', 4, flavor='2')  # 20 GB: 10 s each
    drain = start(service, 'compute1', max_parallel=1)['drain']
    doomed = servers[-1]
    service.app.delete('/v2.1/servers/%s' % doomed, headers=headers(), status=204)
    service.conf.clear_override('disk_copy_rate_mb', group='compute')
    ended = wait_ended(service, drain['uuid'])
    assert ended['status'] == 'complete'
    item = {s['server_id']: s for s in ended['servers']}[doomed]
    assert (item['status'], item['reason']) == ('skipped', 'deleted by its owner')
    assert ended['counts']['done'] == 3
    assert_consistent(service.db)


def test_cancel_mid_drain(service):
    service.conf.set_override('disk_copy_rate_mb', 4096.0, group='compute')
    servers = ops.boot_many_on(service, 'compute1', 4, flavor='2')
    drain = start(service, 'compute1', max_parallel=1)['drain']
    deadline = time.monotonic() + 10
    while service.app.get('/migrator/drains/%s' % drain['uuid'], headers=ADMIN).json[
            'drain']['counts']['moving'] == 0:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    cancelling = service.app.delete('/migrator/drains/%s' % drain['uuid'],
                                    headers=ADMIN, status=202).json['drain']
    assert cancelling['status'] == 'cancelling'
    service.conf.clear_override('disk_copy_rate_mb', group='compute')
    ended = wait_ended(service, drain['uuid'])
    assert ended['status'] == 'cancelled'
    counts = ended['counts']
    assert counts['done'] == 1 and counts['skipped'] == 3, counts
    skipped = [s for s in ended['servers'] if s['status'] == 'skipped']
    assert {s['reason'] for s in skipped} == {
        'the drain was cancelled before its move started'}
    assert len(on_host(service, 'compute1')) == 3
    assert len(servers) == 4
    service.app.delete('/migrator/drains/%s' % drain['uuid'], headers=ADMIN,
                       status=409)
    assert_consistent(service.db)


def test_cancel_with_abort_moves_aborts_the_copies(service):
    service.conf.set_override('disk_copy_rate_mb', 64.0, group='compute')  # ~16 s
    servers = ops.boot_many_on(service, 'compute1', 3)
    drain = start(service, 'compute1', max_parallel=2)['drain']
    deadline = time.monotonic() + 10
    while service.app.get('/migrator/drains/%s' % drain['uuid'], headers=ADMIN).json[
            'drain']['counts']['moving'] < 2:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    service.app.delete('/migrator/drains/%s?abort_moves=true' % drain['uuid'],
                       headers=ADMIN, status=202)
    ended = wait_ended(service, drain['uuid'], timeout=10)
    assert ended['status'] == 'cancelled' and ended['abort_on_cancel'] is True
    reasons = sorted(s['reason'] for s in ended['servers'])
    assert [r.split(':')[0] for r in reasons] == [
        'its move was aborted', 'its move was aborted',
        'the drain was cancelled before its move started'], reasons
    # Every server is back where it was, running, with one claim.
    assert sorted(on_host(service, 'compute1')) == sorted(servers)
    for server in servers:
        assert service.show(server)['status'] == 'ACTIVE'
    assert sorted(m['status'] for m in service.migrations()) == ['cancelled'] * 2
    assert_consistent(service.db)


def test_refusals(service):
    start(service, 'nowhere', status=404)
    start(service, 'compute1', status=400, max_parallel=0)
    first = start(service, 'compute1')['drain']
    resp = start(service, 'compute1', status=409)
    assert first['uuid'] in resp['conflictingRequest']['message']
    wait_ended(service, first['uuid'])
    service.app.post_json('/migrator/drains', {'drain': {'host': 'compute1'}},
                          headers=headers('alice:proj', 'migrator 1.2'), status=403)
    service.app.get('/migrator/drains', headers=headers(version='migrator 1.1'),
                    status=404)
    listed = service.app.get('/migrator/drains', params={'host': 'compute1'},
                             headers=ADMIN).json['drains']
    assert [d['uuid'] for d in listed] == [first['uuid']]
    service.app.get('/migrator/drains/not-a-uuid', headers=ADMIN, status=404)


def test_the_plan_counts_the_servers_it_has_placed(service):
    """Projected capacity: a host with room for one more server takes one
    in the plan; the others are refused with the capacity's reason."""
    capacity = ops.usage(service, 'compute3')['MEMORY_MB']['capacity']
    filler = ops.create_flavor(service, 'nearly-full', ram=capacity - 512)
    ops.boot_many_on(service, 'compute3', 1, flavor=filler)
    small = ops.boot_many_on(service, 'compute1', 3)
    plan = start(service, 'compute1', status=200, dry_run=True,
                 hosts=['compute3'])['drain_plan']
    assert plan['summary'] == '1/3 servers can be placed'
    where = {p['server_id']: p for p in plan['servers']}
    placed = [s for s in small if where[s]['destination'] == 'compute3']
    assert len(placed) == 1, plan
    for server in set(small) - set(placed):
        assert where[server]['reason'] == '0/1 hosts accept: 1 CapacityFilter (MEMORY_MB)'
