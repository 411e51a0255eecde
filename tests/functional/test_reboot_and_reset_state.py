"""reboot (soft and hard) and the administrator's os-resetState, as Nova."""

import pytest

from tests.fixtures import headers
from tests.invariants import assert_consistent

OWNER = 'alice:proj'


@pytest.fixture(scope='module')
def service(module_service):
    return module_service


def _actions(service, server_id):
    listed = service.app.get('/v2.1/servers/%s/os-instance-actions' % server_id,
                             headers=headers()).json['instanceActions']
    return [a['action'] for a in listed]


@pytest.mark.parametrize('kind', ['SOFT', 'HARD', 'soft'])
def test_the_owner_reboots_an_active_server(service, kind):
    server = service.boot(token=OWNER)
    service.action(server, {'reboot': {'type': kind}}, token=OWNER, status=202)
    shown = service.wait_status(server, 'ACTIVE')
    assert shown['OS-EXT-STS:power_state'] == 1
    assert _actions(service, server)[0] == 'reboot'
    assert_consistent(service.db)


def test_only_a_hard_reboot_brings_back_a_stopped_or_failed_server(service):
    server = service.boot(token=OWNER)
    service.action(server, {'os-stop': None}, token=OWNER, status=202)
    service.wait_status(server, 'SHUTOFF')
    refused = service.action(server, {'reboot': {'type': 'SOFT'}}, token=OWNER,
                             status=409)
    assert 'vm_state stopped' in refused.json['conflictingRequest']['message']
    service.action(server, {'reboot': {'type': 'HARD'}}, token=OWNER, status=202)
    service.wait_status(server, 'ACTIVE')


@pytest.mark.parametrize('body, field', [
    ({'reboot': {'type': 'WARM'}}, 'reboot/type'),
    ({'reboot': {}}, 'reboot'),
    ({'reboot': None}, 'reboot'),
    ({'os-resetState': {'state': 'stopped'}}, 'os-resetState/state'),
    ({'os-resetState': {}}, 'os-resetState'),
])
def test_bad_bodies_name_the_field(service, body, field):
    server = service.boot()
    resp = service.action(server, body, status=400)
    assert field in resp.json['badRequest']['message']


def test_reset_state_is_for_administrators_and_recorded(service):
    server = service.boot(token=OWNER)
    refused = service.action(server, {'os-resetState': {'state': 'error'}},
                             token=OWNER, status=403)
    assert 'reset_state' in refused.json['forbidden']['message']
    service.action(server, {'os-resetState': {'state': 'error'}}, status=202)
    assert service.show(server)['status'] == 'ERROR'
    service.action(server, {'os-resetState': {'state': 'active'}}, status=202)
    assert service.show(server)['status'] == 'ACTIVE'
    assert _actions(service, server)[:2] == ['resetState', 'resetState']
    # A server reset to ERROR can be deleted, as tempest does.
    service.action(server, {'os-resetState': {'state': 'error'}}, status=202)
    service.app.delete('/v2.1/servers/%s' % server, headers=headers(OWNER), status=204)
    assert_consistent(service.db)


def test_reset_state_of_a_server_that_does_not_exist_is_404(service):
    service.action('4b0d2a6f-0000-4000-8000-000000000000',
                   {'os-resetState': {'state': 'error'}}, status=404)
