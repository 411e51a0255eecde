"""RabbitMQ restarted while a batch of migrations runs.

Ten servers are migrating between r1, r2 and r3 when the broker's
application is stopped and started again: its queues and the messages in
them are gone. r3 is frozen (SIGSTOP) from before the batch until after the
restart, so every step sent to it is still queued when the broker stops
and is lost for certain; the moves between r1 and r2 are copying their
disks (about 10 s each) and send their next step after the restart.
The services reconnect; a move whose step was lost is failed by the
conductor's periodic task, every other one finishes (or, if one of its
steps was in flight at the restart after all, is failed too) and is
confirmed. Afterwards every migration is terminal, ``migrator-manage
audit`` finds nothing, and a new boot and new moves through every compute
succeed.

The broker is shared with every other test run on the machine: the
restart happens once, is kept short, and the broker is always started
again, whatever happened.
"""

import contextlib
import shutil
import socket
import subprocess
import time

import pytest

from tests import fixtures
from tests.integration import conftest, journey

pytestmark = [pytest.mark.integration, pytest.mark.timeout(600)]

BATCH = 10
MIGRATION_TIMEOUT = 10
# 10 GB at 1024 MB/s: each copy takes about 10 s, reporting progress as it goes.
FLAVOR = {'flavorid': 'rabbit', 'name': 'm1.rabbit', 'ram': 256, 'vcpus': 1,
          'disk': 10}


def _rabbitmqctl(*args, timeout=120) -> subprocess.CompletedProcess:
    return subprocess.run(['rabbitmqctl'] + list(args), capture_output=True,
                          text=True, timeout=timeout)


def _broker_answers() -> bool:
    with contextlib.suppress(OSError), socket.create_connection(
            ('127.0.0.1', 5672), 2):
        return True
    return False


@contextlib.contextmanager
def _broker_restarted():
    """stop_app then start_app; started again on the way out, always."""
    try:
        stopped = _rabbitmqctl('stop_app')
        assert stopped.returncode == 0, stopped.stdout + stopped.stderr
        started = _rabbitmqctl('start_app')
        assert started.returncode == 0, started.stdout + started.stderr
        yield
    finally:
        _rabbitmqctl('start_app')
        deadline = time.monotonic() + 120
        while not _broker_answers() and time.monotonic() < deadline:
            time.sleep(0.5)


@pytest.fixture
def rabbitmqctl():
    if shutil.which('rabbitmqctl') is None:
        fixtures.unavailable('rabbitmqctl', 'not on PATH')
    status = _rabbitmqctl('status', timeout=60)
    if status.returncode:
        fixtures.unavailable('rabbitmqctl', status.stderr.strip()[-300:])


def _targets(cluster, servers) -> dict:
    """Each server's destination: every pair of hosts, both ways."""
    targets = {}
    for index, server_id in enumerate(servers):
        source = journey.host_of(cluster, server_id)
        others = [h for h in cluster.hosts if h != source]
        targets[server_id] = (source, others[index % 2])
    return targets


def _wait_phase(cluster, server_id, phase, timeout=60):
    deadline = time.monotonic() + timeout
    while phase not in journey.records_of(cluster, server_id)[0]['phase_times']:
        assert time.monotonic() < deadline, '%s never reached %s' % (
            server_id, phase)
        time.sleep(0.1)


def test_broker_restart_during_a_batch_of_migrations(tmp_path, rabbitmqctl):
    with fixtures.postgres_database() as url, conftest.running_cluster(
            tmp_path, url, hosts=('r1', 'r2', 'r3'),
            # r3, frozen, must still count as up when the batch is sent.
            conf={'DEFAULT': {'service_down_time': 60},
                  'conductor': {'migration_timeout': MIGRATION_TIMEOUT,
                                'periodic_interval': 1},
                  'compute': {'disk_copy_rate_mb': 1024}}) as cluster:
        journey.ensure_flavor(cluster, **FLAVOR)
        # One at a time, so that each boot sees the claims before it and the
        # servers spread over the three hosts (boots sent at once may all
        # be scheduled before any claim commits, and land on one host).
        servers = [journey.boot(cluster, 'batch-%d' % i, FLAVOR['flavorid'])
                   for i in range(BATCH)]
        targets = _targets(cluster, servers)
        via_r3 = {s for s, move in targets.items() if 'r3' in move}
        assert via_r3 and len(via_r3) < BATCH, targets

        cluster.freeze('r3')
        try:
            for server_id, (_source, dest) in targets.items():
                resp = journey.migrate(cluster, server_id, host=dest)
                assert resp.status_code == 202, resp.text
            for server_id in set(servers) - via_r3:
                journey.wait_migration(cluster, server_id, ['migrating'])
            # Moves from r3: the destination prepared and told r3 to copy.
            for server_id in via_r3:
                if targets[server_id][0] == 'r3':
                    _wait_phase(cluster, server_id, 'prep_resize')
            with _broker_restarted():
                pass
        finally:
            cluster.thaw('r3')

        # Each move ends: finished, or given up by the periodic task.
        outcome = {}
        for server_id in servers:
            migration = journey.wait_migration(
                cluster, server_id, ('finished', 'error'),
                timeout=MIGRATION_TIMEOUT + 120)
            outcome[server_id] = migration['status']
        # Their steps for r3 were lost with the broker's queues.
        assert {outcome[s] for s in via_r3} == {'error'}, outcome
        # The computes take messages again: confirming works.
        for server_id, status in outcome.items():
            if status == 'finished':
                resp = journey.action(cluster, server_id, {'confirmResize': None})
                assert resp.status_code == 204, resp.text
        for server_id, status in outcome.items():
            source, dest = targets[server_id]
            server = journey.wait_status(cluster, server_id, 'ACTIVE',
                                         timeout=MIGRATION_TIMEOUT + 120)
            final = journey.migrations_of(cluster, server_id)[0]['status']
            assert final == ('confirmed' if status == 'finished' else 'error')
            assert server['OS-EXT-SRV-ATTR:host'] == (
                dest if status == 'finished' else source)
        print('\nafter the broker restart: %d of %d moves finished, %d given up'
              % (list(outcome.values()).count('finished'), BATCH,
                 list(outcome.values()).count('error')))

        journey.assert_all_settled(cluster)

        # The services reconnected: a new boot, then two moves that make
        # every compute a source or a destination.
        server_id = journey.boot(cluster, 'after', FLAVOR['flavorid'])
        first = journey.host_of(cluster, server_id)
        for dest in [h for h in cluster.hosts if h != first]:
            resp = journey.migrate(cluster, server_id, host=dest)
            assert resp.status_code == 202, resp.text
            journey.wait_status(cluster, server_id, 'VERIFY_RESIZE')
            resp = journey.action(cluster, server_id, {'confirmResize': None})
            assert resp.status_code == 204, resp.text
            server = journey.wait_status(cluster, server_id, 'ACTIVE')
            assert server['OS-EXT-SRV-ATTR:host'] == dest
        journey.run_audit(cluster)
