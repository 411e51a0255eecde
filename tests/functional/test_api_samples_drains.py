"""The drain samples of migrator's API reference, replayed: preview, start,
watch to the end, list, and cancel with the moves aborted."""

import time

from tests.functional import api_samples
from tests.functional import migrate_helpers as ops
from tests.functional.test_drains import ADMIN, service, wait_ended  # noqa: F401 (fixture)

D = 'migrator/'


def test_drain_samples(service):  # noqa: F811
    servers = [ops.boot_on(service, 'compute1', name='web%d' % i) for i in range(2)]
    plan = service.app.post_json('/migrator/drains', api_samples.load(
        D + 'drain-plan-req.json'), headers=ADMIN, status=200).json
    api_samples.check(D + 'drain-plan-resp.json', plan)
    assert {p['destination'] for p in plan['drain_plan']['servers']} == {'compute2'}

    started = service.app.post_json('/migrator/drains', api_samples.load(
        D + 'drain-create-req.json'), headers=ADMIN, status=202)
    api_samples.check(D + 'drain-create-resp.json', started.json)
    uuid = started.json['drain']['uuid']
    assert started.location.endswith('/migrator/drains/%s' % uuid)
    ended = wait_ended(service, uuid)
    assert ended['status'] == 'complete'
    api_samples.check(D + 'drain-show-resp.json', service.app.get(
        '/migrator/drains/%s' % uuid, headers=ADMIN).json)
    api_samples.check(D + 'drains-list-resp.json', service.app.get(
        '/migrator/drains', params={'host': 'compute1'}, headers=ADMIN).json)
    assert {service.host_of(s) for s in servers} <= {'compute2', 'compute3'}

    ops.update_service(service, 'compute1', status='enabled')
    for server in servers:  # back, for a drain to cancel
        service.action(server, {'migrate': {'host': 'compute1'}}, status=202)
        service.wait_status(server, 'VERIFY_RESIZE')
        service.action(server, {'confirmResize': None}, status=204)
        service.wait_status(server, 'ACTIVE')
    service.conf.set_override('disk_copy_rate_mb', 64.0, group='compute')  # ~16 s
    try:
        uuid = service.app.post_json('/migrator/drains', {'drain': {
            'host': 'compute1', 'hosts': ['compute2']}}, headers=ADMIN,
            status=202).json['drain']['uuid']
        deadline = time.monotonic() + 10
        while [s['phase'] for s in service.app.get(
                '/migrator/drains/%s' % uuid, headers=ADMIN).json['drain'][
                'servers']] != ['migrating', 'migrating']:
            assert time.monotonic() < deadline
            time.sleep(0.02)
        cancelled = service.app.delete('/migrator/drains/%s?abort_moves=true' % uuid,
                                       headers=ADMIN, status=202).json
        api_samples.check(D + 'drain-cancel-resp.json', cancelled)
        ended = wait_ended(service, uuid)
    finally:
        service.conf.clear_override('disk_copy_rate_mb', group='compute')
    api_samples.check(D + 'drain-cancelled-resp.json', {'drain': ended})
    assert [s['status'] for s in ended['servers']] == ['skipped', 'skipped']
