"""os-server-groups: create, list, show, delete, and who may see them."""

import pytest

from tests.fixtures import headers

OWNER = 'alice:project-a'
STRANGER = 'bob:project-b'


def create(service, name='group', policy='anti-affinity', token=OWNER, version=None):
    return service.app.post_json('/v2.1/os-server-groups', {'server_group': {
        'name': name, 'policies': [policy]}}, headers=headers(token, version))


def group_url(group_id):
    return '/v2.1/os-server-groups/%s' % group_id


@pytest.mark.parametrize('policy', ['affinity', 'anti-affinity'])
def test_create_and_show(service, policy):
    resp = create(service, name='web', policy=policy)
    assert resp.status_int == 200
    group = resp.json['server_group']
    assert set(group) == {'id', 'name', 'policies', 'members', 'metadata'}
    assert (group['name'], group['policies'], group['members'], group['metadata']) == (
        'web', [policy], [], {})
    shown = service.app.get(group_url(group['id']), headers=headers(OWNER)).json
    assert shown == {'server_group': group}


def test_owner_fields_from_2_13(service):
    group = create(service, version='2.13').json['server_group']
    assert (group['project_id'], group['user_id']) == ('project-a', 'alice')
    old = service.app.get(group_url(group['id']), headers=headers(OWNER, '2.12')).json
    assert 'project_id' not in old['server_group']


def test_members_are_the_servers_booted_into_it(service):
    group_id = create(service).json['server_group']['id']
    first = service.boot(name='a', token=OWNER, hints={'group': group_id})
    second = service.boot(name='b', token=OWNER, hints={'group': group_id})
    members = service.app.get(group_url(group_id), headers=headers(OWNER)).json[
        'server_group']['members']
    assert sorted(members) == sorted([first, second])
    service.app.delete('/v2.1/servers/%s' % first, headers=headers(OWNER))
    members = service.app.get(group_url(group_id), headers=headers(OWNER)).json[
        'server_group']['members']
    assert members == [second]


def test_list_is_per_project_unless_admin_asks_for_all(service):
    mine = create(service, name='mine').json['server_group']['id']
    theirs = create(service, name='theirs', token=STRANGER).json['server_group']['id']

    def listed(token, query=''):
        resp = service.app.get('/v2.1/os-server-groups' + query, headers=headers(token))
        return [g['id'] for g in resp.json['server_groups']]
    assert listed(OWNER) == [mine]
    assert listed(STRANGER) == [theirs]
    assert listed('admin:admin') == []
    assert listed('admin:admin', '?all_projects=true') == [mine, theirs]
    assert listed('admin:admin', '?all_projects') == [mine, theirs]
    assert listed('admin:admin', '?all_projects=false') == []
    resp = service.app.get('/v2.1/os-server-groups?all_projects=1',
                           headers=headers(OWNER), status=403)
    assert 'all_projects' in resp.json['forbidden']['message']


def test_paging_with_limit_and_offset(service):
    ids = [create(service, name='g%d' % i).json['server_group']['id'] for i in range(4)]

    def page(query):
        resp = service.app.get('/v2.1/os-server-groups' + query, headers=headers(OWNER))
        return [g['id'] for g in resp.json['server_groups']]
    assert page('?limit=2') == ids[:2]
    assert page('?limit=2&offset=2') == ids[2:]
    assert page('?offset=3') == ids[3:]


def test_another_projects_group_is_404(service):
    group_id = create(service).json['server_group']['id']
    for resp in (
            service.app.get(group_url(group_id), headers=headers(STRANGER), status=404),
            service.app.delete(group_url(group_id), headers=headers(STRANGER),
                               status=404)):
        assert resp.json['itemNotFound']['message'] == (
            'Server group %s could not be found.' % group_id)
    refused = service.app.post_json('/v2.1/servers', {
        'server': {'name': 'x', 'flavorRef': '1'},
        'os:scheduler_hints': {'group': group_id}}, headers=headers(STRANGER),
        status=400)
    assert group_id in refused.json['badRequest']['message']
    service.app.get(group_url(group_id), headers=headers(OWNER), status=200)
    service.app.get(group_url(group_id), headers=headers(), status=200)


def test_delete(service):
    group_id = create(service).json['server_group']['id']
    service.boot(token=OWNER, hints={'group': group_id})
    resp = service.app.delete(group_url(group_id), headers=headers(OWNER))
    assert resp.status_int == 204
    service.app.get(group_url(group_id), headers=headers(OWNER), status=404)
    service.app.delete(group_url(group_id), headers=headers(OWNER), status=404)
    assert service.app.get('/v2.1/os-server-groups',
                           headers=headers(OWNER)).json == {'server_groups': []}
