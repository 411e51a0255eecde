"""Drains that survive their faults, on real processes over RabbitMQ and
PostgreSQL: two conductors, a scheduler and four computes.

* the conductor that owns a drain is killed (SIGKILL) while its moves are
  in flight, and again after a move has ended: the other conductor takes
  the drain over when the lease runs out and finishes it;
* the conductor making a drain's claim is killed inside the claim's
  transaction (paused there by a trigger in the database): nothing of the
  claim remains, and the drain starts that server's move again;
* RabbitMQ is restarted mid-drain: the drain finishes once the broker is
  back (moves whose steps were lost are given up and retried);
* the destination of a move dies during the disk copy: the move is given
  up by the conductor's stuck-move clean-up and the server is moved
  elsewhere by a later attempt.

After each: the drain ended ``complete``, the host is empty, every server
is ACTIVE elsewhere, it moved once per attempt at most and was confirmed
once, every migration is terminal, ``migrator-manage audit`` finds
nothing and no host is over capacity.
"""

import collections
import time

import pytest
import requests

from tests import fixtures
from tests.integration import conftest, journey
from tests.integration.test_faults_kill import _pause_conductors_at, _paused_process, _unpause
from tests.integration.test_faults_rabbitmq import _broker_restarted, rabbitmqctl  # noqa: F401

pytestmark = [pytest.mark.integration, pytest.mark.timeout(900)]

HOSTS = ('d1', 'd2', 'd3', 'd4')
LEASE = 3
MIGRATION_TIMEOUT = 5
CALL_TIMEOUT = 5
# 4 GB at 2048 MB/s: a copy takes about 2 s.
FLAVOR = {'flavorid': 'drain', 'name': 'm1.drain', 'ram': 256, 'vcpus': 1,
          'disk': 4}
DRAIN_VERSION = 'migrator 1.2'


@pytest.fixture(scope='module')
def cluster(tmp_path_factory):
    with fixtures.postgres_database() as url, conftest.running_cluster(
            tmp_path_factory.mktemp('drain-faults'), url, hosts=HOSTS,
            conductors=2,
            conf={'api': {'migrate_call_timeout': CALL_TIMEOUT},
                  'conductor': {'migration_timeout': MIGRATION_TIMEOUT,
                                'periodic_interval': 1,
                                'drain_lease_seconds': LEASE,
                                'drain_interval': 0.1,
                                'drain_idle_interval': 0.2},
                  'compute': {'disk_copy_rate_mb': 2048},
                  'oslo_messaging_rabbit': {'amqp_auto_delete': 'false'}}
            ) as running:
        journey.ensure_flavor(running, **FLAVOR)
        yield running


def _migrator(cluster, method, path, body=None):
    return requests.request(method, cluster.url('/migrator' + path), json=body,
                            headers={'X-Auth-Token': 'admin:admin',
                                     'OpenStack-API-Version': DRAIN_VERSION},
                            timeout=90)


def _services(cluster) -> dict:
    return {s['host']: s for s in cluster.get('/os-services').json()['services']
            if s['binary'] == 'nova-compute'}


def _set_service(cluster, host, status):
    service = _services(cluster)[host]
    body = {'status': status}
    if status == 'disabled':
        body['disabled_reason'] = 'test placement'
    resp = cluster.put('/os-services/%s' % service['id'], body)
    assert resp.status_code == 200, resp.text


def _boot_on(cluster, host, count) -> list:
    others = [h for h in HOSTS if h != host]
    for other in others:
        _set_service(cluster, other, 'disabled')
    try:
        servers = [journey.boot(cluster, '%s-%d' % (host, i), FLAVOR['flavorid'],
                                wait=None) for i in range(count)]
        for server_id in servers:
            journey.wait_status(cluster, server_id, 'ACTIVE')
    finally:
        for other in others:
            _set_service(cluster, other, 'enabled')
    return servers


def _drain(cluster, host, **options) -> str:
    resp = _migrator(cluster, 'POST', '/drains', {'drain': dict(host=host, **options)})
    assert resp.status_code == 202, resp.text
    return resp.json()['drain']['uuid']


def _show(cluster, uuid) -> dict:
    resp = _migrator(cluster, 'GET', '/drains/%s' % uuid)
    assert resp.status_code == 200, resp.text
    return resp.json()['drain']


def _wait(cluster, uuid, condition, what, timeout=60) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        drain = _show(cluster, uuid)
        if condition(drain):
            return drain
        assert time.monotonic() < deadline, 'drain never %s: %s' % (what, drain)
        time.sleep(0.1)


def _ended(cluster, uuid, timeout=120) -> dict:
    return _wait(cluster, uuid, lambda d: d['status'] in (
        'complete', 'incomplete', 'cancelled'), 'ended', timeout)


