"""Flavors and their extra specs, as an admin manages them and a user reads them."""

import pytest
from oslo_utils import uuidutils

from tests.fixtures import headers

USER = 'alice:project-a'
DETAIL_FIELDS = {'id', 'name', 'links', 'ram', 'vcpus', 'disk',
                 'OS-FLV-EXT-DATA:ephemeral', 'swap', 'rxtx_factor',
                 'os-flavor-access:is_public', 'OS-FLV-DISABLED:disabled'}


def create(service, token='admin:admin', version=None, status=None, **flavor):
    flavor.setdefault('ram', 256)
    flavor.setdefault('vcpus', 1)
    flavor.setdefault('disk', 1)
    return service.app.post_json('/v2.1/flavors', {'flavor': flavor},
                                 headers=headers(token, version), status=status)


def test_default_flavors_list_detail_and_show(service):
    listed = service.app.get('/v2.1/flavors', headers=headers(USER)).json['flavors']
    assert [f['id'] for f in listed] == ['1', '2', '3', '4', '5']
    assert [f['name'] for f in listed][:2] == ['m1.tiny', 'm1.small']
    assert all(set(f) == {'id', 'name', 'links'} for f in listed)
    assert listed[0]['links'] == [
        {'rel': 'self', 'href': 'http://localhost:80/v2.1/flavors/1'},
        {'rel': 'bookmark', 'href': 'http://localhost:80/flavors/1'}]
    detailed = service.app.get('/v2.1/flavors/detail',
                               headers=headers(USER)).json['flavors']
    assert all(set(f) == DETAIL_FIELDS for f in detailed)
    tiny = service.app.get('/v2.1/flavors/1', headers=headers(USER)).json['flavor']
    assert tiny == detailed[0]
    assert (tiny['ram'], tiny['vcpus'], tiny['disk']) == (512, 1, 1)
    assert tiny['swap'] == ''
    assert tiny['os-flavor-access:is_public'] is True


def test_admin_creates_with_an_explicit_id(service):
    resp = create(service, name='gold', id='gold', ram=2048, vcpus=2, disk=20,
                  swap=512, rxtx_factor=2.0, **{'OS-FLV-EXT-DATA:ephemeral': 5})
    assert resp.status_int == 200
    flavor = resp.json['flavor']
    assert set(flavor) == DETAIL_FIELDS
    assert (flavor['id'], flavor['name'], flavor['ram'], flavor['vcpus'],
            flavor['disk'], flavor['swap'], flavor['rxtx_factor'],
            flavor['OS-FLV-EXT-DATA:ephemeral']) == ('gold', 'gold', 2048, 2, 20,
                                                     512, 2.0, 5)
    shown = service.app.get('/v2.1/flavors/gold', headers=headers(USER)).json['flavor']
    assert shown == flavor


def test_admin_creates_without_an_id_and_numbers_as_strings(service):
    flavor = create(service, name='auto', ram='1024', vcpus='2', disk='0').json['flavor']
    assert uuidutils.is_uuid_like(flavor['id'])
    assert (flavor['ram'], flavor['vcpus'], flavor['disk']) == (1024, 2, 0)
    numeric = create(service, name='numeric', id=42).json['flavor']
    assert numeric['id'] == '42'


def test_duplicate_name_or_id_is_409(service):
    create(service, name='dup', id='dup-id')
    by_name = create(service, name='dup', id='other', status=409)
    assert by_name.json['conflictingRequest']['message'] == \
        'Flavor with name dup already exists.'
    by_id = create(service, name='other', id='dup-id', status=409)
    assert by_id.json['conflictingRequest']['message'] == \
        'Flavor with ID dup-id already exists.'


def test_users_may_not_create_or_delete(service):
    resp = create(service, token=USER, name='mine', status=403)
    assert 'os-flavor-manage:create' in resp.json['forbidden']['message']
    resp = service.app.delete('/v2.1/flavors/1', headers=headers(USER), status=403)
    assert 'os-flavor-manage:delete' in resp.json['forbidden']['message']
    service.app.get('/v2.1/flavors/1', headers=headers(USER), status=200)


def test_delete_keeps_servers_copy(service):
    create(service, name='short-lived', id='short-lived', ram=640)
    server_id = service.boot(flavor='short-lived', token=USER)
    resp = service.app.delete('/v2.1/flavors/short-lived', headers=headers())
    assert resp.status_int == 202
    service.app.get('/v2.1/flavors/short-lived', headers=headers(), status=404)
    assert service.show(server_id, token=USER)['flavor']['ram'] == 640
    service.app.delete('/v2.1/flavors/short-lived', headers=headers(), status=404)


def test_private_flavors_are_for_admins(service):
    create(service, name='secret', id='secret', **{'os-flavor-access:is_public': False})
    user_ids = {f['id'] for f in service.app.get(
        '/v2.1/flavors', headers=headers(USER)).json['flavors']}
    assert 'secret' not in user_ids
    service.app.get('/v2.1/flavors/secret', headers=headers(USER), status=404)
    refused = service.app.post_json('/v2.1/servers', {'server': {
        'name': 'x', 'flavorRef': 'secret'}}, headers=headers(USER), status=400)
    assert 'secret' in refused.json['badRequest']['message']

    def admin_ids(query):
        return {f['id'] for f in service.app.get(
            '/v2.1/flavors' + query, headers=headers()).json['flavors']}
    assert 'secret' not in admin_ids('')
    assert admin_ids('?is_public=false') == {'secret'}
    assert {'1', 'secret'} <= admin_ids('?is_public=none')
    assert service.app.get('/v2.1/flavors/secret', headers=headers()).json[
        'flavor']['os-flavor-access:is_public'] is False


