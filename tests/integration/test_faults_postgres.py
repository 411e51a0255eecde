"""PostgreSQL connections lost while migrations run.

Six servers are migrating (disk copies of about 10 s, each reporting
progress to the database as it goes) while every database session of the
cluster's processes is terminated, again and again, for several seconds.
Writes are retried whole on a new connection, so nothing is half-written,
and so are reads: an operator listing servers, migrations and services all
along never gets an error. Afterwards every move has finished (and is
confirmed) or been failed by the periodic task, every migration is
terminal, ``migrator-manage audit`` finds nothing, and a new move succeeds.
"""

import threading
import time

import pytest
import sqlalchemy as sa

from tests import fixtures
from tests.integration import conftest, journey

pytestmark = [pytest.mark.integration, pytest.mark.timeout(600)]

BATCH = 6
MIGRATION_TIMEOUT = 10
OUTAGE_SECONDS = 8
FLAVOR = {'flavorid': 'pg', 'name': 'm1.pg', 'ram': 256, 'vcpus': 1,
          'disk': 10}


def _terminate_sessions(cluster, stop: threading.Event, terminated: list):
    """Terminate the sessions of the cluster's processes every 0.3 s."""
    names = list(cluster.processes)
    while not stop.wait(0.3):
        try:
            with cluster.engine.connect() as conn:
                killed = conn.scalar(sa.text(
                    'SELECT count(pg_terminate_backend(pid)) '
                    'FROM pg_stat_activity WHERE datname = current_database() '
                    'AND pid <> pg_backend_pid() '
                    'AND application_name = ANY(:names)'), {'names': names})
                conn.commit()
            terminated.append(killed)
        except sa.exc.DBAPIError as error:  # keep going; reported at the end
            terminated.append(error)


def _read_api(cluster, stop: threading.Event, answers: list):
    """An operator watching: list servers and migrations all along."""
    while not stop.is_set():
        for path in ('/servers/detail', '/os-migrations', '/os-services'):
            answers.append(cluster.get(path).status_code)


def test_database_sessions_terminated_during_migrations(tmp_path):
    with fixtures.postgres_database() as url, conftest.running_cluster(
            tmp_path, url, hosts=('p1', 'p2', 'p3'),
            conf={'conductor': {'migration_timeout': MIGRATION_TIMEOUT,
                                'periodic_interval': 1},
                  'compute': {'disk_copy_rate_mb': 1024}}) as cluster:
        journey.ensure_flavor(cluster, **FLAVOR)
        servers = [journey.boot(cluster, 'pg-%d' % i, FLAVOR['flavorid'],
                                wait=None) for i in range(BATCH)]
        for server_id in servers:
            journey.wait_status(cluster, server_id, 'ACTIVE')
        for server_id in servers:
            resp = journey.migrate(cluster, server_id)
            assert resp.status_code == 202, resp.text
        for server_id in servers:
            journey.wait_migration(cluster, server_id, ['migrating'])

        stop, terminated, answers = threading.Event(), [], []
        threads = [threading.Thread(target=_terminate_sessions,
                                    args=(cluster, stop, terminated)),
                   threading.Thread(target=_read_api,
                                    args=(cluster, stop, answers))]
        for thread in threads:
            thread.start()
        try:
            time.sleep(OUTAGE_SECONDS)
        finally:
            stop.set()
            for thread in threads:
                thread.join(60)
        # Reads are retried on a new connection too: never a 500.
        assert answers and set(answers) == {200}, sorted(
            (code, answers.count(code)) for code in set(answers))
        killed = [n for n in terminated if isinstance(n, int)]
        assert sum(killed) > 0, terminated

        outcome = {}
        for server_id in servers:
            migration = journey.wait_migration(
                cluster, server_id, ('finished', 'error'),
                timeout=MIGRATION_TIMEOUT + 120)
            outcome[server_id] = migration['status']
        for server_id, status in outcome.items():
            if status == 'finished':
                resp = journey.action(cluster, server_id, {'confirmResize': None})
                assert resp.status_code == 204, resp.text
        for server_id in servers:
            journey.wait_status(cluster, server_id, 'ACTIVE')
        retried = sum(p.log_text().count('Retrying ')
                      for p in cluster.processes.values())
        print('\n%d sessions terminated; %d transactions retried; %d API '
              'reads answered; %d of %d moves '
              'finished, %d given up' % (
                  sum(killed), retried, len(answers),
                  list(outcome.values()).count('finished'), BATCH,
                  list(outcome.values()).count('error')))

        journey.assert_all_settled(cluster)

        resp = journey.migrate(cluster, servers[0])
        assert resp.status_code == 202, resp.text
        journey.wait_status(cluster, servers[0], 'VERIFY_RESIZE')
        journey.run_audit(cluster)
