"""Fixtures of the integration tests: clusters of real processes, and a
real Keystone with migrator-all behind it.

Each cluster gets a fresh database and its own RabbitMQ exchange (which also
names its queues). When PostgreSQL, MariaDB or RabbitMQ cannot be reached
the tests skip with the reason, or fail under MIGRATOR_REQUIRE_SERVICES=1.
Processes are always stopped, whatever happened; when a test fails, the
tails of the service logs are printed with its report.
"""

import contextlib

import pytest

from tests import fixtures
from tests.integration import allinone
from tests.integration import cluster as cluster_mod
from tests.integration import keystone as keystone_mod

# Compute inventory of the shared clusters: c3 is the largest, so the
# spreading weighers prefer it whenever it is a candidate.
SMALL = {'compute': {'vcpus': 8, 'memory_mb': 8192, 'local_gb': 100}}
LARGE = {'compute': {'vcpus': 16, 'memory_mb': 32768, 'local_gb': 400}}


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, 'report_' + report.when, report)


@contextlib.contextmanager
def running_cluster(tmp_dir, db_url, **kwargs):
    """A started ``Cluster``; stopped on the way out, even on failure."""
    cluster = cluster_mod.Cluster(tmp_dir, db_url, fixtures.rabbit_url(),
                                  **kwargs)
    try:
        cluster.start()
        yield cluster
    except BaseException:
        # The autouse fixture below prints the logs of live clusters only;
        # a test that runs its own cluster has stopped it by then.
        print('\n===== service logs of %s (%s) =====\n%s' % (
            cluster.exchange, cluster.workdir, cluster.tails()))
        raise
    finally:
        cluster.stop()


@pytest.fixture(scope='module')
def pg_cluster(tmp_path_factory):
    """PostgreSQL + RabbitMQ: API (2 workers), 2 conductors, a scheduler and
    computes c1, c2, c3."""
    with fixtures.postgres_database() as url, running_cluster(
            tmp_path_factory.mktemp('pg-cluster'), url,
            host_conf={'c1': SMALL, 'c2': SMALL, 'c3': LARGE}) as cluster:
        yield cluster


@pytest.fixture(scope='module')
def mysql_cluster(tmp_path_factory):
    """MariaDB + RabbitMQ: API (2 workers), 2 conductors, a scheduler and
    computes m1, m2."""
    with fixtures.mysql_database() as url, running_cluster(
            tmp_path_factory.mktemp('mysql-cluster'), url,
            hosts=('m1', 'm2')) as cluster:
        yield cluster


@pytest.fixture(scope='module')
def keystone_cloud(tmp_path_factory):
    """Keystone (personas, catalog) and migrator-all behind it with
    auth_strategy = keystone, computes kc1 and kc2: a ``keystone.Cloud``."""
    with keystone_mod.running_cloud(tmp_path_factory.mktemp('keystone-cloud')) as cloud:
        yield cloud


@pytest.fixture(autouse=True)
def _service_logs_on_failure(request):
    """After a failed test, print the tails of every running service's log."""
    yield
    report = getattr(request.node, 'report_call', None)
    if report is None or not report.failed:
        return
    with cluster_mod._live_lock:
        clusters = list(cluster_mod._live)
    for cluster in clusters:
        print('\n===== service logs of %s (%s) =====\n%s' % (
            cluster.exchange, cluster.workdir, cluster.tails()))
    for tails in (keystone_mod.live_tails(), allinone.live_tails()):
        if tails:
            print('\n===== service logs =====\n%s' % tails)
