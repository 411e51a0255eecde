"""GET /servers/{id}/migrations[/{id}] (2.23): a server's cold moves in
progress, with the disk copy's bytes; hosts for administrators only."""

import time

import pytest

from tests.fixtures import headers

OWNER, MANAGER = 'alice:proj', 'mia:proj:manager'


@pytest.fixture(scope='module')
def service(module_service):
    return module_service


def _list(service, server, token='admin:admin', version='2.23', status=200):
    resp = service.app.get('/v2.1/servers/%s/migrations' % server,
                           headers=headers(token, version), status=status)
    return resp.json


def test_a_move_in_progress_is_listed_then_gone(service):
    server = service.boot(token=OWNER)
    service.conf.set_override('disk_copy_rate_mb', 256.0, group='compute')  # ~4 s
    try:
        service.action(server, {'migrate': None}, status=202)
        deadline = time.monotonic() + 10
        while not _list(service, server)['migrations']:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        (move,) = _list(service, server)['migrations']
        assert move['server_uuid'] == server and move['source_compute']
        assert move['disk_total_bytes'] == 1024 ** 3
        assert move['disk_processed_bytes'] + move['disk_remaining_bytes'] == 1024 ** 3
        assert move['memory_total_bytes'] is None
        shown = service.app.get('/v2.1/servers/%s/migrations/%s' % (server, move['id']),
                                headers=headers(version='2.56')).json['migration']
        assert shown['id'] == move['id']
        (hidden,) = _list(service, server, token=MANAGER)['migrations']
        assert hidden['source_compute'] is None and hidden['dest_host'] is None
        _list(service, server, token=OWNER, status=403)
    finally:
        service.conf.clear_override('disk_copy_rate_mb', group='compute')
    service.wait_status(server, 'VERIFY_RESIZE')
    assert _list(service, server)['migrations'] == []
    resp = service.app.get('/v2.1/servers/%s/migrations/%s' % (server, move['id']),
                           headers=headers(version='2.56'), status=404)
    assert resp.json['itemNotFound']['message'] == (
        'In-progress migration %s is not found for server %s.' % (move['id'], server))


def test_not_served_before_2_23(service):
    server = service.boot()
    resp = _list(service, server, version='2.22', status=404)
    assert '2.23' in resp['itemNotFound']['message']
