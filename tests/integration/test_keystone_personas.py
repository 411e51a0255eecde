"""Nova's personas with real Keystone tokens: the policy table, as a user
meets it.

tests/functional/policy_world.py holds the table (every call, every
persona, the status it must get); tests/functional/test_policy_matrix.py
drives it with noauth2 tokens. Here the same table's rows for servers,
their moves and the admin-only reads are driven over HTTP with the tokens
of real Keystone users holding one role each (Keystone's own implied roles
included), and a few of them through the ``openstack`` command. A refused
call changes nothing.

Keystone's personas, against the table's: the servers belong to project
``demo``; ``admin`` (admin of project ``admin``) and ``other-admin`` are
administrators of another project, ``other-member`` a member of another
project.
"""

import uuid

import pytest
import requests

from tests.functional import policy_world as table
from tests.integration.allinone import json_of, ok

pytestmark = [pytest.mark.integration, pytest.mark.timeout(600)]

AS_IN_TABLE = {
    'admin': table.OTHER_ADMIN,
    'other-admin': table.OTHER_ADMIN,
    'demo-manager': table.MANAGER,
    'demo-member': table.MEMBER,
    'demo-reader': table.READER,
    'other-member': table.OTHER,
}
OWNER = 'demo-member'
BLANK_BOOT_DISK = 'source_type=blank,destination_type=local,boot_index=0'


def _selected(call: table.Call) -> bool:
    """The table's rows for servers and their moves, and every read of a
    collection: what needs nothing but servers to exist."""
    return (call.path.startswith((table.SERVER, '/v2.1/servers',
                                  '/migrator/servers/', '/migrator/migration'))
            or (call.method == 'GET' and '{' not in call.path))


CALLS = [call for call in table.CALLS if _selected(call)]


class World:
    """Servers of project demo in each state the table's calls need: shared
    ones that refused calls target, and a fresh one for each call that
    succeeds."""

    def __init__(self, cloud):
        self.cloud = cloud
        self.tokens = {persona: cloud.keystone.token(persona)
                       for persona in AS_IN_TABLE}
        self.project = self.tokens[OWNER].project_id
        self.created: list[str] = []
        self.shared = {state: self.server(state) for state in
                       (table.ACTIVE, table.STOPPED, table.LOCKED, table.RESIZED)}

    def request(self, persona: str, method: str, path: str, body=None):
        """``path`` (from the service's root) as ``persona``."""
        headers = {'X-Auth-Token': self.tokens[persona].id,
                   'OpenStack-API-Version': 'compute 2.56, migrator latest'}
        return requests.request(method, self.cloud.url(path), json=body,
                                headers=headers, timeout=60)

    def server(self, state: str) -> str:
        resp = self.request(OWNER, 'POST', '/v2.1/servers', {'server': {
            'name': 'persona-%s' % uuid.uuid4().hex[:8], 'flavorRef': '1'}})
        assert resp.status_code == 202, resp.text
        server_id = resp.json()['server']['id']
        self.created.append(server_id)
        self.cloud.wait_status(server_id, 'admin', 'ACTIVE')
        action = {table.STOPPED: {'os-stop': None}, table.LOCKED: {'lock': None},
                  table.RESIZED: {'migrate': None}}.get(state)
        if action is not None:
            # The owner stops and locks its server; only an admin picks the move.
            actor = 'admin' if state == table.RESIZED else OWNER
            resp = self.request(actor, 'POST', '/v2.1/servers/%s/action' % server_id,
                                action)
            assert resp.status_code == 202, resp.text
        if state == table.STOPPED:
            self.cloud.wait_status(server_id, 'admin', 'SHUTOFF')
        elif state == table.RESIZED:
            self.cloud.wait_status(server_id, 'admin', 'VERIFY_RESIZE')
        return server_id

    def view(self, server_id: str) -> tuple:
        server = self.request('admin', 'GET', '/v2.1/servers/%s' % server_id).json()
        server = server['server']
        return (server['status'], server['OS-EXT-STS:task_state'],
                server['OS-EXT-SRV-ATTR:host'], server.get('locked'))

    def record(self, server_id: str) -> dict:
        records = self.request('admin', 'GET', '/migrator/migrations').json()
        return next(m for m in records['migrations']
                    if m['server_id'] == server_id)

    def migrate_request(self, server_id: str) -> str:
        actions = self.request('admin', 'GET', '/v2.1/servers/%s/os-instance-actions'
                               % server_id).json()['instanceActions']
        return next(a['request_id'] for a in actions if a['action'] == 'migrate')

    def path_and_body(self, call: table.Call, persona: str, succeeds: bool):
        state = call.fresh if call.fresh in self.shared else (
            table.RESIZED if '{request_id}' in call.path or '{migration_id}'
            in call.path else table.ACTIVE)
        server_id = (self.server(state) if succeeds and call.fresh in self.shared
                     else self.shared[state])
        path = call.path.replace('{server_id}', server_id)
        if '{request_id}' in path:
            path = path.replace('{request_id}', self.migrate_request(server_id))
        if '{migration_id}' in path:
            path = path.replace('{migration_id}', self.record(server_id)['uuid'])
        if call.query:
            # The table's project "proj" is Keystone's demo here.
            path += '?' + call.query.replace('=proj', '=%s' % self.project)
        host = self.view(server_id)[2]
        body = table._fill(call.body, {'<unique>': 'persona-%s' % uuid.uuid4().hex[:8],
                                       '<other>': 'kc2' if host == 'kc1' else 'kc1',
                                       '<server>': server_id})
        return server_id, path, body


