"""``[conductor] workers``: one migrator-conductor, several processes."""

import os
import signal
import time

import pytest

from tests import fixtures
from tests.integration import conftest, journey

pytestmark = [pytest.mark.integration, pytest.mark.timeout(180)]


def _children(pid: int) -> set[int]:
    found = set()
    for entry in os.listdir('/proc'):
        if not entry.isdigit():
            continue
        try:
            with open('/proc/%s/stat' % entry) as stat:
                fields = stat.read().rsplit(')', 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != 'Z':
            found.add(int(entry))
    return found


def _alive(pid: int) -> bool:
    try:
        with open('/proc/%d/stat' % pid) as stat:
            return stat.read().rsplit(')', 1)[1].split()[0] != 'Z'
    except OSError:
        return False


def test_conductor_workers_serve_and_stop_together(tmp_path):
    with fixtures.postgres_database() as url, conftest.running_cluster(
            tmp_path, url, hosts=('w1', 'w2'), conductors=1, api_workers=1,
            conf={'conductor': {'workers': 2}}) as cluster:
        parent = cluster.processes['conductor1'].popen.pid
        workers = _children(parent)
        assert len(workers) == 2
        states = journey.service_states(cluster)
        assert states[('migrator-conductor', 'conductor1')] == 'up'

        flavor = journey.ensure_flavor(cluster)
        servers = [journey.boot(cluster, 'w-%d' % i, flavor, wait=None)
                   for i in range(4)]
        for server_id in servers:
            journey.wait_status(cluster, server_id, 'ACTIVE')
        resp = journey.migrate(cluster, servers[0])
        assert resp.status_code == 202, resp.text
        journey.wait_status(cluster, servers[0], 'VERIFY_RESIZE')

        # SIGTERM to the parent alone stops every worker, then the parent.
        os.kill(parent, signal.SIGTERM)
        deadline = time.monotonic() + 30
        while any(_alive(pid) for pid in workers | {parent}):
            assert time.monotonic() < deadline, 'conductor workers still running'
            time.sleep(0.2)
            cluster.processes['conductor1'].popen.poll()
        assert cluster.processes['conductor1'].popen.returncode == 0
