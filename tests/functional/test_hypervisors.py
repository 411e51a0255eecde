"""os-hypervisors: capacity and usage as the claims see them."""

import pytest
from oslo_utils import uuidutils

from tests.fixtures import headers
from tests.functional import migrate_helpers as ops

SUMMARY_FIELDS = {'id', 'hypervisor_hostname', 'state', 'status'}
DETAIL_FIELDS = SUMMARY_FIELDS | {
    'hypervisor_type', 'hypervisor_version', 'host_ip', 'vcpus', 'memory_mb',
    'local_gb', 'vcpus_used', 'memory_mb_used', 'local_gb_used', 'free_ram_mb',
    'free_disk_gb', 'disk_available_least', 'current_workload', 'running_vms',
    'cpu_info', 'service'}


def detail(service, version=None) -> dict:
    resp = service.app.get('/v2.1/os-hypervisors/detail', headers=headers(version=version))
    return {h['hypervisor_hostname']: h for h in resp.json['hypervisors']}


def test_list_at_2_1_has_integer_ids(service):
    resp = service.app.get('/v2.1/os-hypervisors', headers=headers())
    hypervisors = resp.json['hypervisors']
    assert [h['hypervisor_hostname'] for h in hypervisors] == [
        'compute1', 'compute2', 'compute3']
    for hypervisor in hypervisors:
        assert set(hypervisor) == SUMMARY_FIELDS
        assert isinstance(hypervisor['id'], int)
        assert (hypervisor['state'], hypervisor['status']) == ('up', 'enabled')


def capacity(service, host) -> dict:
    """The host's resources as migrator's own API shows them."""
    return service.app.get('/migrator/capacity/%s' % host,
                           headers=headers()).json['host']['resources']


def reserved(service, hypervisor, resource_class) -> int:
    return capacity(service, hypervisor['hypervisor_hostname'])[
        resource_class]['reserved']


def test_detail_shows_capacity_and_only_reserved_use_when_empty(service):
    for name, hypervisor in detail(service).items():
        assert DETAIL_FIELDS <= set(hypervisor)
        assert (hypervisor['vcpus'], hypervisor['memory_mb'],
                hypervisor['local_gb']) == (16, 32768, 500)
        ram = reserved(service, hypervisor, 'MEMORY_MB')
        disk = reserved(service, hypervisor, 'DISK_GB')
        assert (hypervisor['vcpus_used'], hypervisor['memory_mb_used'],
                hypervisor['local_gb_used'], hypervisor['running_vms']) == (
                    0, ram, disk, 0)
        assert hypervisor['free_ram_mb'] == 32768 - ram
        assert hypervisor['free_disk_gb'] == 500 - disk
        assert hypervisor['service']['host'] == name
        assert isinstance(hypervisor['service']['id'], int)
        assert hypervisor['service']['disabled_reason'] is None


def test_usage_follows_allocations(service):
    server_id = service.boot(flavor='2')
    host = service.show(server_id)['OS-EXT-SRV-ATTR:host']
    hypervisors = detail(service)
    used = hypervisors[host]
    ram, disk = reserved(service, used, 'MEMORY_MB'), reserved(service, used, 'DISK_GB')
    assert (used['vcpus_used'], used['memory_mb_used'], used['local_gb_used'],
            used['running_vms']) == (1, ram + 2048, disk + 20, 1)
    assert used['free_ram_mb'] == 32768 - ram - 2048
    assert used['free_disk_gb'] == 500 - disk - 20
    memory = capacity(service, host)['MEMORY_MB']
    assert (memory['used'], memory['free']) == (2048, memory['capacity'] - 2048)
    for other, hypervisor in hypervisors.items():
        if other != host:
            assert hypervisor['memory_mb_used'] == reserved(service, hypervisor,
                                                            'MEMORY_MB')
    all_reserved = sum(reserved(service, h, 'MEMORY_MB') for h in hypervisors.values())
    stats = service.app.get('/v2.1/os-hypervisors/statistics',
                            headers=headers()).json['hypervisor_statistics']
    assert stats['count'] == 3
    assert (stats['vcpus'], stats['memory_mb'], stats['local_gb']) == (48, 98304, 1500)
    assert (stats['vcpus_used'], stats['memory_mb_used'], stats['running_vms']) == (
        1, all_reserved + 2048, 1)
    assert stats['free_ram_mb'] == 98304 - all_reserved - 2048
    service.app.delete('/v2.1/servers/%s' % server_id, headers=headers())
    assert detail(service)[host]['memory_mb_used'] == ram


def test_show_by_integer_id_then_by_uuid_from_2_53(service):
    old = detail(service)['compute2']
    shown = service.app.get('/v2.1/os-hypervisors/%d' % old['id'],
                            headers=headers()).json['hypervisor']
    assert shown == old
    new = detail(service, '2.53')['compute2']
    assert uuidutils.is_uuid_like(new['id'])
    assert uuidutils.is_uuid_like(new['service']['id'])
    shown = service.app.get('/v2.1/os-hypervisors/%s' % new['id'],
                            headers=headers(version='2.53')).json['hypervisor']
    assert shown['hypervisor_hostname'] == 'compute2'
    service.app.get('/v2.1/os-hypervisors/%s' % new['id'], headers=headers(),
                    status=404)
    resp = service.app.get('/v2.1/os-hypervisors/%d' % old['id'],
                           headers=headers(version='2.53'), status=400)
    assert resp.json['badRequest']['message'] == 'Invalid uuid %d' % old['id']


