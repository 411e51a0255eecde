"""The migrate samples of the API reference, replayed."""

from tests.fixtures import headers
from tests.functional import api_samples
from tests.functional import migrate_helpers as ops

D = 'os-migrate-server/'


def _post(service, server, sample, status, version='2.56'):
    return service.app.post_json('/v2.1/servers/%s/action' % server,
                                 api_samples.load(D + sample),
                                 headers=headers(version=version), status=status)


def test_migrate_samples(service):
    server = ops.boot_on(service, 'compute1')
    ops.update_service(service, 'compute3', status='disabled',
                       disabled_reason='maintenance')
    accepted = _post(service, server, 'v2.56-migrate-server-host-req.json', 202)
    assert accepted.body == b''
    service.wait_status(server, 'VERIFY_RESIZE')
    _post(service, server, 'revert-resize-req.json', 202)
    service.wait_status(server, 'ACTIVE')

    body = api_samples.load(D + 'v2.56-migrate-server-host-req.json')
    body['migrate']['host'] = 'compute3'
    resp = service.app.post_json('/v2.1/servers/%s/action' % server, body,
                                 headers=headers(version='2.56'), status=400)
    api_samples.check(D + 'v2.56-migrate-server-refused-resp.json', resp.json)

    body['migrate']['force'] = True
    service.app.post_json('/v2.1/servers/%s/action' % server, body,
                          headers=headers(version='2.56'), status=202)
    service.wait_status(server, 'VERIFY_RESIZE')
    _post(service, server, 'confirm-resize-req.json', 204)
    service.wait_status(server, 'ACTIVE')

    resp = service.app.post_json('/v2.1/servers/%s/action' % server,
                                 {'migrate': {'force': True}},
                                 headers=headers(version='2.56'), status=400)
    api_samples.check(D + 'v2.56-migrate-server-force-no-host-resp.json', resp.json)
    _post(service, server, 'migrate-server-null-req.json', 202, version='2.1')
    service.wait_status(server, 'VERIFY_RESIZE')

    migrations = service.app.get(
        '/v2.1/os-migrations', params={'instance_uuid': server},
        headers=headers(version='2.56')).json
    api_samples.check('os-migrations/v2.56-migrations-list-resp.json', migrations)
    actions = service.app.get('/v2.1/servers/%s/os-instance-actions' % server,
                              headers=headers(version='2.56')).json
    api_samples.check('os-instance-actions/v2.56-instance-actions-list-resp.json',
                      actions)
    # Newest first: migrate (2.1), confirmResize, migrate (forced), ...
    forced = actions['instanceActions'][2]
    action = service.app.get(
        '/v2.1/servers/%s/os-instance-actions/%s' % (server, forced['request_id']),
        headers=headers(version='2.56')).json
    api_samples.check('os-instance-actions/v2.56-instance-action-forced-migrate-resp.json',
                      action)
    # What Nova has no field for: each event's host and details.
    action = service.app.get(
        '/migrator/servers/%s/actions/%s' % (server, forced['request_id']),
        headers=headers()).json
    api_samples.check('migrator/server-action-forced-migrate-resp.json', action)
    details = action['action']['events'][0]['details']
    assert details['forced_past'] == [
        'ComputeFilter: compute service is disabled (maintenance)']
    records = service.app.get('/migrator/migrations', params={'server_id': server},
                              headers=headers()).json
    api_samples.check('migrator/migrations-list-resp.json', records)
    forced_record = records['migrations'][1]
    assert forced_record['forced'] is True
    assert forced_record['forced_past'] == [{
        'filter': 'ComputeFilter',
        'reason': 'compute service is disabled (maintenance)'}]
    shown = service.app.get('/migrator/migrations/%s' % forced_record['uuid'],
                            headers=headers()).json
    api_samples.check('migrator/migration-show-resp.json', shown)
    assert shown['migration'] == forced_record
