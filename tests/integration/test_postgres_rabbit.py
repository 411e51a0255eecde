"""The distributed deployment on PostgreSQL and RabbitMQ, over HTTP.

One cluster serves the whole module: migrator-api under gunicorn with two
workers, two conductors, a scheduler and computes c1, c2, c3 (c3 the
largest), each its own process. The tests run in order; the last one kills
a compute.
"""

import pytest

from tests.integration import journey

pytestmark = [pytest.mark.integration, pytest.mark.timeout(300)]


def _other(hosts, *exclude):
    return next(h for h in hosts if h not in exclude)


def test_smoke_boot_to_active(pg_cluster):
    flavor = journey.ensure_flavor(pg_cluster)
    server_id = journey.boot(pg_cluster, 'smoke', flavor)
    server = journey.show(pg_cluster, server_id)
    assert server['status'] == 'ACTIVE'
    assert server['OS-EXT-SRV-ATTR:host'] in pg_cluster.hosts
    assert journey.check_invariants(pg_cluster) == []


def _migration(cluster, server_id, status=None) -> dict:
    found = journey.migrations_of(cluster, server_id)
    assert found, 'no migration recorded for %s' % server_id
    if status:
        assert found[0]['status'] == status, found[0]
    return found[0]


def _settled(cluster):
    assert journey.check_invariants(cluster) == []


def test_targeted_migrate_then_confirm(pg_cluster):
    server_id = journey.boot(pg_cluster, 'targeted', journey.ensure_flavor(pg_cluster))
    source = journey.host_of(pg_cluster, server_id)
    dest = _other(['c1', 'c2', 'c3'], source)

    resp = journey.migrate(pg_cluster, server_id, host=dest)
    assert resp.status_code == 202, resp.text
    server = journey.wait_status(pg_cluster, server_id, 'VERIFY_RESIZE')
    assert server['OS-EXT-SRV-ATTR:host'] == dest
    migration = _migration(pg_cluster, server_id, 'finished')
    assert (migration['source_compute'], migration['dest_compute']) == (source, dest)
    _settled(pg_cluster)

    resp = journey.action(pg_cluster, server_id, {'confirmResize': None})
    assert resp.status_code == 204, resp.text
    server = journey.wait_status(pg_cluster, server_id, 'ACTIVE')
    assert server['OS-EXT-SRV-ATTR:host'] == dest
    _migration(pg_cluster, server_id, 'confirmed')
    _settled(pg_cluster)


def test_forced_migrate_past_a_filter_then_revert(pg_cluster):
    server_id = journey.boot(pg_cluster, 'forced', journey.ensure_flavor(pg_cluster))
    source = journey.host_of(pg_cluster, server_id)
    dest = _other(['c1', 'c2', 'c3'], source)
    resp = pg_cluster.put('/os-services/disable', {
        'host': dest, 'binary': 'nova-compute'}, version='2.1')
    assert resp.status_code == 200, resp.text
    try:
        refused = journey.migrate(pg_cluster, server_id, host=dest)
        assert refused.status_code == 400, refused.text
        assert 'ComputeFilter' in refused.json()['badRequest']['message']

        resp = journey.migrate(pg_cluster, server_id, host=dest, force=True)
        assert resp.status_code == 202, resp.text
        server = journey.wait_status(pg_cluster, server_id, 'VERIFY_RESIZE')
    finally:
        pg_cluster.put('/os-services/enable', {
            'host': dest, 'binary': 'nova-compute'}, version='2.1')
    assert server['OS-EXT-SRV-ATTR:host'] == dest
    migration = _migration(pg_cluster, server_id, 'finished')
    record = journey.migration_row(pg_cluster, migration['id'])
    assert record['forced'] and record['requested_host'] == dest
    assert [f['filter'] for f in record['forced_filter_failures']] == ['ComputeFilter']
    _settled(pg_cluster)

    resp = journey.action(pg_cluster, server_id, {'revertResize': None})
    assert resp.status_code == 202, resp.text
    server = journey.wait_status(pg_cluster, server_id, 'ACTIVE')
    assert server['OS-EXT-SRV-ATTR:host'] == source
    _migration(pg_cluster, server_id, 'reverted')
    _settled(pg_cluster)


@pytest.mark.parametrize('end', ['confirmResize', 'revertResize'])
def test_untargeted_migrate(pg_cluster, end):
    server_id = journey.boot(pg_cluster, 'untargeted-' + end,
                             journey.ensure_flavor(pg_cluster))
    source = journey.host_of(pg_cluster, server_id)

    resp = journey.migrate(pg_cluster, server_id)
    assert resp.status_code == 202, resp.text
    server = journey.wait_status(pg_cluster, server_id, 'VERIFY_RESIZE')
    dest = server['OS-EXT-SRV-ATTR:host']
    assert dest in pg_cluster.hosts and dest != source
    assert _migration(pg_cluster, server_id, 'finished')['dest_compute'] == dest
    _settled(pg_cluster)

    resp = journey.action(pg_cluster, server_id, {end: None})
    assert resp.status_code in (202, 204), resp.text
    server = journey.wait_status(pg_cluster, server_id, 'ACTIVE')
    expected = dest if end == 'confirmResize' else source
    assert server['OS-EXT-SRV-ATTR:host'] == expected
    _migration(pg_cluster, server_id,
               'confirmed' if end == 'confirmResize' else 'reverted')
    _settled(pg_cluster)


def test_requests_spread_over_both_conductors(pg_cluster):
    # Every boot and move above went through the shared conductor queue.
    assert journey.conductor_hosts(pg_cluster) == set(pg_cluster.conductor_hosts)


def test_killed_compute_goes_down_and_is_avoided(pg_cluster):
    flavor = journey.ensure_flavor(pg_cluster)
    pg_cluster.kill('c3')
    journey.wait_service_state(pg_cluster, 'migrator-compute', 'c3', 'down')
    states = journey.service_states(pg_cluster)
    assert states[('migrator-compute', 'c1')] == 'up'
    assert states[('migrator-compute', 'c2')] == 'up'

    # c3 is the largest host: only its being down keeps boots and moves off it.
    server_id = journey.boot(pg_cluster, 'liveness', flavor)
    source = journey.host_of(pg_cluster, server_id)
    assert source in ('c1', 'c2')

    targeted = journey.migrate(pg_cluster, server_id, host='c3')
    assert targeted.status_code == 400, targeted.text
    message = targeted.json()['badRequest']['message']
    assert 'ComputeFilter' in message and 'down' in message

    forced = journey.migrate(pg_cluster, server_id, host='c3', force=True)
    assert forced.status_code == 400, forced.text
    assert 'Compute service of c3 is down' in forced.json()['badRequest']['message']
    assert journey.show(pg_cluster, server_id)['status'] == 'ACTIVE'

    resp = journey.migrate(pg_cluster, server_id)
    assert resp.status_code == 202, resp.text
    server = journey.wait_status(pg_cluster, server_id, 'VERIFY_RESIZE')
    assert server['OS-EXT-SRV-ATTR:host'] == _other(['c1', 'c2'], source)
    resp = journey.action(pg_cluster, server_id, {'confirmResize': None})
    assert resp.status_code == 204, resp.text
    journey.wait_status(pg_cluster, server_id, 'ACTIVE')
