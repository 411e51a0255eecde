"""Operator journeys around cold migration: targeted, forced, untargeted,
confirm, revert, and every way a host or a server can refuse."""

import pytest

from tests.fixtures import headers
from tests.functional import migrate_helpers as ops
from tests.invariants import assert_consistent


def _migrate(svc, server_id, host=None, force=None, status=202, version='2.56'):
    body = {'host': host}
    if force is not None:
        body['force'] = force
    return svc.action(server_id, {'migrate': body}, version=version, status=status)


def test_targeted_migrate_confirm(service):
    server = ops.boot_on(service, 'compute1')
    before = ops.usage(service, 'compute2')['MEMORY_MB']['used']
    _migrate(service, server, 'compute2')
    moved = service.wait_status(server, 'VERIFY_RESIZE')
    assert moved['OS-EXT-SRV-ATTR:host'] == 'compute2'
    assert moved['OS-EXT-STS:vm_state'] == 'resized'
    migration = service.wait_migration(server, ['finished'])
    assert migration['source_compute'] == 'compute1'
    assert migration['dest_compute'] == 'compute2'
    assert migration['migration_type'] == 'migration'
    record = service.record(server)
    assert record['requested_host'] == 'compute2'
    assert record['forced'] is False
    # VERIFY_RESIZE: both hosts hold the server's resources.
    assert ops.usage(service, 'compute1')['MEMORY_MB']['used'] == 512
    assert ops.usage(service, 'compute2')['MEMORY_MB']['used'] == before + 512
    assert_consistent(service.db)
    service.action(server, {'confirmResize': None}, status=204)
    done = service.wait_status(server, 'ACTIVE')
    assert done['OS-EXT-SRV-ATTR:host'] == 'compute2'
    assert service.wait_migration(server, ['confirmed'])['status'] == 'confirmed'
    assert ops.usage(service, 'compute1')['MEMORY_MB']['used'] == 0
    assert_consistent(service.db)


def test_revert_goes_back_to_the_source(service):
    server = ops.boot_on(service, 'compute1')
    _migrate(service, server, 'compute3')
    service.wait_status(server, 'VERIFY_RESIZE')
    service.action(server, {'revertResize': None}, status=202)
    back = service.wait_status(server, 'ACTIVE')
    assert back['OS-EXT-SRV-ATTR:host'] == 'compute1'
    assert service.wait_migration(server, ['reverted'])['status'] == 'reverted'
    assert ops.usage(service, 'compute3')['MEMORY_MB']['used'] == 0
    assert ops.usage(service, 'compute1')['MEMORY_MB']['used'] == 512
    assert_consistent(service.db)


def test_untargeted_avoids_the_source_and_records_events(service):
    server = ops.boot_on(service, 'compute2')
    service.action(server, {'migrate': None}, status=202)
    moved = service.wait_status(server, 'VERIFY_RESIZE')
    assert moved['OS-EXT-SRV-ATTR:host'] != 'compute2'
    action = ops.events(service, server)
    names = [e['event'] for e in action['events']]
    assert names == ['conductor_migrate_server', 'compute_prep_resize',
                     'compute_resize_instance', 'compute_finish_resize']
    assert all(e['result'] == 'Success' for e in action['events'])


def test_stopped_server_stays_stopped(service):
    server = ops.boot_on(service, 'compute1')
    service.action(server, {'os-stop': None}, status=202)
    service.wait_status(server, 'SHUTOFF')
    _migrate(service, server, 'compute2')
    resized = service.wait_status(server, 'VERIFY_RESIZE')
    assert resized['OS-EXT-STS:power_state'] == 4
    service.action(server, {'confirmResize': None}, status=204)
    done = service.wait_status(server, 'SHUTOFF')
    assert done['OS-EXT-SRV-ATTR:host'] == 'compute2'


