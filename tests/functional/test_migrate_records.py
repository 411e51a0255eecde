"""What an operator reads after a move: os-migrations, instance actions,
and the versioned notifications of every phase."""

import pytest

from tests.fixtures import headers
from tests.functional import migrate_helpers as ops
from tests.notifications import listening


@pytest.fixture
def notifications(service):
    with listening(service.dep.messaging.notification_transport) as collector:
        yield collector


def test_every_phase_is_notified(service, notifications):
    server = ops.boot_on(service, 'compute1')
    service.action(server, {'migrate': {'host': 'compute2'}}, status=202)
    service.wait_status(server, 'VERIFY_RESIZE')
    service.action(server, {'confirmResize': None}, status=204)
    notifications.wait_for('instance.resize_confirm.end')
    types = [e[0] for e in notifications.events]
    assert types == [
        'instance.resize_prep.start', 'instance.resize_prep.end',
        'instance.resize.start', 'instance.resize.end',
        'instance.resize_finish.start', 'instance.resize_finish.end',
        'instance.resize_confirm.start', 'instance.resize_confirm.end']
    publishers = {e[0]: e[1] for e in notifications.events}
    assert publishers['instance.resize.start'] == 'migrator-compute:compute1'
    assert publishers['instance.resize_finish.end'] == 'migrator-compute:compute2'
    payload = notifications.events[-1][2]['migrator_object.data']
    assert payload['instance_uuid'] == server
    assert payload['migration']['status'] == 'confirmed'


def test_revert_and_failures_are_notified(service, notifications):
    server = ops.boot_on(service, 'compute1')
    service.action(server, {'migrate': {'host': 'compute2'}}, status=202)
    service.wait_status(server, 'VERIFY_RESIZE')
    service.action(server, {'revertResize': None}, status=202)
    notifications.wait_for('instance.resize_revert.end')
    service.conf.set_override('fail_at', ['resize_instance'], group='compute')
    service.action(server, {'migrate': None}, status=202)
    notifications.wait_for('instance.resize.error')
    error = [e for e in notifications.events if e[0] == 'instance.resize.error'][0]
    assert 'Injected failure' in error[2]['migrator_object.data']['fault']


def test_os_migrations_fields_and_filters(service):
    first = ops.boot_on(service, 'compute1')
    second = ops.boot_on(service, 'compute3')
    service.action(first, {'migrate': {'host': 'compute2'}}, status=202)
    service.action(second, {'migrate': {'host': 'compute2', 'force': True}},
                   status=202)
    service.wait_status(first, 'VERIFY_RESIZE')
    service.wait_status(second, 'VERIFY_RESIZE')
    service.action(first, {'confirmResize': None}, status=204)
    service.wait_migration(first, ['confirmed'])

    def listed(version='2.56', **params):
        return service.app.get('/v2.1/os-migrations', params=params,
                               headers=headers(version=version)).json['migrations']

    assert len(listed()) == 2
    assert [m['instance_uuid'] for m in listed(host='compute1')] == [first]
    assert [m['instance_uuid'] for m in listed(source_compute='compute3')] == [second]
    assert [m['instance_uuid'] for m in listed(status='confirmed')] == [first]
    assert [m['instance_uuid'] for m in listed(instance_uuid=second)] == [second]
    assert len(listed(migration_type='migration')) == 2
    assert listed(migration_type='live-migration') == []
    assert listed(hidden='true') == []
    old = listed(version='2.1')[0]
    assert 'migration_type' not in old
    new = listed(version='2.23')[0]
    assert new['migration_type'] == 'migration'
    nova_fields = {'id', 'status', 'instance_uuid', 'source_node', 'source_compute',
                   'dest_node', 'dest_compute', 'dest_host', 'old_instance_type_id',
                   'new_instance_type_id', 'created_at', 'updated_at'}
    assert set(old) == nova_fields
    assert set(new) == nova_fields | {'migration_type'}
    # The full record lives in migrator's own API.
    forced = service.record(second)
    assert forced['forced'] is True
    assert forced['forced_past'] == []
    assert set(forced['phase_times']) >= {
        'pre-migrating', 'prep_resize', 'migrating', 'post-migrating', 'finished'}
    service.app.get('/v2.1/os-migrations', params={'migration_type': 'bogus'},
                    headers=headers(version='2.56'), status=400)
    service.app.get('/v2.1/os-migrations', headers=headers('alice:proj', '2.56'),
                    status=403)


