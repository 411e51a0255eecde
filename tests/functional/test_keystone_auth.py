"""auth_strategy = keystone: keystonemiddleware's auth_token in front of the
API, exercised with its own test fixture (no Keystone server needed)."""

import pytest
import webtest
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
    assert client.get('/').json['versions'][0]['id'] == 'v2.1'
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