def test_a_lock_stops_everyone_but_administrators(service):
    """One lock rule for every action, Nova's: a locked server refuses its
    owner; an administrator goes past the lock."""
    owner = 'alice:proj'
    server = service.boot(token=owner)
    service.action(server, {'lock': None}, token=owner, status=202)
    resp = service.action(server, {'os-stop': None}, token=owner, status=409)
    assert 'locked' in resp.json['conflictingRequest']['message']
    _migrate(service, server, None)
    service.wait_status(server, 'VERIFY_RESIZE')
    resp = service.action(server, {'confirmResize': None}, token=owner,
                          status=409)
    assert 'locked' in resp.json['conflictingRequest']['message']
    service.action(server, {'confirmResize': None}, status=204)


def test_server_in_a_task_state_is_refused(service):
    server = ops.boot_on(service, 'compute1')
    _migrate(service, server, 'compute2')
    # The move is under way or waiting for confirmation: a second one is 409.
    resp = _migrate(service, server, 'compute3', status=409)
    assert "Cannot 'migrate' instance" in resp.json['conflictingRequest']['message']
    service.wait_status(server, 'VERIFY_RESIZE')
    resp = _migrate(service, server, 'compute3', status=409)
    assert 'vm_state resized' in resp.json['conflictingRequest']['message']


def test_error_server_is_refused(service):
    flavor = ops.create_flavor(service, 'huge', ram=10 ** 6)
    server = service.boot(flavor=flavor, wait='ERROR')
    resp = _migrate(service, server, None, status=409)
    assert 'vm_state error' in resp.json['conflictingRequest']['message']


def test_disabled_host_targeted_refused_forced_allowed(service):
    server = ops.boot_on(service, 'compute1')
    ops.update_service(service, 'compute2', status='disabled',
                       disabled_reason='firmware upgrade')
    resp = _migrate(service, server, 'compute2', status=400)
    message = resp.json['badRequest']['message']
    assert message.startswith('No valid host was found. Host compute2 is not a '
                              'valid destination: ComputeFilter: compute service '
                              'is disabled (firmware upgrade)')
    assert service.show(server)['OS-EXT-STS:task_state'] is None
    assert service.migrations(instance_uuid=server) == []
    assert_consistent(service.db)
    _migrate(service, server, 'compute2', force=True)
    moved = service.wait_status(server, 'VERIFY_RESIZE')
    assert moved['OS-EXT-SRV-ATTR:host'] == 'compute2'
    migration = service.record(server)
    assert migration['forced'] is True
    assert migration['forced_past'] == [
        {'filter': 'ComputeFilter',
         'reason': 'compute service is disabled (firmware upgrade)'}]
    details = ops.events(service, server)['events'][0]['details']
    assert details['forced_past'] == [
        'ComputeFilter: compute service is disabled (firmware upgrade)']


def test_host_in_another_zone(service):
    ops.create_zone(service, 'az1', ['compute1'])
    ops.create_zone(service, 'az2', ['compute2', 'compute3'])
    server = service.boot(availability_zone='az1')
    assert ops.host_of(service, server) == 'compute1'
    resp = _migrate(service, server, 'compute2', status=400)
    assert 'AvailabilityZoneFilter: server is in zone az1, host is in az2' in \
        resp.json['badRequest']['message']
    # Untargeted: nowhere else in az1.
    resp = service.action(server, {'migrate': None}, status=400)
    assert resp.json['badRequest']['message'] == (
        'No valid host was found. 0/3 hosts: 2 AvailabilityZoneFilter, '
        '1 source host excluded')
    _migrate(service, server, 'compute2', force=True)
    service.wait_status(server, 'VERIFY_RESIZE')
    migration = service.record(server)
    assert migration['forced_past'][0]['filter'] == 'AvailabilityZoneFilter'


