"""The servers samples of the API reference, replayed."""

from tests.fixtures import headers
from tests.functional import api_samples
from tests.functional import migrate_helpers as ops

D = 'servers/'
OWNER = 'demo:demo'


def _create(service, sample, version=None, token=OWNER, status=202):
    return service.app.post_json('/v2.1/servers', api_samples.load(D + sample),
                                 headers=headers(token, version), status=status)


def _action(service, server, sample, token=OWNER, status=202):
    return service.app.post_json('/v2.1/servers/%s/action' % server,
                                 api_samples.load(D + sample),
                                 headers=headers(token), status=status)


def _get(service, url, version=None, token=OWNER, status=200):
    return service.app.get(url, headers=headers(token, version), status=status).json


def test_create_list_show(service):
    resp = _create(service, 'server-create-req.json')
    api_samples.check(D + 'server-create-resp.json', resp.json)
    server = resp.json['server']['id']
    assert resp.headers['Location'].endswith('/v2.1/servers/%s' % server)
    service.wait_status(server, 'ACTIVE')

    api_samples.check(D + 'servers-list-resp.json', _get(service, '/v2.1/servers'))
    api_samples.check(D + 'servers-detail-resp.json',
                      _get(service, '/v2.1/servers/detail'))
    api_samples.check(D + 'v2.56-servers-detail-resp.json',
                      _get(service, '/v2.1/servers/detail', '2.56'))
    api_samples.check(D + 'server-get-resp.json',
                      _get(service, '/v2.1/servers/%s' % server, token='admin:admin'))
    api_samples.check(D + 'v2.56-server-get-resp.json',
                      _get(service, '/v2.1/servers/%s' % server, '2.56',
                           token='admin:admin'))

    described = _create(service, 'v2.19-server-create-req.json', version='2.19')
    api_samples.check(D + 'server-create-resp.json', described.json)
    service.wait_status(described.json['server']['id'], 'ACTIVE')
    api_samples.check(D + 'servers-list-paged-resp.json',
                      _get(service, '/v2.1/servers?limit=1'))

    resp = _create(service, 'server-create-multiple-req.json')
    api_samples.check(D + 'server-create-multiple-resp.json', resp.json)

    group = service.app.post_json(
        '/v2.1/os-server-groups',
        {'server_group': {'name': 'db', 'policies': ['anti-affinity']}},
        headers=headers(OWNER)).json['server_group']['id']
    body = api_samples.load(D + 'server-create-hints-req.json')
    body['os:scheduler_hints']['group'] = group
    resp = service.app.post_json('/v2.1/servers', body, headers=headers(OWNER))
    service.wait_status(resp.json['server']['id'], 'ACTIVE', token=OWNER)
    # Stopping the service waits for builds still in flight.
    for worker in _get(service, '/v2.1/servers?name=worker')['servers']:
        service.wait_status(worker['id'], 'ACTIVE', token=OWNER)


def test_create_faults(service):
    check = api_samples.check
    check(D + 'server-create-description-before-2.19-resp.json',
          _create(service, 'v2.19-server-create-req.json', version='2.18',
                  status=400).json)
    body = api_samples.load(D + 'server-create-req.json')
    body['server']['flavorRef'] = '42'
    check(D + 'server-create-flavor-not-found-resp.json',
          service.app.post_json('/v2.1/servers', body, headers=headers(OWNER),
                                status=400).json)
    body = api_samples.load(D + 'server-create-req.json')
    body['server']['availability_zone'] = 'moon'
    check(D + 'server-create-zone-not-found-resp.json',
          service.app.post_json('/v2.1/servers', body, headers=headers(OWNER),
                                status=400).json)
    check(D + 'server-create-group-not-found-resp.json',
          _create(service, 'server-create-hints-req.json', status=400).json)
    body = api_samples.load(D + 'server-create-multiple-req.json')
    body['server']['max_count'] = 101
    check(D + 'server-create-too-many-resp.json',
          service.app.post_json('/v2.1/servers', body, headers=headers(OWNER),
                                status=400).json)


def test_list_faults(service):
    check = api_samples.check
    check(D + 'servers-list-all-tenants-forbidden-resp.json',
          _get(service, '/v2.1/servers?all_tenants=true', status=403))
    check(D + 'servers-list-bad-status-resp.json',
          _get(service, '/v2.1/servers?status=sleeping', status=400))
    check(D + 'servers-list-marker-not-found-resp.json',
          _get(service, '/v2.1/servers?marker=aa4cb9f8-30dd-4d5e-8d09-ae2b1c0e21b4',
               status=400))


