"""Servers: create, list, detail, show, delete, as a user sees them."""

import pytest
import sqlalchemy as sa

from migrator.db import models
from tests.fixtures import headers

OWNER = 'alice:project-a'
STRANGER = 'bob:project-b'
MISSING = 'f6a1e0a4-6f43-4f0a-9a47-5b8d1e9d6c11'


def usage(service) -> dict:
    """memory_mb_used per host, from os-hypervisors/detail."""
    resp = service.app.get('/v2.1/os-hypervisors/detail', headers=headers())
    return {h['hypervisor_hostname']: h['memory_mb_used']
            for h in resp.json['hypervisors']}


def create(service, token=OWNER, version=None, **server):
    server.setdefault('name', 'web')
    server.setdefault('flavorRef', '1')
    return service.app.post_json('/v2.1/servers', {'server': server},
                                 headers=headers(token, version))


def test_create_is_202_with_location_and_becomes_active(service):
    before = usage(service)
    resp = create(service)
    assert resp.status_int == 202
    server = resp.json['server']
    assert set(server) == {'id', 'links', 'OS-DCF:diskConfig', 'security_groups',
                           'adminPass'}
    self_link = 'http://localhost:80/v2.1/servers/%s' % server['id']
    assert resp.headers['Location'] == self_link
    assert {'rel': 'self', 'href': self_link} in server['links']
    first = service.show(server['id'], token=OWNER)
    assert first['status'] in ('BUILD', 'ACTIVE')
    active = service.wait_status(server['id'], 'ACTIVE', token=OWNER)
    assert active['OS-EXT-STS:vm_state'] == 'active'
    assert active['OS-EXT-STS:power_state'] == 1
    assert active['OS-SRV-USG:launched_at']
    host = service.show(server['id'])['OS-EXT-SRV-ATTR:host']
    assert host in ('compute1', 'compute2', 'compute3')
    after = usage(service)
    assert after[host] == before[host] + 512


def test_image_and_networks_are_optional_and_stored(service):
    image = '70a599e0-31e7-49b7-b260-868f441e862b'
    network = 'b1a1b2c3-0000-4000-8000-000000000001'
    resp = create(service, imageRef=image, networks=[{'uuid': network}])
    server_id = resp.json['server']['id']
    server = service.wait_status(server_id, 'ACTIVE', token=OWNER)
    assert server['image']['id'] == image
    stored = service.db.read(lambda s: s.scalar(
        sa.select(models.Instance.networks).where(models.Instance.uuid == server_id)))
    assert stored == [{'uuid': network}]
    bare = create(service, name='bare').json['server']['id']
    assert service.wait_status(bare, 'ACTIVE', token=OWNER)['image'] == ''


def test_boot_that_fits_nowhere_ends_in_error_with_the_reason(service):
    service.app.post_json('/v2.1/flavors', {'flavor': {
        'name': 'enormous', 'id': 'enormous', 'ram': 10 ** 7, 'vcpus': 1,
        'disk': 1}}, headers=headers())
    before = usage(service)
    server_id = create(service, flavorRef='enormous').json['server']['id']
    server = service.wait_status(server_id, 'ERROR', token=OWNER)
    assert server['OS-EXT-STS:vm_state'] == 'error'
    assert 'No valid host' in server['fault']['message']
    assert '0/3 hosts: 3 CapacityFilter (MEMORY_MB)' in server['fault']['message']
    assert 'details' not in server['fault']
    # A detailed list shows the fault as a show does, and none for the
    # servers that have none.
    listed = {s['id']: s for s in service.app.get(
        '/v2.1/servers/detail', headers=headers(OWNER)).json['servers']}
    assert listed[server_id]['fault'] == server['fault']
    assert all('fault' not in s for id_, s in listed.items() if id_ != server_id)
    assert usage(service) == before
    # The owner can still delete it.
    service.app.delete('/v2.1/servers/%s' % server_id, headers=headers(OWNER),
                       status=204)


