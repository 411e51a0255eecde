"""auth_strategy = keystone against a real Keystone (PyPI's keystone on
SQLite, tests/integration/keystone.py): tokens of every persona, the
catalog, and the ``openstack`` and ``migrator`` commands run as an
operator runs them, with password auth and endpoints from the catalog.

Which persona may do what is the policy's business (its own tests); here
only admin against non-admin on admin-only calls is asserted.
"""


import pytest
import requests

from tests.integration import allinone
from tests.integration import keystone as keystone_mod
from tests.integration.allinone import json_of, ok

pytestmark = [pytest.mark.integration, pytest.mark.timeout(300)]

#: A boot disk that needs no image service: openstackclient refuses a
#: server without an image or a bootable volume, and looks an image up in
#: Glance, which this cloud has not.
BLANK_BOOT_DISK = 'source_type=blank,destination_type=local,boot_index=0'


@pytest.fixture(scope='module')
def demo_server(keystone_cloud):
    """A server demo-member booted with its Keystone token, ACTIVE."""
    token = keystone_cloud.keystone.token('demo-member').id
    resp = keystone_cloud.request('POST', '/servers', token=token, body={
        'server': {'name': 'demo-vm', 'flavorRef': '1'}})
    assert resp.status_code == 202, resp.text
    server_id = resp.json()['server']['id']
    keystone_cloud.wait_status(server_id, 'demo-member', 'ACTIVE')
    return server_id


# -- tokens ----------------------------------------------------------------------

def test_catalog_names_migrator(keystone_cloud):
    catalog = keystone_cloud.keystone.catalog('demo-member')
    assert catalog == {'identity': keystone_cloud.keystone.auth_url,
                       'compute': keystone_cloud.url('/v2.1'),
                       'migrator': keystone_cloud.url('/migrator')}


@pytest.mark.parametrize('persona', sorted(keystone_mod.PERSONAS))
def test_token_of_every_persona_is_accepted(keystone_cloud, persona):
    token = keystone_cloud.keystone.token(persona)
    role = keystone_mod.PERSONAS[persona].role
    chain = keystone_mod.ROLE_CHAIN
    # Keystone puts the implied roles in the token: admin > manager > member > reader.
    assert set(chain[chain.index(role):]) <= set(token.roles)
    resp = keystone_cloud.get('/servers', token=token.id)
    assert resp.status_code == 200, resp.text
    assert resp.headers['x-openstack-request-id'].startswith('req-')


@pytest.mark.parametrize('token', [None, 'bogus', 'admin:admin'],
                         ids=['no-token', 'bogus', 'noauth2-token'])
def test_without_a_keystone_token_the_answer_is_401(keystone_cloud, token):
    resp = keystone_cloud.get('/servers', token=token)
    assert resp.status_code == 401
    # keystonemiddleware tells the client where to authenticate.
    assert keystone_cloud.keystone.auth_url in resp.headers['WWW-Authenticate']


def test_version_documents_need_no_token(keystone_cloud):
    root = requests.get(keystone_cloud.url('/'), timeout=30)
    assert [v['id'] for v in root.json()['versions']] == ['v2.0', 'v2.1']
    document = keystone_cloud.get('/', version=None)
    assert document.json()['version']['version'] == '2.56'


@pytest.mark.parametrize('persona,status', [
    ('admin', 200), ('other-admin', 200), ('demo-member', 403), ('other-member', 403)])
def test_hypervisors_are_for_admins(keystone_cloud, persona, status):
    token = keystone_cloud.keystone.token(persona).id
    resp = keystone_cloud.get('/os-hypervisors', token=token)
    assert resp.status_code == status, resp.text
    if status == 200:
        names = {h['hypervisor_hostname'] for h in resp.json()['hypervisors']}
        assert names == {'kc1', 'kc2'}
    else:
        assert resp.json()['forbidden']['code'] == 403


def test_server_belongs_to_the_project_of_the_token(keystone_cloud, demo_server):
    member = keystone_cloud.keystone.token('demo-member')
    server = keystone_cloud.get('/servers/%s' % demo_server,
                                token=member.id).json()['server']
    assert (server['tenant_id'], server['user_id']) == (member.project_id,
                                                        member.user_id)
    other = keystone_cloud.keystone.token('other-member').id
    assert keystone_cloud.get('/servers/%s' % demo_server,
                              token=other).status_code == 404
    admin = keystone_cloud.keystone.token('admin').id
    listed = keystone_cloud.get('/servers?all_tenants=1', token=admin).json()
    assert demo_server in [s['id'] for s in listed['servers']]


# -- the openstack command, through the catalog -----------------------------------

def test_openstack_server_list(keystone_cloud, demo_server):
    mine = json_of(keystone_cloud.openstack('demo-member', 'server', 'list', '-f', 'json'))
    assert demo_server in [s['ID'] for s in mine]
    theirs = json_of(keystone_cloud.openstack('other-member', 'server', 'list', '-f', 'json'))
    assert demo_server not in [s['ID'] for s in theirs]


