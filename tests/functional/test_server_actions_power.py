"""os-stop, os-start, lock and unlock, as an owner and an admin use them."""

from tests.fixtures import headers

OWNER = 'alice:project-a'


def act(service, server_id, body, token=OWNER, status=None, version='2.56'):
    return service.app.post_json('/v2.1/servers/%s/action' % server_id, body,
                                 headers=headers(token, version), status=status)


def test_stop_and_start(service):
    server_id = service.boot(token=OWNER)
    resp = act(service, server_id, {'os-stop': None}, status=202)
    assert resp.body == b''
    assert resp.headers['OpenStack-API-Version'] == 'compute 2.56'
    stopped = service.wait_status(server_id, 'SHUTOFF', token=OWNER)
    assert stopped['OS-EXT-STS:vm_state'] == 'stopped'
    assert stopped['OS-EXT-STS:power_state'] == 4
    act(service, server_id, {'os-start': {}}, status=202)
    started = service.wait_status(server_id, 'ACTIVE', token=OWNER)
    assert started['OS-EXT-STS:power_state'] == 1


def test_stop_and_start_in_the_wrong_state_are_409(service):
    server_id = service.boot(token=OWNER)
    resp = act(service, server_id, {'os-start': None}, status=409)
    assert resp.json['conflictingRequest']['message'] == (
        "Cannot 'start' instance %s while it is in vm_state active" % server_id)
    act(service, server_id, {'os-stop': None}, status=202)
    service.wait_status(server_id, 'SHUTOFF', token=OWNER)
    resp = act(service, server_id, {'os-stop': None}, status=409)
    assert 'vm_state stopped' in resp.json['conflictingRequest']['message']


def memory_used(service) -> int:
    return service.app.get('/v2.1/os-hypervisors/statistics', headers=headers()).json[
        'hypervisor_statistics']['memory_mb_used']


def test_a_stopped_server_keeps_its_allocation(service):
    empty = memory_used(service)
    server_id = service.boot(token=OWNER)
    act(service, server_id, {'os-stop': None}, status=202)
    service.wait_status(server_id, 'SHUTOFF', token=OWNER)
    assert memory_used(service) == empty + 512


def test_a_server_whose_boot_failed_cannot_be_stopped(service):
    service.app.post_json('/v2.1/flavors', {'flavor': {
        'name': 'enormous', 'id': 'enormous', 'ram': 10 ** 7, 'vcpus': 1,
        'disk': 1}}, headers=headers())
    server_id = service.boot(flavor='enormous', token=OWNER, wait='ERROR')
    resp = act(service, server_id, {'os-stop': None}, status=409)
    assert 'no host' in resp.json['conflictingRequest']['message']
    assert service.show(server_id, token=OWNER)['OS-EXT-STS:task_state'] is None


def test_admin_lock_blocks_the_owner(service):
    server_id = service.boot(token=OWNER)
    act(service, server_id, {'lock': None}, token='admin:admin', status=202)
    assert service.show(server_id, token=OWNER, version='2.9')['locked'] is True
    resp = act(service, server_id, {'os-stop': None}, status=409)
    assert resp.json['conflictingRequest']['message'] == (
        'Instance %s is locked' % server_id)
    resp = service.app.delete('/v2.1/servers/%s' % server_id, headers=headers(OWNER),
                              status=409)
    assert 'locked' in resp.json['conflictingRequest']['message']
    resp = act(service, server_id, {'unlock': None}, status=403)
    assert 'unlock_override' in resp.json['forbidden']['message']
    assert service.show(server_id, token=OWNER, version='2.9')['locked'] is True
    # The admin is not held back by the lock, and may lift it.
    act(service, server_id, {'os-stop': None}, token='admin:admin', status=202)
    service.wait_status(server_id, 'SHUTOFF', token=OWNER)
    act(service, server_id, {'unlock': None}, token='admin:admin', status=202)
    assert service.show(server_id, token=OWNER, version='2.9')['locked'] is False
    act(service, server_id, {'os-start': None}, status=202)
    service.wait_status(server_id, 'ACTIVE', token=OWNER)


def test_owner_lock_and_unlock(service):
    server_id = service.boot(token=OWNER)
    act(service, server_id, {'lock': {}}, status=202)
    act(service, server_id, {'os-stop': None}, status=409)
    act(service, server_id, {'unlock': None}, status=202)
    act(service, server_id, {'os-stop': None}, status=202)
    service.wait_status(server_id, 'SHUTOFF', token=OWNER)


def test_admin_may_unlock_an_owner_lock(service):
    server_id = service.boot(token=OWNER)
    act(service, server_id, {'lock': None}, status=202)
    act(service, server_id, {'unlock': None}, token='admin:admin', status=202)
    assert service.show(server_id, token=OWNER, version='2.9')['locked'] is False


def test_locked_is_hidden_before_2_9(service):
    server_id = service.boot(token=OWNER)
    act(service, server_id, {'lock': None}, status=202)
    assert 'locked' not in service.show(server_id, token=OWNER, version='2.8')


def test_actions_are_recorded(service):
    server_id = service.boot(token=OWNER)
    act(service, server_id, {'os-stop': None}, status=202)
    service.wait_status(server_id, 'SHUTOFF', token=OWNER)
    act(service, server_id, {'lock': None}, status=202)
    actions = service.app.get('/v2.1/servers/%s/os-instance-actions' % server_id,
                              headers=headers(OWNER)).json['instanceActions']
    assert {'create', 'stop', 'lock'} <= {a['action'] for a in actions}