def test_cpu_info_is_an_object_from_2_28(service):
    assert detail(service, '2.27')['compute1']['cpu_info'] == '{}'
    assert detail(service, '2.28')['compute1']['cpu_info'] == {}


def test_hostname_pattern_from_2_53(service):
    resp = service.app.get('/v2.1/os-hypervisors?hypervisor_hostname_pattern=pute2',
                           headers=headers(version='2.53'))
    assert [h['hypervisor_hostname'] for h in resp.json['hypervisors']] == ['compute2']
    detailed = service.app.get(
        '/v2.1/os-hypervisors/detail?hypervisor_hostname_pattern=compute',
        headers=headers(version='2.53')).json['hypervisors']
    assert len(detailed) == 3
    missing = service.app.get('/v2.1/os-hypervisors?hypervisor_hostname_pattern=zz',
                              headers=headers(version='2.53'), status=404)
    assert "No hypervisor matching 'zz'" in missing.json['itemNotFound']['message']
    # Before 2.53 the parameter means nothing.
    old = service.app.get('/v2.1/os-hypervisors?hypervisor_hostname_pattern=zz',
                          headers=headers(version='2.52')).json['hypervisors']
    assert len(old) == 3


def test_with_servers_from_2_53(service):
    server_id = service.boot(name='listed')
    host = service.show(server_id)['OS-EXT-SRV-ATTR:host']
    hypervisors = service.app.get('/v2.1/os-hypervisors?with_servers=true',
                                  headers=headers(version='2.53')).json['hypervisors']
    for hypervisor in hypervisors:
        if hypervisor['hypervisor_hostname'] == host:
            assert hypervisor['servers'] == [{'name': 'listed', 'uuid': server_id}]
        else:
            assert 'servers' not in hypervisor
    node = detail(service, '2.53')[host]
    shown = service.app.get('/v2.1/os-hypervisors/%s?with_servers=1' % node['id'],
                            headers=headers(version='2.53')).json['hypervisor']
    assert shown['servers'] == [{'name': 'listed', 'uuid': server_id}]
    plain = service.app.get('/v2.1/os-hypervisors/%s' % node['id'],
                            headers=headers(version='2.53')).json['hypervisor']
    assert 'servers' not in plain


@pytest.mark.parametrize('version', ['2.33', '2.53'])
def test_paging_from_2_33(service, version):
    everything = [h['id'] for h in service.app.get(
        '/v2.1/os-hypervisors', headers=headers(version=version)).json['hypervisors']]
    first = service.app.get('/v2.1/os-hypervisors/detail?limit=2',
                            headers=headers(version=version)).json
    assert [h['id'] for h in first['hypervisors']] == everything[:2]
    (link,) = first['hypervisors_links']
    assert link['href'].startswith('http://localhost:80/v2.1/os-hypervisors/detail?')
    rest = service.app.get(link['href'][len('http://localhost:80'):],
                           headers=headers(version=version)).json
    assert [h['id'] for h in rest['hypervisors']] == everything[2:]
    assert 'hypervisors_links' not in rest


def test_paging_is_ignored_before_2_33(service):
    resp = service.app.get('/v2.1/os-hypervisors?limit=1&marker=nothing',
                           headers=headers(version='2.32'))
    assert len(resp.json['hypervisors']) == 3
    assert 'hypervisors_links' not in resp.json


def test_state_and_status_follow_the_compute_service(service):
    service.app.put_json('/v2.1/os-services/disable-log-reason', {
        'host': 'compute3', 'binary': 'migrator-compute',
        'disabled_reason': 'disk swap'}, headers=headers())
    service.app.put_json('/v2.1/os-services/force-down', {
        'host': 'compute3', 'binary': 'migrator-compute', 'forced_down': True},
        headers=headers(version='2.11'))
    compute3 = detail(service)['compute3']
    assert (compute3['state'], compute3['status']) == ('down', 'disabled')
    assert compute3['service']['disabled_reason'] == 'disk swap'
    assert detail(service)['compute1']['status'] == 'enabled'


@pytest.mark.parametrize('path', ['/v2.1/os-hypervisors', '/v2.1/os-hypervisors/detail',
                                  '/v2.1/os-hypervisors/statistics',
                                  '/v2.1/os-hypervisors/1'])
def test_admin_only(service, path):
    resp = service.app.get(path, headers=headers('alice:project-a'), status=403)
    assert 'os_compute_api:os-hypervisors' in resp.json['forbidden']['message']


def test_uptime_of_a_host_whose_service_is_down_is_400(service):
    """As Nova: the compute cannot be asked, a 400 with Nova's wording."""
    hypervisor = service.app.get('/v2.1/os-hypervisors', headers=headers(
        version='2.56')).json['hypervisors'][0]
    ops.update_service(service, hypervisor['hypervisor_hostname'], forced_down=True)
    try:
        resp = service.app.get('/v2.1/os-hypervisors/%s/uptime' % hypervisor['id'],
                               headers=headers(version='2.56'), status=400)
        assert resp.json['badRequest']['message'] == (
            'Compute service of %s is unavailable at this time.'
            % hypervisor['hypervisor_hostname'])
    finally:
        ops.update_service(service, hypervisor['hypervisor_hostname'], forced_down=False)
    uptime = service.app.get('/v2.1/os-hypervisors/%s/uptime' % hypervisor['id'],
                             headers=headers(version='2.56')).json['hypervisor']
    assert ' up 0 days, ' in uptime['uptime']
