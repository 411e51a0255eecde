"""os-services: list, disable/enable with a reason, force down; by action
URL before 2.53 and by uuid from 2.53."""

import datetime

import pytest
import sqlalchemy as sa
from oslo_utils import uuidutils

from migrator.db import models
from tests.fixtures import headers

FIELDS = {'id', 'binary', 'host', 'zone', 'status', 'state', 'updated_at',
          'disabled_reason'}
COMPUTE = 'nova-compute'


def services(service, version=None, query='') -> dict:
    resp = service.app.get('/v2.1/os-services' + query, headers=headers(version=version))
    return {(s['binary'], s['host']): s for s in resp.json['services']}


def compute(service, host, version=None) -> dict:
    return services(service, version)[(COMPUTE, host)]


def legacy(service, action, body, version=None, status=None):
    return service.app.put_json('/v2.1/os-services/%s' % action, body,
                                headers=headers(version=version), status=status)


def by_uuid(service, service_id, body, status=None):
    return service.app.put_json('/v2.1/os-services/%s' % service_id, body,
                                headers=headers(version='2.53'), status=status)


def test_list_at_2_1(service):
    listed = services(service)
    assert {host for binary, host in listed if binary == COMPUTE} == {
        'compute1', 'compute2', 'compute3'}
    assert {binary for binary, _host in listed} >= {
        COMPUTE, 'nova-conductor', 'nova-scheduler'}
    for (binary, _host), entry in listed.items():
        assert set(entry) == FIELDS
        assert isinstance(entry['id'], int)
        assert entry['zone'] == ('nova' if binary == COMPUTE else 'internal')
        assert (entry['status'], entry['state']) == ('enabled', 'up')
        assert entry['disabled_reason'] is None
        assert entry['updated_at']


def test_filters(service):
    only_host = services(service, query='?host=compute2')
    assert list(only_host) == [(COMPUTE, 'compute2')]
    only_binary = services(service, query='?binary=migrator-conductor')
    assert [binary for binary, _host in only_binary] == ['nova-conductor']
    assert services(service, query='?host=nowhere') == {}


def test_forced_down_field_from_2_11(service):
    assert 'forced_down' not in compute(service, 'compute1', '2.10')
    assert compute(service, 'compute1', '2.11')['forced_down'] is False


def test_legacy_disable_with_reason_and_enable(service):
    resp = legacy(service, 'disable-log-reason', {
        'host': 'compute1', 'binary': COMPUTE, 'disabled_reason': 'new disks'})
    assert resp.json == {'service': {'host': 'compute1', 'binary': COMPUTE,
                                     'status': 'disabled',
                                     'disabled_reason': 'new disks'}}
    shown = compute(service, 'compute1')
    assert (shown['status'], shown['disabled_reason']) == ('disabled', 'new disks')
    resp = legacy(service, 'enable', {'host': 'compute1', 'binary': COMPUTE})
    assert resp.json == {'service': {'host': 'compute1', 'binary': COMPUTE,
                                     'status': 'enabled'}}
    shown = compute(service, 'compute1')
    assert (shown['status'], shown['disabled_reason']) == ('enabled', None)
    resp = legacy(service, 'disable', {'host': 'compute1', 'binary': COMPUTE})
    assert resp.json['service']['status'] == 'disabled'
    assert compute(service, 'compute1')['status'] == 'disabled'


def test_legacy_errors(service):
    resp = legacy(service, 'disable-log-reason', {'host': 'compute1', 'binary': COMPUTE},
                  status=400)
    assert 'disabled_reason' in resp.json['badRequest']['message']
    resp = legacy(service, 'disable', {'host': 'nowhere', 'binary': COMPUTE},
                  status=404)
    assert 'nowhere' in resp.json['itemNotFound']['message']
    resp = legacy(service, 'disable', {'host': 'compute1', 'binary': 'migrator-nothing'},
                  status=404)
    assert 'migrator-nothing' in resp.json['itemNotFound']['message']
    resp = legacy(service, 'pause', {'host': 'compute1', 'binary': COMPUTE}, status=404)
    assert 'Unknown action pause' in resp.json['itemNotFound']['message']
    conductor_host = next(host for binary, host in services(service)
                          if binary == 'nova-conductor')
    resp = legacy(service, 'disable', {'host': conductor_host,
                                       'binary': 'nova-conductor'}, status=400)
    assert 'Only compute services can be updated' in \
        resp.json['badRequest']['message']
    service.app.put_json('/v2.1/os-services/disable', {
        'host': 'compute1', 'binary': COMPUTE}, headers=headers('alice:project-a'),
        status=403)
    assert compute(service, 'compute1')['status'] == 'enabled'


def test_force_down_from_2_11(service):
    body = {'host': 'compute2', 'binary': COMPUTE, 'forced_down': True}
    resp = legacy(service, 'force-down', body, version='2.10', status=404)
    assert 'Unknown action force-down' in resp.json['itemNotFound']['message']
    resp = legacy(service, 'force-down', body, version='2.11')
    assert resp.json == {'service': {'host': 'compute2', 'binary': COMPUTE,
                                     'forced_down': True}}
    shown = compute(service, 'compute2', '2.11')
    assert (shown['forced_down'], shown['state'], shown['status']) == (
        True, 'down', 'enabled')
    legacy(service, 'force-down', dict(body, forced_down=False), version='2.11')
    assert compute(service, 'compute2', '2.11')['state'] == 'up'