def statistics(service) -> dict:
    return service.app.get('/v2.1/os-hypervisors/statistics',
                           headers=headers()).json['hypervisor_statistics']


def test_delete_frees_the_allocation(service):
    empty = statistics(service)
    server_id = service.boot(token=OWNER)
    host = service.show(server_id)['OS-EXT-SRV-ATTR:host']
    with_server = usage(service)[host]
    resp = service.app.delete('/v2.1/servers/%s' % server_id, headers=headers(OWNER))
    assert resp.status_int == 204
    assert usage(service)[host] == with_server - 512
    service.app.get('/v2.1/servers/%s' % server_id, headers=headers(OWNER), status=404)
    assert statistics(service) == empty


def test_another_projects_server_is_404_everywhere(service):
    server_id = service.boot(token=OWNER)
    path = '/v2.1/servers/%s' % server_id
    for resp in (
            service.app.get(path, headers=headers(STRANGER), status=404),
            service.app.delete(path, headers=headers(STRANGER), status=404),
            service.app.post_json(path + '/action', {'os-stop': None},
                                  headers=headers(STRANGER), status=404),
            service.app.post_json(path + '/action', {'lock': None},
                                  headers=headers(STRANGER), status=404)):
        assert resp.json['itemNotFound']['message'] == (
            'Instance %s could not be found.' % server_id)
    assert service.show(server_id, token=OWNER)['status'] == 'ACTIVE'


def test_lists_show_only_the_callers_project(service):
    mine = service.boot(name='mine', token=OWNER)
    theirs = service.boot(name='theirs', token=STRANGER)
    for path in ('/v2.1/servers', '/v2.1/servers/detail'):
        listed = service.app.get(path, headers=headers(OWNER)).json['servers']
        assert [s['id'] for s in listed] == [mine]
    everyone = service.app.get('/v2.1/servers/detail?all_tenants=1',
                               headers=headers()).json['servers']
    assert {s['id'] for s in everyone} == {mine, theirs}
    only_b = service.app.get('/v2.1/servers?all_tenants=true&project_id=project-b',
                             headers=headers()).json['servers']
    assert [s['id'] for s in only_b] == [theirs]
    resp = service.app.get('/v2.1/servers?all_tenants=1', headers=headers(OWNER),
                           status=403)
    assert 'get_all_tenants' in resp.json['forbidden']['message']


def test_list_summary_and_detail_shapes(service):
    server_id = service.boot(name='shape', token=OWNER)
    (summary,) = service.app.get('/v2.1/servers', headers=headers(OWNER)).json['servers']
    assert set(summary) == {'id', 'name', 'links'}
    assert summary['name'] == 'shape'
    (detail,) = service.app.get('/v2.1/servers/detail',
                                headers=headers(OWNER)).json['servers']
    assert detail == service.show(server_id, token=OWNER, version='2.1')


def test_paging_with_limit_and_marker(service):
    ids = [service.boot(name='page%d' % i, token=OWNER) for i in range(5)]
    newest_first = list(reversed(ids))
    for path in ('/v2.1/servers', '/v2.1/servers/detail'):
        seen, url = [], path + '?limit=2'
        while url:
            resp = service.app.get(url, headers=headers(OWNER)).json
            seen += [s['id'] for s in resp['servers']]
            links = resp.get('servers_links', [])
            if links:
                (link,) = links
                assert link['rel'] == 'next'
                assert link['href'].startswith('http://localhost:80%s?' % path)
                assert 'marker=%s' % resp['servers'][-1]['id'] in link['href']
                url = link['href'][len('http://localhost:80'):]
            else:
                url = None
        assert seen == newest_first
    last_page = service.app.get('/v2.1/servers?limit=2&marker=%s' % newest_first[3],
                                headers=headers(OWNER)).json
    assert [s['id'] for s in last_page['servers']] == [newest_first[4]]
    assert 'servers_links' not in last_page


