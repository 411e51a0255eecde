"""No conductor running: migrate answers 503, and the server is not stranded.

With every conductor stopped, the API's call times out ([api]
migrate_call_timeout) and the request is lost with the message. Once a
conductor runs again its periodic task releases the server, which can
then be migrated as usual.
"""

import time

import pytest

from tests import fixtures
from tests.integration import conftest, journey

pytestmark = [pytest.mark.integration, pytest.mark.timeout(180)]


def test_migrate_while_no_conductor_runs(tmp_path):
    with fixtures.postgres_database() as url, conftest.running_cluster(
            tmp_path, url, hosts=('o1', 'o2'), conductors=1, api_workers=1,
            conf={'api': {'migrate_call_timeout': 2},
                  'conductor': {'periodic_interval': 1}}) as cluster:
        server_id = journey.boot(cluster, 'outage', journey.ensure_flavor(cluster))
        cluster.kill('conductor1')

        resp = journey.migrate(cluster, server_id)
        assert resp.status_code == 503, resp.text
        assert journey.show(cluster, server_id)['OS-EXT-STS:task_state'] == 'resize_prep'

        cluster.restart('conductor1')
        deadline = time.monotonic() + 60
        while journey.show(cluster, server_id)['OS-EXT-STS:task_state'] is not None:
            assert time.monotonic() < deadline, 'server still in resize_prep'
            time.sleep(0.5)
        assert journey.show(cluster, server_id)['status'] == 'ACTIVE'
        assert journey.migrations_of(cluster, server_id) == []

        resp = journey.migrate(cluster, server_id)
        assert resp.status_code == 202, resp.text
        journey.wait_status(cluster, server_id, 'VERIFY_RESIZE')
        assert journey.check_invariants(cluster) == []