def test_a_compute_that_stops_reporting_is_down(service):
    service.compute('compute3').stop()
    old = models.utcnow() - datetime.timedelta(seconds=service.conf.service_down_time + 5)
    service.db.write(lambda s: s.execute(
        sa.update(models.Service).where(models.Service.host == 'compute3')
        .values(last_seen_up=old)))
    assert compute(service, 'compute3')['state'] == 'down'
    assert compute(service, 'compute1')['state'] == 'up'
    zones = service.app.get('/v2.1/os-availability-zone/detail',
                            headers=headers()).json['availabilityZoneInfo']
    (nova,) = [z for z in zones if z['zoneName'] == 'nova']
    assert nova['hosts']['compute3'][COMPUTE]['available'] is False


def test_uuid_ids_from_2_53(service):
    for entry in services(service, '2.53').values():
        assert uuidutils.is_uuid_like(entry['id'])
        assert 'forced_down' in entry


def test_update_by_uuid_from_2_53(service):
    service_id = compute(service, 'compute2', '2.53')['id']
    resp = by_uuid(service, service_id, {'status': 'disabled',
                                         'disabled_reason': 'firmware'})
    updated = resp.json['service']
    assert set(updated) == FIELDS | {'forced_down'}
    assert (updated['id'], updated['host'], updated['status'],
            updated['disabled_reason'], updated['state']) == (
                service_id, 'compute2', 'disabled', 'firmware', 'up')
    forced = by_uuid(service, service_id, {'forced_down': True}).json['service']
    assert (forced['forced_down'], forced['state'], forced['status']) == (
        True, 'down', 'disabled')
    enabled = by_uuid(service, service_id, {'status': 'enabled',
                                            'forced_down': False}).json['service']
    assert (enabled['status'], enabled['disabled_reason'], enabled['state']) == (
        'enabled', None, 'up')


def test_update_by_uuid_errors(service):
    service_id = compute(service, 'compute2', '2.53')['id']
    resp = by_uuid(service, service_id, {'status': 'enabled',
                                         'disabled_reason': 'why'}, status=400)
    assert 'disabled_reason' in resp.json['badRequest']['message']
    resp = by_uuid(service, 'disable', {'status': 'disabled'}, status=400)
    assert resp.json['badRequest']['message'] == 'Invalid uuid disable'
    missing = uuidutils.generate_uuid()
    resp = by_uuid(service, missing, {'status': 'disabled'}, status=404)
    assert missing in resp.json['itemNotFound']['message']
    scheduler_id = next(e['id'] for (binary, _h), e in services(service, '2.53').items()
                        if binary == 'nova-scheduler')
    by_uuid(service, scheduler_id, {'status': 'disabled'}, status=400)
    # Before 2.53 a uuid is no action.
    legacy(service, service_id, {'host': 'compute2', 'binary': COMPUTE}, status=404)
    assert compute(service, 'compute2')['status'] == 'enabled'


@pytest.mark.parametrize('version', ['2.1', '2.53'])
def test_delete_an_idle_compute_service(service, version):
    entry = compute(service, 'compute3', version)
    service.app.post_json('/v2.1/os-aggregates', {'aggregate': {'name': 'rack'}},
                          headers=headers())
    service.app.post_json('/v2.1/os-aggregates/1/action',
                          {'add_host': {'host': 'compute3'}}, headers=headers())
    service.compute('compute3').stop()
    resp = service.app.delete('/v2.1/os-services/%s' % entry['id'],
                              headers=headers(version=version))
    assert resp.status_int == 204
    assert (COMPUTE, 'compute3') not in services(service)
    hosts = [h['hypervisor_hostname'] for h in service.app.get(
        '/v2.1/os-hypervisors', headers=headers()).json['hypervisors']]
    assert hosts == ['compute1', 'compute2']
    assert service.app.get('/v2.1/os-aggregates/1',
                           headers=headers()).json['aggregate']['hosts'] == []
    service.app.delete('/v2.1/os-services/%s' % entry['id'],
                       headers=headers(version=version), status=404)


def test_a_compute_service_with_servers_cannot_be_deleted(service):
    server_id = service.boot()
    host = service.show(server_id)['OS-EXT-SRV-ATTR:host']
    entry = compute(service, host)
    resp = service.app.delete('/v2.1/os-services/%d' % entry['id'], headers=headers(),
                              status=409)
    assert host in resp.json['conflictingRequest']['message']
    assert (COMPUTE, host) in services(service)


def test_a_service_is_up_only_once_it_takes_messages(service, monkeypatch):
    """A cast to a topic no queue is bound to yet is dropped by a broker:
    a service is shown up only once its RPC server consumes."""
    seen_when_consuming = []
    add_server = service.dep.messaging.server

    def server(target, endpoints):
        rpc_server = add_server(target, endpoints)
        start = rpc_server.start

        def started():
            seen_when_consuming.append(service.db.read(lambda s: s.scalar(
                sa.select(models.Service.last_seen_up).where(
                    models.Service.host == 'compute9'))))
            start()
        rpc_server.start = started
        return rpc_server
    monkeypatch.setattr(service.dep.messaging, 'server', server)
    added = service.dep.add_compute('compute9')
    added.start()
    try:
        assert seen_when_consuming == [None]
        assert compute(service, 'compute9')['state'] == 'up'
    finally:
        added.stop()
        added.wait()
        service.dep.services.remove(added)
