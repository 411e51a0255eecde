"""Aborts racing the moves they abort, on SQLite and PostgreSQL: every
abort either wins (the server stays where it was, its move cancelled) or is
refused because the copy ended first (the move finishes); never both, and
no claim is lost or left behind."""

import concurrent.futures
import threading
import time

import requests

from migrator.cmd import wsgi_server
from tests import fixtures
from tests.invariants import assert_consistent

SERVERS = 12
COPY_RATE_MB = 4096.0  # a 1 GB disk copies in ~0.25 s
LATEST_ABORT = 0.8  # s after the move was accepted


def test_aborts_race_the_copy(tmp_path, db_url):
    svc = fixtures.Service(tmp_path, connection=db_url)
    server = wsgi_server.WSGIServer(svc.dep.wsgi_app(), '127.0.0.1', 0)
    server.start()
    try:
        servers = [svc.boot(name='vm%d' % i, wait=None) for i in range(SERVERS)]
        sources = {}
        for server_id in servers:
            sources[server_id] = svc.wait_status(server_id, 'ACTIVE', timeout=30)[
                'OS-EXT-SRV-ATTR:host']
        svc.conf.set_override('disk_copy_rate_mb', COPY_RATE_MB, group='compute')
        base = 'http://127.0.0.1:%d/v2.1/servers/%%s' % server.port
        start = threading.Barrier(SERVERS)

        def move_then_abort(index, server_id):
            delay = LATEST_ABORT * index / (SERVERS - 1)
            with requests.Session() as http:
                start.wait()
                resp = http.post(base % server_id + '/action', json={'migrate': None},
                                 headers=fixtures.headers(version='2.56'), timeout=60)
                assert resp.status_code == 202, resp.text
                time.sleep(delay)
                moves = http.get(base % server_id + '/migrations',
                                 headers=fixtures.headers(version='2.24'), timeout=60)
                found = moves.json()['migrations']
                if not found:
                    return server_id, None, 'no move in progress'
                resp = http.delete(base % server_id + '/migrations/%s' % found[0]['id'],
                                   headers=fixtures.headers(version='2.24'), timeout=60)
                return server_id, resp.status_code, resp.text

        with concurrent.futures.ThreadPoolExecutor(SERVERS) as pool:
            results = list(pool.map(move_then_abort, range(SERVERS), servers))

        aborted = 0
        for server_id, code, text in results:
            (migration,) = svc.migrations_of(server_id)
            if code == 202:
                aborted += 1
                shown = svc.wait_status(server_id, 'ACTIVE', timeout=30)
                assert shown['OS-EXT-SRV-ATTR:host'] == sources[server_id]
                assert migration['status'] == 'cancelled'
            else:
                # The copy ended first: refused (409, the task moved on; 400,
                # the move's status) or already past by the time it was read.
                assert code in (None, 400, 409), text
                shown = svc.wait_status(server_id, 'VERIFY_RESIZE', timeout=30)
                assert shown['OS-EXT-SRV-ATTR:host'] != sources[server_id]
                assert svc.migrations_of(server_id)[0]['status'] == 'finished'
        # The first abort is sent at once, while the move is still preparing.
        assert aborted >= 1, results
        # Steps of an aborted move that were under way have stopped by now.
        time.sleep(0.5)
        assert_consistent(svc.db)
        for server_id, code, _ in results:
            status = svc.show(server_id)['status']
            assert status == ('ACTIVE' if code == 202 else 'VERIFY_RESIZE')
    finally:
        server.stop()
        svc.stop()