def test_paging_and_filters(service):
    ids = [f['id'] for f in service.app.get('/v2.1/flavors',
                                            headers=headers()).json['flavors']]
    first = service.app.get('/v2.1/flavors/detail?limit=2', headers=headers()).json
    assert [f['id'] for f in first['flavors']] == ids[:2]
    (link,) = first['flavors_links']
    assert link['rel'] == 'next'
    assert link['href'].startswith('http://localhost:80/v2.1/flavors/detail?')
    rest = service.app.get(link['href'][len('http://localhost:80'):],
                           headers=headers()).json
    assert [f['id'] for f in rest['flavors']] == ids[2:4]
    last = service.app.get('/v2.1/flavors?marker=%s' % ids[3], headers=headers()).json
    assert [f['id'] for f in last['flavors']] == ids[4:]
    assert 'flavors_links' not in last
    big = service.app.get('/v2.1/flavors/detail?minRam=4096&minDisk=40',
                          headers=headers()).json['flavors']
    assert big and all(f['ram'] >= 4096 and f['disk'] >= 40 for f in big)
    by_name = service.app.get('/v2.1/flavors?sort_key=name&sort_dir=desc',
                              headers=headers()).json['flavors']
    names = [f['name'] for f in by_name]
    assert names == sorted(names, reverse=True)


def test_description_from_2_55(service):
    resp = create(service, version='2.55', name='described', id='described',
                  description='for web servers')
    assert resp.json['flavor']['description'] == 'for web servers'
    listed = service.app.get('/v2.1/flavors', headers=headers(USER, '2.55')).json
    assert {'id', 'name', 'links', 'description'} == set(listed['flavors'][0])
    assert service.app.get('/v2.1/flavors/1', headers=headers(USER, '2.55')).json[
        'flavor']['description'] is None
    assert 'description' not in service.app.get(
        '/v2.1/flavors/described', headers=headers(USER, '2.54')).json['flavor']
    updated = service.app.put_json('/v2.1/flavors/described', {'flavor': {
        'description': 'for databases'}}, headers=headers(version='2.55'))
    assert updated.json['flavor']['description'] == 'for databases'
    service.app.put_json('/v2.1/flavors/described', {'flavor': {
        'description': 'x'}}, headers=headers(version='2.54'), status=405)
    service.app.put_json('/v2.1/flavors/described', {'flavor': {
        'description': 'x'}}, headers=headers(USER, '2.55'), status=403)


# -- extra specs --------------------------------------------------------------

def specs_url(flavor_id, key=None):
    url = '/v2.1/flavors/%s/os-extra_specs' % flavor_id
    return url + '/' + key if key else url


def test_extra_specs_crud(service):
    create(service, name='tuned', id='tuned')
    assert service.app.get(specs_url('tuned'), headers=headers(USER)).json == {
        'extra_specs': {}}
    resp = service.app.post_json(specs_url('tuned'), {'extra_specs': {
        'hw:cpu_policy': 'dedicated', 'quota:cpu_shares': 2048, 'trusted': True}},
        headers=headers())
    assert resp.json == {'extra_specs': {'hw:cpu_policy': 'dedicated',
                                         'quota:cpu_shares': '2048',
                                         'trusted': 'True'}}
    assert service.app.get(specs_url('tuned'), headers=headers(USER)).json == resp.json
    assert service.app.get(specs_url('tuned', 'hw:cpu_policy'),
                           headers=headers(USER)).json == {'hw:cpu_policy': 'dedicated'}
    updated = service.app.put_json(specs_url('tuned', 'hw:cpu_policy'),
                                   {'hw:cpu_policy': 'shared'}, headers=headers())
    assert updated.json == {'hw:cpu_policy': 'shared'}
    resp = service.app.delete(specs_url('tuned', 'trusted'), headers=headers())
    assert resp.status_int == 200
    assert service.app.get(specs_url('tuned'), headers=headers()).json == {
        'extra_specs': {'hw:cpu_policy': 'shared', 'quota:cpu_shares': '2048'}}
    missing = service.app.get(specs_url('tuned', 'trusted'), headers=headers(),
                              status=404)
    assert 'trusted' in missing.json['itemNotFound']['message']


@pytest.mark.parametrize('method, key, body', [
    ('POST', None, {'extra_specs': {'a': 'b'}}),
    ('PUT', 'a', {'a': 'b'}),
    ('DELETE', 'a', None),
])
def test_users_may_read_but_not_change_extra_specs(service, method, key, body):
    service.app.post_json(specs_url('1'), {'extra_specs': {'a': 'b'}}, headers=headers())
    resp = service.app.request(specs_url('1', key), method=method,
                               json=body, headers=headers(USER), expect_errors=True)
    assert resp.status_int == 403
    assert service.app.get(specs_url('1'), headers=headers(USER)).json == {
        'extra_specs': {'a': 'b'}}


def test_extra_specs_of_a_missing_flavor_are_404(service):
    resp = service.app.post_json(specs_url('nope'), {'extra_specs': {'a': 'b'}},
                                 headers=headers(), status=404)
    assert resp.json['itemNotFound']['message'] == 'Flavor nope could not be found.'