def test_filters(service):
    service.app.post_json('/v2.1/flavors', {'flavor': {
        'name': 'roomy', 'id': 'roomy', 'ram': 1024, 'vcpus': 1, 'disk': 1}},
        headers=headers())
    small = service.boot(name='db-small', token=OWNER)
    roomy = service.boot(name='web-roomy', flavor='roomy', token=OWNER)
    service.action(small, {'os-stop': None}, token=OWNER, status=202)
    service.wait_status(small, 'SHUTOFF', token=OWNER)

    def listed(query, token=OWNER):
        resp = service.app.get('/v2.1/servers?' + query, headers=headers(token))
        return {s['id'] for s in resp.json['servers']}
    assert listed('status=ACTIVE') == {roomy}
    assert listed('status=shutoff') == {small}
    assert listed('status=ERROR') == set()
    assert listed('name=web') == {roomy}
    assert listed('flavor=roomy') == {roomy}
    assert listed('flavor=1') == {small}
    host = service.show(roomy)['OS-EXT-SRV-ATTR:host']
    on_host = listed('all_tenants=1&host=%s' % host, token='admin:admin')
    assert roomy in on_host and all(
        service.show(s)['OS-EXT-SRV-ATTR:host'] == host for s in on_host)


# -- fields per microversion -------------------------------------------------

FLAVOR_LINK_FIELDS = {'id', 'links'}
EMBEDDED_FLAVOR_FIELDS = {'vcpus', 'ram', 'disk', 'ephemeral', 'swap',
                          'original_name', 'extra_specs'}


@pytest.mark.parametrize('version, locked, description, tags, embedded', [
    ('2.1', False, False, False, False),
    ('2.8', False, False, False, False),
    ('2.9', True, False, False, False),
    ('2.19', True, True, False, False),
    ('2.26', True, True, True, False),
    ('2.46', True, True, True, False),
    ('2.47', True, True, True, True),
    ('2.56', True, True, True, True),
])
def test_fields_at_each_microversion(service, version, locked, description, tags,
                                     embedded):
    server_id = service.boot(token=OWNER)
    resp = service.app.get('/v2.1/servers/%s' % server_id,
                           headers=headers(OWNER, version))
    assert resp.headers['OpenStack-API-Version'] == 'compute %s' % version
    server = resp.json['server']
    assert ('locked' in server) is locked
    assert ('description' in server) is description
    assert ('tags' in server) is tags
    flavor_fields = EMBEDDED_FLAVOR_FIELDS if embedded else FLAVOR_LINK_FIELDS
    assert set(server['flavor']) == flavor_fields
    for field in ('status', 'OS-EXT-STS:vm_state', 'OS-EXT-STS:task_state',
                  'OS-EXT-STS:power_state', 'OS-EXT-AZ:availability_zone',
                  'tenant_id', 'user_id', 'hostId', 'created', 'updated'):
        assert field in server, field
    assert not any(key.startswith('OS-EXT-SRV-ATTR:') for key in server)


def test_embedded_flavor_carries_the_values_and_extra_specs(service):
    service.app.post_json('/v2.1/flavors', {'flavor': {
        'name': 'special', 'id': 'special', 'ram': 768, 'vcpus': 2, 'disk': 3,
        'OS-FLV-EXT-DATA:ephemeral': 1, 'swap': 128}}, headers=headers())
    service.app.post_json('/v2.1/flavors/special/os-extra_specs',
                          {'extra_specs': {'hw:cpu_policy': 'shared'}},
                          headers=headers())
    server_id = service.boot(flavor='special', token=OWNER)
    flavor = service.show(server_id, token=OWNER, version='2.47')['flavor']
    assert flavor == {'vcpus': 2, 'ram': 768, 'disk': 3, 'ephemeral': 1, 'swap': 128,
                      'original_name': 'special',
                      'extra_specs': {'hw:cpu_policy': 'shared'}}
    linked = service.show(server_id, token=OWNER, version='2.46')['flavor']
    assert linked == {'id': 'special', 'links': [
        {'rel': 'bookmark', 'href': 'http://localhost:80/flavors/special'}]}