def test_actions_and_delete(service):
    check = api_samples.check
    server = service.boot(name='new-server-test', token=OWNER)

    assert _action(service, server, 'server-stop-req.json').body == b''
    service.wait_status(server, 'SHUTOFF', token=OWNER)
    check(D + 'server-stop-conflict-resp.json',
          _action(service, server, 'server-stop-req.json', status=409).json)
    _action(service, server, 'server-start-req.json')
    service.wait_status(server, 'ACTIVE', token=OWNER)
    check(D + 'server-start-conflict-resp.json',
          _action(service, server, 'server-start-req.json', status=409).json)

    _action(service, server, 'server-lock-req.json', token='admin:admin')
    assert service.show(server, token=OWNER)['locked'] is True
    check(D + 'server-locked-resp.json',
          _action(service, server, 'server-stop-req.json', status=409).json)
    check(D + 'server-unlock-forbidden-resp.json',
          _action(service, server, 'server-unlock-req.json', status=403).json)
    _action(service, server, 'server-unlock-req.json', token='admin:admin')

    check(D + 'server-action-unknown-resp.json',
          service.app.post_json('/v2.1/servers/%s/action' % server, {'reboot': None},
                                headers=headers(OWNER), status=400).json)
    service.app.delete('/v2.1/servers/%s' % server, headers=headers(OWNER), status=204)
    check(D + 'server-get-not-found-resp.json',
          _get(service, '/v2.1/servers/%s' % server, status=404))


def test_server_in_error(service):
    ops.create_flavor(service, 'm1.huge', ram=65536, flavor_id='6')
    body = api_samples.load(D + 'server-create-req.json')
    body['server']['flavorRef'] = '6'
    server = service.app.post_json('/v2.1/servers', body,
                                   headers=headers()).json['server']['id']
    service.wait_status(server, 'ERROR')
    api_samples.check(D + 'v2.56-server-get-error-resp.json',
                      _get(service, '/v2.1/servers/%s' % server, '2.56',
                           token='admin:admin'))


def _fault(resp) -> str:
    (fault,) = resp.json.values()
    assert fault['code'] == resp.status_int
    return fault['message']


def test_other_documented_faults(service):
    """The messages the servers page states without a sample."""
    body = api_samples.load(D + 'server-create-multiple-req.json')
    body['server']['min_count'] = 3
    resp = service.app.post_json('/v2.1/servers', body, headers=headers(OWNER), status=400)
    assert _fault(resp) == ('Invalid input for field/attribute server/min_count. '
                            'min_count must be <= max_count.')
    server = service.boot(name='new-server-test', token=OWNER)
    url = '/v2.1/servers/%s/action' % server
    resp = service.app.post_json(url, {'os-stop': None, 'lock': None},
                                 headers=headers(OWNER), status=400)
    assert _fault(resp) == (
        'Invalid request: the body must be an object with exactly one action key, '
        'one of: confirmResize, lock, migrate, os-resetState, os-start, os-stop, '
        'reboot, revertResize, unlock')
    resp = service.app.post_json(url, {'os-stop': {'force': True}},
                                 headers=headers(OWNER), status=400)
    assert _fault(resp) == (
        "Invalid input for field/attribute os-stop. Additional properties are not "
        "allowed ('force' was unexpected). Allowed keys: none.")
    service.app.post_json(url, {'os-stop': None}, headers=headers(OWNER))
    # Still powering off, or already off: either way a 409 naming the state.
    resp = service.app.post_json(url, {'os-stop': None}, headers=headers(OWNER),
                                 status=409)
    assert _fault(resp) in (
        "Cannot 'stop' instance %s while it is in task_state powering-off" % server,
        "Cannot 'stop' instance %s while it is in vm_state stopped" % server)
    service.wait_status(server, 'SHUTOFF', token=OWNER)
    service.app.post_json(url, {'lock': None}, headers=headers())
    resp = service.app.delete('/v2.1/servers/%s' % server, headers=headers(OWNER),
                              status=409)
    assert _fault(resp) == 'Instance %s is locked' % server

    ops.create_flavor(service, 'm1.huge', ram=65536, flavor_id='6')
    broken = service.boot(name='too-big', flavor='6', token=OWNER, wait='ERROR')
    resp = service.app.post_json('/v2.1/servers/%s/action' % broken, {'os-stop': None},
                                 headers=headers(OWNER), status=409)
    assert _fault(resp) == ('Instance %s is not ready: it has no host (its boot '
                            'failed); delete it instead.' % broken)