def test_instance_actions_hide_tracebacks_and_details_from_owners(service):
    server = service.boot(token='alice:proj')
    service.conf.set_override('fail_at', ['prep_resize'], group='compute')
    service.action(server, {'migrate': None}, status=202)
    service.wait_migration(server, ['error'])

    def action(token, version):
        actions = service.app.get('/v2.1/servers/%s/os-instance-actions' % server,
                                  headers=headers(token, version)).json
        request_id = next(a['request_id'] for a in actions['instanceActions']
                          if a['action'] == 'migrate')
        return service.app.get(
            '/v2.1/servers/%s/os-instance-actions/%s' % (server, request_id),
            headers=headers(token, version)).json['instanceAction']

    admin = action('admin:admin', '2.56')
    failed = [e for e in admin['events'] if e['result'] == 'Error']
    assert failed and failed[0]['traceback']
    assert set(failed[0]) == {'event', 'start_time', 'finish_time', 'result',
                              'traceback'}
    detailed = service.app.get('/migrator/servers/%s/actions/%s' % (
        server, admin['request_id']), headers=headers()).json['action']
    hosts = [e['host'] for e in detailed['events']]
    assert hosts[0] == 'controller' and hosts[1] == 'compute2'
    service.app.get('/migrator/servers/%s/actions/%s' % (server, admin['request_id']),
                    headers=headers('alice:proj'), status=403)
    owner = action('alice:proj', '2.51')
    assert owner['events'], 'events are shown to owners from 2.51'
    for event in owner['events']:
        assert 'traceback' not in event and 'host' not in event
    assert 'events' not in action('alice:proj', '2.50')
    assert 'Injected failure at prep_resize' in owner['message']
    service.app.get('/v2.1/servers/%s/os-instance-actions/req-nope' % server,
                    headers=headers(), status=404)
    service.app.get('/v2.1/servers/%s/os-instance-actions' % server,
                    headers=headers('bob:other'), status=404)


def _counting_payloads(monkeypatch) -> list:
    from migrator import notifications as notifications_mod
    built = []
    real = notifications_mod.instance_payload

    def counting(*args, **kwargs):
        built.append(args)
        return real(*args, **kwargs)
    monkeypatch.setattr(notifications_mod, 'instance_payload', counting)
    return built


def test_no_payloads_are_built_when_notifications_are_off(service, notifications,
                                                          monkeypatch):
    """With the notification driver off (``noop``), a move builds no
    notification payloads at all: they would be thrown away."""
    built = _counting_payloads(monkeypatch)
    server = ops.boot_on(service, 'compute1')
    service.action(server, {'migrate': {'host': 'compute2'}}, status=202)
    service.wait_status(server, 'VERIFY_RESIZE')
    assert built, 'payloads are built while notifications are on'
    built.clear()
    monkeypatch.setattr(service.dep.messaging.notifier, 'is_enabled',
                        lambda: False)
    service.action(server, {'confirmResize': None}, status=204)
    service.wait_status(server, 'ACTIVE')
    assert service.host_of(server) == 'compute2'
    assert built == []


def test_in_process_nothing_is_built_for_nobody(service, monkeypatch):
    """On the in-process transport a notification nothing listens to is
    dropped, so none is made: a move with no listener builds no payload.
    A listener that starts hears the next move whole, error included."""
    built = _counting_payloads(monkeypatch)
    server = ops.boot_on(service, 'compute1')
    service.action(server, {'migrate': {'host': 'compute2'}}, status=202)
    service.wait_status(server, 'VERIFY_RESIZE')
    service.action(server, {'confirmResize': None}, status=204)
    service.wait_status(server, 'ACTIVE')
    assert built == []
    with listening(service.dep.messaging.notification_transport) as heard:
        service.action(server, {'migrate': {'host': 'compute1'}}, status=202)
        service.wait_status(server, 'VERIFY_RESIZE')
        service.action(server, {'confirmResize': None}, status=204)
        heard.wait_for('instance.resize_confirm.end')
    assert built
    assert [e[0] for e in heard.events][:2] == [
        'instance.resize_prep.start', 'instance.resize_prep.end']
    assert len(heard.events) == 8