def _owner_process(drain) -> str:
    return drain['owner'].split(':')[0]


def _assert_drained(cluster, host, servers, drain):
    assert drain['status'] == 'complete', drain
    for item in drain['servers']:
        assert item['status'] == 'done', item
        assert item['attempts'] >= 1
    for server_id in servers:
        shown = journey.show(cluster, server_id)
        assert shown['status'] == 'ACTIVE' and shown['OS-EXT-STS:task_state'] is None
        assert shown['OS-EXT-SRV-ATTR:host'] != host
    attempts = {i['server_id']: i['attempts'] for i in drain['servers']}
    records = collections.defaultdict(list)
    for server_id in servers:
        records[server_id] = journey.migrations_of(cluster, server_id)
    for server_id, moves in records.items():
        # No server moved twice for one step: one migration per attempt at
        # most, exactly one of them confirmed.
        assert len(moves) <= attempts[server_id], (server_id, moves)
        assert [m['status'] for m in moves].count('confirmed') == 1, moves
    journey.assert_all_settled(cluster)


@pytest.mark.parametrize('moment', ['moves in flight', 'after a move'])
def test_the_owning_conductor_dies(cluster, moment):
    host = 'd1'
    servers = _boot_on(cluster, host, 5)
    uuid = _drain(cluster, host, max_parallel=2, hosts=['d2', 'd3', 'd4'])
    if moment == 'moves in flight':
        drain = _wait(cluster, uuid, lambda d: d['owner'] and d['counts']['moving'] >= 1,
                      'moving')
    else:
        drain = _wait(cluster, uuid, lambda d: d['owner'] and d['counts']['done'] >= 1,
                      'past a move')
    owner = _owner_process(drain)
    cluster.kill(owner)
    try:
        taken = _wait(cluster, uuid, lambda d: d['owner'] is None or
                      _owner_process(d) != owner, 'taken over', timeout=LEASE + 30)
        ended = _ended(cluster, uuid)
        assert taken['owner'] is None or _owner_process(taken) != owner
        _assert_drained(cluster, host, servers, ended)
    finally:
        cluster.restart(owner)
        journey.wait_service_state(cluster, 'migrator-conductor', owner, 'up')
        _set_service(cluster, host, 'enabled')


def test_a_conductor_dies_inside_a_drain_claim(cluster):
    host = 'd4'
    servers = _boot_on(cluster, host, 3)
    _pause_conductors_at(cluster, 'claim-written')
    try:
        uuid = _drain(cluster, host, max_parallel=1, hosts=['d1', 'd2', 'd3'])
        victim = _paused_process(cluster)
        assert victim in cluster.conductor_hosts, victim
        cluster.kill(victim)
    finally:
        _unpause(cluster)
    try:
        ended = _ended(cluster, uuid, timeout=180)
        _assert_drained(cluster, host, servers, ended)
    finally:
        cluster.restart(victim)
        journey.wait_service_state(cluster, 'migrator-conductor', victim, 'up')
        _set_service(cluster, host, 'enabled')


def test_rabbitmq_restarts_mid_drain(cluster, rabbitmqctl):  # noqa: F811
    host = 'd2'
    servers = _boot_on(cluster, host, 4)
    uuid = _drain(cluster, host, max_parallel=2, hosts=['d1', 'd3', 'd4'])
    _wait(cluster, uuid, lambda d: d['counts']['moving'] >= 1, 'moving')
    with _broker_restarted():
        pass
    ended = _ended(cluster, uuid, timeout=240)
    _assert_drained(cluster, host, servers, ended)
    _set_service(cluster, host, 'enabled')


def test_a_destination_dies_during_the_copy(cluster):
    host = 'd3'
    servers = _boot_on(cluster, host, 2)
    uuid = _drain(cluster, host, max_parallel=1, hosts=['d1', 'd4'])
    drain = _wait(cluster, uuid, lambda d: any(
        i['phase'] == 'migrating' for i in d['servers']), 'copying')
    (moving,) = [i for i in drain['servers'] if i['phase'] == 'migrating']
    victim = moving['destination']
    cluster.kill(victim)
    try:
        ended = _ended(cluster, uuid, timeout=180)
        _assert_drained(cluster, host, servers, ended)
        retried = {i['server_id']: i for i in ended['servers']}[moving['server_id']]
        assert retried['attempts'] >= 2 and victim in retried['tried_hosts'], retried
        assert retried['destination'] != victim
        statuses = [m['status'] for m in journey.migrations_of(
            cluster, moving['server_id'])]
        assert 'error' in statuses, statuses
    finally:
        cluster.restart(victim)
        journey.wait_service_state(cluster, 'migrator-compute', victim, 'up')
        _set_service(cluster, host, 'enabled')