def test_full_host_refused_targeted_and_forced(service):
    big = ops.create_flavor(service, 'big', ram=30000)
    ops.boot_on(service, 'compute2', flavor=big)
    server = ops.boot_on(service, 'compute1', flavor='3')  # 4096 MB
    resp = _migrate(service, server, 'compute2', status=400)
    message = resp.json['badRequest']['message']
    assert 'CapacityFilter: MEMORY_MB needs 4096, 2256 free of 32256 at ratio 1' in message
    resp = _migrate(service, server, 'compute2', force=True, status=400)
    message = resp.json['badRequest']['message']
    assert message.startswith('Host compute2 cannot fit the server: MEMORY_MB '
                              'needs 4096, 2256 free of 32256 at ratio 1')
    assert ops.usage(service, 'compute2')['MEMORY_MB']['used'] == 30000
    assert service.show(server)['OS-EXT-STS:task_state'] is None
    assert service.migrations(instance_uuid=server) == []
    assert_consistent(service.db)


def test_destination_down(service):
    server = ops.boot_on(service, 'compute1')
    ops.update_service(service, 'compute3', forced_down=True)
    resp = _migrate(service, server, 'compute3', force=True, status=400)
    assert 'Compute service of compute3 is down' in resp.json['badRequest']['message']
    resp = _migrate(service, server, 'compute3', status=400)
    assert 'ComputeFilter: compute service is down' in resp.json['badRequest']['message']
    service.action(server, {'migrate': None}, status=202)
    assert service.wait_status(server, 'VERIFY_RESIZE')['OS-EXT-SRV-ATTR:host'] == \
        'compute2'
    assert_consistent(service.db)


def test_source_down_is_a_conflict(service):
    server = ops.boot_on(service, 'compute1')
    ops.update_service(service, 'compute1', forced_down=True)
    resp = _migrate(service, server, 'compute2', status=409)
    assert resp.json['conflictingRequest']['message'] == \
        'Compute service of compute1 is unavailable at this time.'


@pytest.mark.parametrize('token,status', [('alice:proj', 403), ('alice:other', 404)])
def test_non_admin_cannot_migrate(service, token, status):
    server = service.boot(token='alice:proj')
    service.action(server, {'migrate': None}, token=token, status=status)
    service.action(server, {'migrate': {'host': 'compute2', 'force': True}},
                   token=token, status=status)


def test_policy_can_allow_untargeted_but_not_host_or_force(service, tmp_path):
    """A deployer lets project members migrate, but keeps host and force."""
    import webtest

    from migrator.api import app, policy
    policy_file = tmp_path / 'policy.yaml'
    policy_file.write_text('"os_compute_api:os-migrate-server:migrate": '
                           '"role:member"\n')
    service.conf.set_override('policy_file', str(policy_file), group='oslo_policy')
    wsgi = app.create_app(service.conf, service.db, service.dep.messaging,
                          enforcer=policy.get_enforcer(service.conf))
    client = webtest.TestApp(wsgi)
    server = service.boot(token='alice:proj')
    url = '/v2.1/servers/%s/action' % server
    for body, rule in (({'host': 'compute2'}, 'migrate:host'),
                       ({'host': 'compute2', 'force': True}, 'migrate:host')):
        resp = client.post_json(url, {'migrate': body},
                                headers=headers('alice:proj', '2.56'), status=403)
        assert 'os_compute_api:os-migrate-server:' + rule in \
            resp.json['forbidden']['message']
    client.post_json(url, {'migrate': None}, headers=headers('alice:proj', '2.56'),
                     status=202)
    service.wait_status(server, 'VERIFY_RESIZE')


def test_confirm_and_revert_need_a_finished_migration(service):
    server = service.boot()
    resp = service.action(server, {'confirmResize': None}, status=409)
    assert 'vm_state active' in resp.json['conflictingRequest']['message']
    service.action(server, {'revertResize': None}, status=409)


def test_auto_confirm(tmp_path):
    from tests import fixtures
    svc = fixtures.Service(tmp_path, compute__resize_confirm_window=1)
    try:
        server = svc.boot()
        svc.action(server, {'migrate': None}, status=202)
        svc.wait_status(server, 'VERIFY_RESIZE')
        svc.wait_status(server, 'ACTIVE', timeout=15)
        assert svc.wait_migration(server, ['confirmed'])['status'] == 'confirmed'
        assert_consistent(svc.db)
    finally:
        svc.stop()