def test_host_attributes_only_for_admins(service):
    server_id = service.boot(token=OWNER)
    admin_view = service.show(server_id, version='2.3')
    assert admin_view['OS-EXT-SRV-ATTR:host'] in ('compute1', 'compute2', 'compute3')
    assert admin_view['OS-EXT-SRV-ATTR:hypervisor_hostname'] == \
        admin_view['OS-EXT-SRV-ATTR:host']
    assert admin_view['OS-EXT-SRV-ATTR:instance_name'].startswith('instance-')
    assert 'OS-EXT-SRV-ATTR:reservation_id' in admin_view
    assert 'OS-EXT-SRV-ATTR:reservation_id' not in service.show(server_id,
                                                                 version='2.2')
    assert service.show(server_id, version='2.16')['host_status'] == 'UP'
    owner_view = service.show(server_id, token=OWNER, version='2.56')
    assert 'host_status' not in owner_view
    assert not any(key.startswith('OS-EXT-SRV-ATTR:') for key in owner_view)
    assert owner_view['OS-EXT-AZ:availability_zone'] == 'nova'
    assert owner_view['hostId'] and owner_view['hostId'] != admin_view['OS-EXT-SRV-ATTR:host']


def test_description_from_2_19(service):
    resp = create(service, version='2.19', description='the web tier')
    server_id = resp.json['server']['id']
    service.wait_status(server_id, 'ACTIVE', token=OWNER)
    assert service.show(server_id, token=OWNER, version='2.19')['description'] == \
        'the web tier'
    undescribed = service.boot(token=OWNER)
    assert service.show(undescribed, token=OWNER, version='2.19')['description'] is None
    refused = service.app.post_json('/v2.1/servers', {'server': {
        'name': 'x', 'flavorRef': '1', 'description': 'd'}},
        headers=headers(OWNER, '2.18'), status=400)
    assert 'description' in refused.json['badRequest']['message']


def test_multiple_create_and_reservation_id(service):
    resp = create(service, name='batch', min_count=2, max_count=3,
                  return_reservation_id=True)
    reservation = resp.json['reservation_id']
    assert reservation
    names = {}
    for server in service.app.get('/v2.1/servers/detail',
                                  headers=headers(OWNER)).json['servers']:
        names[server['name']] = server['id']
    assert set(names) == {'batch-1', 'batch-2', 'batch-3'}
    for server_id in names.values():
        service.wait_status(server_id, 'ACTIVE', token=OWNER)
        admin_view = service.show(server_id, version='2.3')
        assert admin_view['OS-EXT-SRV-ATTR:reservation_id'] == reservation


def test_unknown_flavor_is_400(service):
    resp = service.app.post_json('/v2.1/servers', {'server': {
        'name': 'x', 'flavorRef': 'nope'}}, headers=headers(OWNER), status=400)
    assert resp.json['badRequest']['message'] == 'Flavor nope could not be found.'
    assert service.app.get('/v2.1/servers', headers=headers(OWNER)).json == {
        'servers': []}


def test_create_with_flavor_link_as_reference(service):
    resp = create(service, flavorRef='http://localhost:80/flavors/2')
    server_id = resp.json['server']['id']
    service.wait_status(server_id, 'ACTIVE', token=OWNER)
    assert service.show(server_id, token=OWNER, version='2.1')['flavor']['id'] == '2'
    assert service.show(server_id, token=OWNER)['flavor']['original_name'] == 'm1.small'


def test_name_filter_takes_wildcards_literally(service):
    service.boot(name='web_1', token=OWNER)
    service.boot(name='webx1', token=OWNER)

    def listed(name):
        resp = service.app.get('/v2.1/servers', params={'name': name},
                               headers=headers(OWNER))
        return {s['name'] for s in resp.json['servers']}
    assert listed('web_1') == {'web_1'}
    assert listed('%') == set()
    assert listed('x1') == {'webx1'}
