"""100 concurrent boots and migrations across processes never overcommit.

Two API workers and two conductors serve 100 requests sent at once by
threads over HTTP (boots, and targeted, forced and untargeted migrations of
the same few servers) toward four small hosts that cannot take them all.
Afterwards the database, read directly, must be consistent: no host over
capacity, usage equal to the allocation rows, one allocation per server
(two while it waits in VERIFY_RESIZE), no migration left half-way.
"""

import collections
import concurrent.futures
import itertools
import threading
import time

import pytest

from tests import fixtures
from tests.integration import conftest, journey

pytestmark = [pytest.mark.integration, pytest.mark.timeout(600)]

HOSTS = ('r1', 'r2', 'r3', 'r4')
HOT = ('r1', 'r2')  # where targeted and forced moves go
# 3584 MB usable per host: seven 512 MB servers each, 28 in all.
SMALL_HOST = {'compute': {'vcpus': 4, 'memory_mb': 4096, 'local_gb': 40,
                          'reserved_host_memory_mb': 512}}
PLACES = 7 * len(HOSTS)
SERVERS = 8
BOOTS = 50
# Boots ask for this zone, so the hot hosts keep room that only moves can
# take: some migrations must succeed however the race interleaves.
BOOT_ZONE, BOOT_HOSTS = 'boots', ('r3', 'r4')
MIGRATIONS = 50  # about three per server: one at a time may start


@pytest.fixture(scope='module')
def race_cluster(tmp_path_factory):
    with fixtures.postgres_database() as url, conftest.running_cluster(
            tmp_path_factory.mktemp('race-cluster'), url, hosts=HOSTS,
            conductors=2, api_workers=2,
            host_conf={host: SMALL_HOST for host in HOSTS}) as cluster:
        yield cluster


def _settled(state) -> bool:
    return (all(i['task_state'] is None and i['vm_state'] != 'building'
                for i in state['instances'])
            and all(m['status'] in journey.TERMINAL + ('finished',)
                    for m in state['migrations']))


def _wait_settled(cluster, timeout=240) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        state = journey.db_state(cluster)
        if _settled(state):
            return state
        if time.monotonic() > deadline:
            busy = [(i['uuid'], i['vm_state'], i['task_state'])
                    for i in state['instances'] if i['task_state']]
            moving = [(m['uuid'], m['status']) for m in state['migrations']
                      if m['status'] not in journey.TERMINAL + ('finished',)]
            raise AssertionError('not settled after %ss: servers %s, '
                                 'migrations %s' % (timeout, busy, moving))
        time.sleep(0.5)


def _all_at_once(requests_) -> list:
    """Run the callables in as many threads, released together."""
    start = threading.Barrier(len(requests_))

    def run(request):
        start.wait()
        return request()
    with concurrent.futures.ThreadPoolExecutor(len(requests_)) as pool:
        return list(pool.map(run, requests_))


def _migrate_requests(cluster, servers) -> list:
    modes = itertools.cycle(['targeted', 'forced', 'untargeted'])
    hosts = itertools.cycle(HOT)
    made = []
    for index in range(MIGRATIONS):
        server_id, mode, host = servers[index % len(servers)], next(modes), next(hosts)
        if mode == 'untargeted':
            made.append(('migrate ' + mode, lambda s=server_id: journey.migrate(
                cluster, s)))
        else:
            made.append(('migrate ' + mode, lambda s=server_id, h=host,
                         f=(mode == 'forced'): journey.migrate(
                             cluster, s, host=h, force=f or None)))
    return made


def test_concurrent_boots_and_migrations_never_overcommit(race_cluster):
    cluster = race_cluster
    flavor = journey.ensure_flavor(cluster, ram=512, vcpus=1, disk=1)
    servers = [journey.boot(cluster, 'seed-%d' % i, flavor, wait=None)
               for i in range(SERVERS)]
    for server_id in servers:
        journey.wait_status(cluster, server_id, 'ACTIVE')

    aggregate = cluster.post('/os-aggregates', {'aggregate': {
        'name': 'boot-zone', 'availability_zone': BOOT_ZONE}}).json()['aggregate']
    for host in BOOT_HOSTS:
        resp = cluster.post('/os-aggregates/%s/action' % aggregate['id'],
                            {'add_host': {'host': host}})
        assert resp.status_code == 200, resp.text

    work = [('boot', lambda i=i: cluster.post('/servers', {'server': {
        'name': 'race-%d' % i, 'flavorRef': flavor,
        'availability_zone': BOOT_ZONE}})) for i in range(BOOTS)]
    work += _migrate_requests(cluster, servers)
    began = time.monotonic()
    responses = _all_at_once([request for _kind, request in work])
    answered = time.monotonic() - began
    state = _wait_settled(cluster)
    settled = time.monotonic() - began

    codes = collections.Counter((kind, resp.status_code)
                                for (kind, _), resp in zip(work, responses))
    print('\n%d requests answered in %.1fs, settled in %.1fs: %s' % (
        len(work), answered, settled, dict(sorted(codes.items()))))
    unexpected = [(kind, resp.status_code, resp.text[:300])
                  for (kind, _), resp in zip(work, responses)
                  if resp.status_code not in ((202,) if kind == 'boot'
                                              else (202, 400, 409))]
    assert unexpected == []
    assert journey.check_invariants(cluster) == []

    # The hosts really ran out: boots beyond the free places found no host,
    # and migrations both succeeded and were refused.
    vm_states = collections.Counter(i['vm_state'] for i in state['instances'])
    assert vm_states['error'] >= SERVERS + BOOTS - PLACES
    assert any(code == 202 for (kind, code) in codes if kind != 'boot')
    assert any(code in (400, 409) for (kind, code) in codes if kind != 'boot')

    # Confirm or revert every move that waits, all at once, and check again.
    waiting = [i['uuid'] for i in state['instances'] if i['vm_state'] == 'resized']
    ends = [lambda s=s, n=n: journey.action(
        cluster, s, {'confirmResize' if n % 2 else 'revertResize': None})
        for n, s in enumerate(waiting)]
    if ends:
        assert {r.status_code for r in _all_at_once(ends)} <= {202, 204}
    state = _wait_settled(cluster)
    assert journey.check_invariants(cluster) == []
    assert not [i for i in state['instances'] if i['vm_state'] == 'resized']