def test_openstack_hypervisor_list_is_for_admins(keystone_cloud):
    listed = json_of(keystone_cloud.openstack('admin', 'hypervisor', 'list', '-f', 'json'))
    assert sorted(h['Hypervisor Hostname'] for h in listed) == ['kc1', 'kc2']
    refused = keystone_cloud.openstack('demo-member', 'hypervisor', 'list')
    assert refused.returncode == 1
    assert '403' in refused.stderr


def test_openstack_flavor_list(keystone_cloud):
    flavors = json_of(keystone_cloud.openstack('demo-member', 'flavor', 'list', '-f', 'json'))
    assert 'm1.tiny' in [f['Name'] for f in flavors]


def test_openstack_server_create_needs_a_boot_disk_but_no_glance(keystone_cloud):
    refused = keystone_cloud.openstack('demo-member', 'server', 'create', '--flavor',
                                       'm1.tiny', '--nic', 'none', 'no-disk')
    assert refused.returncode == 1
    assert 'An image (--image, --image-property) or bootable volume' in refused.stderr
    server = json_of(keystone_cloud.openstack(
        'demo-member', '--os-compute-api-version', '2.56', 'server', 'create',
        '--flavor', 'm1.tiny', '--block-device', BLANK_BOOT_DISK, '--nic', 'none',
        'osc-vm', '-f', 'json'))
    # Polled here: openstack's --wait looks every 5 seconds.
    keystone_cloud.wait_status(server['id'], 'demo-member', 'ACTIVE')
    ok(keystone_cloud.openstack('demo-member', 'server', 'delete', server['id']))
    keystone_cloud.wait_gone(server['id'], 'demo-member')


def test_openstack_targeted_migrate_and_confirm(keystone_cloud, demo_server):
    def show():
        return json_of(keystone_cloud.openstack('admin', 'server', 'show', demo_server,
                                              '-f', 'json'))
    source = show()['OS-EXT-SRV-ATTR:host']
    dest = 'kc2' if source == 'kc1' else 'kc1'
    ok(keystone_cloud.openstack('admin', '--os-compute-api-version', '2.56',
                                 'server', 'migrate', '--host', dest, demo_server))
    keystone_cloud.wait_status(demo_server, 'admin', 'VERIFY_RESIZE')
    server = show()
    assert (server['status'], server['OS-EXT-SRV-ATTR:host']) == ('VERIFY_RESIZE', dest)
    ok(keystone_cloud.openstack('admin', 'server', 'resize', 'confirm', demo_server))
    keystone_cloud.wait_status(demo_server, 'admin', 'ACTIVE')


# -- the migrator command, through the catalog -------------------------------------

def test_migrator_cli_reads_with_each_token(keystone_cloud, demo_server):
    shown = json_of(keystone_cloud.migrator_cli('demo-member', 'server', 'show',
                                              'demo-vm', '-f', 'json'))
    assert shown['id'] == demo_server
    hosts = ok(keystone_cloud.migrator_cli('admin', 'hypervisor', 'list', '-f',
                                            'value', '-c', 'Hostname'))
    assert hosts.split() == ['kc1', 'kc2']
    refused = keystone_cloud.migrator_cli('demo-member', 'hypervisor', 'list')
    assert refused.returncode == 1
    assert refused.stderr.startswith('HTTP 403 Forbidden: ')


def test_migrator_cli_migrates_through_the_catalog(keystone_cloud, demo_server):
    def host():
        return json_of(keystone_cloud.migrator_cli(
            'admin', 'server', 'show', demo_server, '-f', 'json'))['OS-EXT-SRV-ATTR:host']
    source = host()
    ok(keystone_cloud.migrator_cli('admin', 'migrate', demo_server, '--wait'))
    assert host() != source
    ok(keystone_cloud.migrator_cli('admin', 'resize-confirm', demo_server, '--wait'))


def test_migrator_cli_with_a_cloud_of_clouds_yaml(keystone_cloud, demo_server):
    result = allinone.run_command(
        'migrator', ['--os-cloud', 'demo-member', 'server', 'list', '-f', 'value',
                     '-c', 'ID'], keystone_cloud.keystone.cli_env())
    assert demo_server in ok(result).split()


# -- the openstack command without Keystone (noauth2) -------------------------------

@pytest.fixture(scope='module')
def noauth_service(tmp_path_factory):
    with allinone.running(tmp_path_factory.mktemp('noauth'), hosts=('n1', 'n2')) as service:
        yield service


def test_openstack_against_noauth2(noauth_service):
    def openstack(token, *args):
        argv, env = allinone.openstack_noauth(noauth_service.url('/v2.1'), token)
        return allinone.run_command('openstack', argv + list(args), env)

    hypervisors = json_of(openstack('admin:admin', 'hypervisor', 'list', '-f', 'json'))
    assert sorted(h['Hypervisor Hostname'] for h in hypervisors) == ['n1', 'n2']
    assert json_of(openstack('admin:admin', 'server', 'list', '-f', 'json')) == []
    flavors = json_of(openstack('demo:demo', 'flavor', 'list', '-f', 'json'))
    assert 'm1.tiny' in [f['Name'] for f in flavors]
    refused = openstack('demo:demo', 'hypervisor', 'list')
    assert refused.returncode == 1 and '403' in refused.stderr
