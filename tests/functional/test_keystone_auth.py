"""auth_strategy = keystone: keystonemiddleware's auth_token in front of the
API, exercised with its own test fixture (no Keystone server needed)."""

import pytest
import webtest
from keystoneauth1 import fixture as ks_fixture
from keystonemiddleware import fixture as ksm_fixture

from migrator.api import app


@pytest.fixture
def keystone_app(service):
    tokens = ksm_fixture.AuthTokenFixture()
    tokens.setUp()
    service.conf.set_override('auth_strategy', 'keystone', group='api')
    service.conf.set_override('www_authenticate_uri', 'https://keystone.example/v3',
                              group='keystone_authtoken')
    client = webtest.TestApp(app.create_app(service.conf, service.db,
                                            service.dep.messaging))
    yield client, tokens
    tokens.cleanUp()


def _headers(token):
    return {'X-Auth-Token': token, 'OpenStack-API-Version': 'compute 2.56'}


def test_no_token_is_401_but_versions_are_open(keystone_app):
    client, _tokens = keystone_app
    client.get('/v2.1/servers', status=401)
    client.get('/v2.1/servers', headers={'X-Auth-Token': 'bogus'}, status=401)
    assert [v['id'] for v in client.get('/').json['versions']] == ['v2.0', 'v2.1']
    assert client.get('/v2.1/').json['version']['version'] == '2.56'


def test_roles_come_from_the_token(service, keystone_app):
    client, tokens = keystone_app
    admin, member = 'token-admin', 'token-alice'
    tokens.add_token_data(token_id=admin, user_id='u-admin', project_id='p-ops',
                          role_list=['admin', 'member'])
    tokens.add_token_data(token_id=member, user_id='u-alice', project_id='p-web',
                          role_list=['member', 'reader'])
    created = client.post_json('/v2.1/servers',
                               {'server': {'name': 'web1', 'flavorRef': '1'}},
                               headers=_headers(member), status=202)
    server_id = created.json['server']['id']
    service.wait_status(server_id, 'ACTIVE')
    shown = client.get('/v2.1/servers/%s' % server_id, headers=_headers(member)).json
    assert shown['server']['tenant_id'] == 'p-web'
    assert shown['server']['user_id'] == 'u-alice'
    assert 'OS-EXT-SRV-ATTR:host' not in shown['server']
    client.get('/v2.1/os-hypervisors', headers=_headers(member), status=403)
    client.post_json('/v2.1/servers/%s/action' % server_id, {'migrate': None},
                     headers=_headers(member), status=403)
    assert client.get('/v2.1/os-hypervisors', headers=_headers(admin)).json[
        'hypervisors']
    client.post_json('/v2.1/servers/%s/action' % server_id,
                     {'migrate': {'host': None}}, headers=_headers(admin), status=202)
    service.wait_status(server_id, 'VERIFY_RESIZE')
    # The request id of the migrate is the one the instance action recorded.
    actions = client.get('/v2.1/servers/%s/os-instance-actions' % server_id,
                         headers=_headers(member)).json['instanceActions']
    assert [a['action'] for a in actions] == ['migrate', 'create']
    assert actions[0]['user_id'] == 'u-admin'


def test_a_reader_token_reads_but_does_not_write(service, keystone_app):
    """The issue's measurement: a Keystone token with only the reader role
    created a server (202). Now a reader reads and is refused every change."""
    client, tokens = keystone_app
    tokens.add_token_data(token_id='tok-rita', user_id='u-rita', project_id='p-web',
                          role_list=['reader'])
    owner = 'tok-owner'
    tokens.add_token_data(token_id=owner, user_id='u-owner', project_id='p-web',
                          role_list=['member', 'reader'])
    server_id = client.post_json('/v2.1/servers', {'server': {
        'name': 'web2', 'flavorRef': '1'}}, headers=_headers(owner),
        status=202).json['server']['id']
    service.wait_status(server_id, 'ACTIVE')
    reader = _headers('tok-rita')
    resp = client.post_json('/v2.1/servers', {'server': {
        'name': 'nope', 'flavorRef': '1'}}, headers=reader, status=403)
    assert 'os_compute_api:servers:create' in resp.json['forbidden']['message']
    assert [s['id'] for s in client.get('/v2.1/servers', headers=reader).json[
        'servers']] == [server_id]
    client.get('/v2.1/servers/%s' % server_id, headers=reader, status=200)
    client.post_json('/v2.1/servers/%s/action' % server_id, {'os-stop': None},
                     headers=reader, status=403)
    client.delete('/v2.1/servers/%s' % server_id, headers=reader, status=403)


def test_a_manager_token_moves_servers_without_naming_hosts(service, keystone_app):
    client, tokens = keystone_app
    # Keystone sends the roles a role implies along with it.
    tokens.add_token_data(token_id='tok-mia', user_id='u-mia', project_id='p-ops',
                          role_list=['manager', 'member', 'reader'])
    manager = _headers('tok-mia')
    server_id = client.post_json('/v2.1/servers', {'server': {
        'name': 'db1', 'flavorRef': '1'}}, headers=manager,
        status=202).json['server']['id']
    service.wait_status(server_id, 'ACTIVE')
    url = '/v2.1/servers/%s/action' % server_id
    resp = client.post_json(url, {'migrate': {'host': 'compute2'}}, headers=manager,
                            status=403)
    assert 'os_compute_api:os-migrate-server:migrate:host' in resp.text
    client.post_json(url, {'migrate': None}, headers=manager, status=202)
    service.wait_status(server_id, 'VERIFY_RESIZE')
    client.post_json(url, {'confirmResize': None}, headers=manager, status=204)
    service.wait_status(server_id, 'ACTIVE')


def test_a_system_scoped_token_is_refused(keystone_app):
    """Every rule is project-scoped, as in Nova: an administrator's
    system-scoped token gets 403, not the cloud."""
    client, tokens = keystone_app
    token = ks_fixture.V3Token(user_id='u-cloud')
    token.set_system_scope()
    token.add_role(name='admin')
    tokens.add_token(token, token_id='tok-system')
    client.get('/v2.1/os-hypervisors', headers=_headers('tok-system'), status=403)
    client.get('/v2.1/servers', headers=_headers('tok-system'), status=403)