@pytest.fixture(scope='module')
def world(keystone_cloud):
    world = World(keystone_cloud)
    yield world
    everyone = world.request('admin', 'GET', '/v2.1/servers?all_tenants=1').json()
    for server in everyone['servers']:
        if server['name'].startswith(('persona-', 'matrix')):
            world.request('admin', 'DELETE', '/v2.1/servers/%s' % server['id'])
            keystone_cloud.wait_gone(server['id'], 'admin')


def test_the_tokens_carry_keystones_implied_roles(world):
    assert set(world.tokens['demo-manager'].roles) == {'manager', 'member', 'reader'}
    assert set(world.tokens['demo-reader'].roles) == {'reader'}


@pytest.mark.parametrize('persona', sorted(AS_IN_TABLE))
def test_each_call_as_the_table_says(world, persona):
    assert len(CALLS) > 30
    for call in CALLS:
        expected = call.expect[AS_IN_TABLE[persona]]
        succeeds = 200 <= expected < 300
        server_id, path, body = world.path_and_body(call, persona, succeeds)
        before = None if succeeds else world.view(server_id)
        resp = world.request(persona, call.method, path, body)
        what = (persona, call.method, path, call.action)
        assert resp.status_code == expected, (what, resp.text[:300])
        if before is not None:
            assert world.view(server_id) == before, what


def _openstack(cloud, persona, *args):
    return cloud.openstack(persona, '--os-compute-api-version', '2.56', *args)


def test_openstack_as_each_persona(keystone_cloud, world):
    server = world.server(table.ACTIVE)
    listed = {persona: [s['ID'] for s in json_of(_openstack(
        keystone_cloud, persona, 'server', 'list', '-f', 'json'))]
        for persona in ('demo-reader', 'demo-member', 'other-member')}
    assert server in listed['demo-reader'] and server in listed['demo-member']
    assert server not in listed['other-member']
    hidden = _openstack(keystone_cloud, 'other-member', 'server', 'show', server)
    assert hidden.returncode == 1 and 'No Server found' in hidden.stderr

    before = world.view(server)
    for persona, args in (
            ('demo-reader', ('server', 'create', '--flavor', 'm1.tiny',
                             '--block-device', BLANK_BOOT_DISK, '--nic', 'none',
                             'persona-refused')),
            ('demo-reader', ('server', 'stop', server)),
            ('demo-reader', ('server', 'delete', server)),
            ('demo-member', ('server', 'migrate', server)),
            ('demo-manager', ('server', 'migrate', '--host', 'kc1', server)),
            ('demo-manager', ('hypervisor', 'list'))):
        refused = _openstack(keystone_cloud, persona, *args)
        assert refused.returncode == 1, (persona, args, refused.stdout)
        assert '403' in refused.stderr, (persona, args, refused.stderr)
        assert world.view(server) == before, (persona, args)

    # The manager moves its project's server where the scheduler sends it,
    # and the administrator names the host.
    ok(_openstack(keystone_cloud, 'demo-manager', 'server', 'migrate', server))
    keystone_cloud.wait_status(server, 'admin', 'VERIFY_RESIZE')
    ok(_openstack(keystone_cloud, 'demo-member', 'server', 'migration', 'confirm',
                  server))
    keystone_cloud.wait_status(server, 'admin', 'ACTIVE')
    host = world.view(server)[2]
    other = 'kc2' if host == 'kc1' else 'kc1'
    ok(_openstack(keystone_cloud, 'admin', 'server', 'migrate', '--host', other, server))
    assert keystone_cloud.wait_status(server, 'admin', 'VERIFY_RESIZE')[
        'OS-EXT-SRV-ATTR:host'] == other
