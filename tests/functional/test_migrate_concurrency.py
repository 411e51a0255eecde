"""Many operators forcing servers onto one host at once: the host fills up
exactly, the rest are told why, and nothing is overcommitted."""

import concurrent.futures
import threading

import pytest
import requests

from migrator.cmd import wsgi_server
from tests import fixtures
from tests.functional import migrate_helpers as ops
from tests.invariants import assert_consistent

TARGET = 'compute2'
MOVES = 50
ROOM = 10  # m1.tiny servers the target has room for


@pytest.mark.parametrize('force', [True, False], ids=['forced', 'targeted'])
def test_concurrent_migrations_never_overcommit(tmp_path, db_url, force):
    svc = fixtures.Service(tmp_path, connection=db_url)
    server = wsgi_server.WSGIServer(svc.dep.wsgi_app(), '127.0.0.1', 0)
    server.start()
    try:
        capacity = ops.usage(svc, TARGET)['MEMORY_MB']['capacity']
        filler = ops.create_flavor(svc, 'filler', ram=capacity - ROOM * 512)
        ops.boot_on(svc, TARGET, flavor=filler)
        ops.update_service(svc, TARGET, status='disabled', disabled_reason='setup')
        servers = [svc.boot(name='vm%d' % i, wait=None) for i in range(MOVES)]
        for server_id in servers:
            svc.wait_status(server_id, 'ACTIVE', timeout=30)
        ops.update_service(svc, TARGET, status='enabled')

        url = 'http://127.0.0.1:%d/v2.1/servers/%%s/action' % server.port
        start = threading.Barrier(MOVES)

        def migrate(server_id):
            with requests.Session() as http:
                start.wait()
                resp = http.post(url % server_id,
                                 json={'migrate': {'host': TARGET, 'force': force}},
                                 headers=fixtures.headers(version='2.56'), timeout=60)
                return server_id, resp.status_code, resp.text

        with concurrent.futures.ThreadPoolExecutor(MOVES) as pool:
            results = list(pool.map(migrate, servers))
        accepted = [sid for sid, code, _ in results if code == 202]
        refused = [(code, text) for _, code, text in results if code != 202]
        assert len(accepted) == ROOM, refused[:3]
        assert len(refused) == MOVES - ROOM
        for code, text in refused:
            # 400: the filters (or, forced, the claim) found the host full;
            # 409: the scheduler passed it but a concurrent claim won.
            assert code in (400, 409), text
            assert 'MEMORY_MB needs 512' in text, text
            if code == 409:
                assert 'lost to a concurrent request' in text, text
        for server_id in accepted:
            moved = svc.wait_status(server_id, 'VERIFY_RESIZE', timeout=30)
            assert moved['OS-EXT-SRV-ATTR:host'] == TARGET
        assert ops.usage(svc, TARGET)['MEMORY_MB']['used'] == capacity
        for server_id in set(servers) - set(accepted):
            assert svc.show(server_id)['status'] == 'ACTIVE'
        assert_consistent(svc.db)
    finally:
        server.stop()
        svc.stop()
