"""openstackclient, unmodified, for the compute commands an operator uses
around a cold migration and a host's maintenance.

Each command runs as an operator runs it: the ``openstack`` console
script, password auth against the real Keystone, every endpoint from its
catalog (tests/integration/keystone.py). The assertions are on what the
command prints (``-f json``), compared where it matters with what the API
says.
"""

import time
import uuid

import pytest

from tests.integration.allinone import json_of, ok

pytestmark = [pytest.mark.integration, pytest.mark.timeout(300)]

ADMIN = 'admin'
NOVA_256 = ('--os-compute-api-version', '2.56')


def _unique(prefix: str) -> str:
    return '%s-%s' % (prefix, uuid.uuid4().hex[:8])


def _other_host(host: str) -> str:
    return 'kc2' if host == 'kc1' else 'kc1'


@pytest.fixture(scope='module')
def osc(keystone_cloud):
    """``openstack ARGS`` as a persona (the administrator by default)."""
    def run(*args, persona=ADMIN):
        return keystone_cloud.openstack(persona, *args)
    return run


@pytest.fixture(scope='module')
def server(keystone_cloud, osc):
    """A server of the administrator's own project, ACTIVE; deleted after."""
    token = keystone_cloud.keystone.token(ADMIN).id
    resp = keystone_cloud.request('POST', '/servers', token=token, body={
        'server': {'name': _unique('osc'), 'flavorRef': '1'}})
    assert resp.status_code == 202, resp.text
    server_id = resp.json()['server']['id']
    keystone_cloud.wait_status(server_id, ADMIN, 'ACTIVE')
    yield server_id
    ok(osc('server', 'delete', server_id))
    keystone_cloud.wait_gone(server_id, ADMIN)


def _host_of(osc, server_id: str) -> str:
    return json_of(osc('server', 'show', server_id, '-f', 'json'))['OS-EXT-SRV-ATTR:host']


def test_server_list_by_host_long_and_show(osc, server):
    shown = json_of(osc('server', 'show', server, '-f', 'json'))
    host = shown['OS-EXT-SRV-ATTR:host']
    assert shown['status'] == 'ACTIVE'

    def listed(on):
        rows = json_of(osc('server', 'list', '--all-projects', '--host', on, '--long',
                           '-f', 'json'))
        return {row['ID']: row for row in rows}
    row = listed(host)[server]
    assert (row['Host'], row['Status'], row['Flavor'], row['Availability Zone']) == (
        host, 'ACTIVE', 'm1.tiny', 'nova')
    assert server not in listed(_other_host(host))


def test_migrate_to_a_host_wait_list_confirm_and_events(keystone_cloud, osc, server):
    source = _host_of(osc, server)
    dest = _other_host(source)
    ok(osc(*NOVA_256, 'server', 'migrate', '--host', dest, '--wait', server))
    shown = json_of(osc('server', 'show', server, '-f', 'json'))
    assert (shown['status'], shown['OS-EXT-SRV-ATTR:host']) == ('VERIFY_RESIZE', dest)

    def migrations(*filters):
        return json_of(osc('server', 'migration', 'list', '--server', server,
                           *filters, '-f', 'json'))
    latest = migrations('--type', 'cold-migration')[0]
    assert (latest['Source Compute'], latest['Dest Compute'], latest['Status'],
            latest['Type']) == (source, dest, 'finished', 'migration')
    assert [m['Id'] for m in migrations('--host', dest)][0] == latest['Id']
    assert latest['Id'] in [m['Id'] for m in migrations('--status', 'finished')]

    ok(osc('server', 'migration', 'confirm', server))
    keystone_cloud.wait_status(server, ADMIN, 'ACTIVE')
    assert _host_of(osc, server) == dest
    confirmed = migrations('--status', 'confirmed')
    assert latest['Id'] in [m['Id'] for m in confirmed]

    actions = json_of(osc('server', 'event', 'list', server, '-f', 'json'))
    assert [a['Action'] for a in actions][:3] == ['confirmResize', 'migrate', 'create']
    migrate = next(a for a in actions if a['Action'] == 'migrate')
    event = json_of(osc('server', 'event', 'show', server, migrate['Request ID'],
                        '-f', 'json'))
    assert event['action'] == 'migrate'
    assert event['events'] and {e['result'] for e in event['events']} == {'Success'}


def test_migrate_chosen_by_the_scheduler_and_revert(keystone_cloud, osc, server):
    source = _host_of(osc, server)
    ok(osc('server', 'migrate', '--wait', server))
    assert _host_of(osc, server) == _other_host(source)
    ok(osc('server', 'migration', 'revert', server))
    keystone_cloud.wait_status(server, ADMIN, 'ACTIVE')
    assert _host_of(osc, server) == source
    latest = json_of(osc('server', 'migration', 'list', '--server', server,
                         '-f', 'json'))[0]
    assert latest['Status'] == 'reverted'


def test_abort_a_move_while_its_disk_copies(keystone_cloud, osc):
    flavor = json_of(osc('flavor', 'create', '--ram', '512', '--vcpus', '1',
                         '--disk', '30', _unique('copy30'), '-f', 'json'))
    token = keystone_cloud.keystone.token(ADMIN).id
    resp = keystone_cloud.request('POST', '/servers', token=token, body={
        'server': {'name': _unique('abort'), 'flavorRef': flavor['id']}})
    assert resp.status_code == 202, resp.text
    server = resp.json()['server']['id']
    keystone_cloud.wait_status(server, ADMIN, 'ACTIVE')
    source = _host_of(osc, server)
    ok(osc('server', 'migrate', server))  # a 30 GB copy: ~30 s

    def in_progress():
        return keystone_cloud.request('GET', '/servers/%s/migrations' % server,
                                      token=token, version='2.24').json()['migrations']
    deadline = time.monotonic() + 30
    while not [m for m in in_progress() if m['status'] == 'migrating']:
        assert time.monotonic() < deadline
        time.sleep(0.1)
    (move,) = in_progress()
    ok(osc('--os-compute-api-version', '2.24', 'server', 'migration', 'abort',
           server, str(move['id'])))
    shown = keystone_cloud.wait_status(server, ADMIN, 'ACTIVE', timeout=20)
    assert shown['OS-EXT-SRV-ATTR:host'] == source
    latest = json_of(osc('server', 'migration', 'list', '--server', server,
                         '-f', 'json'))[0]
    assert (latest['Id'], latest['Status']) == (move['id'], 'cancelled')
    ok(osc('server', 'delete', '--wait', server))


def test_hypervisor_list_show_and_statistics(keystone_cloud, osc):
    listed = json_of(osc('hypervisor', 'list', '-f', 'json'))
    assert sorted(h['Hypervisor Hostname'] for h in listed) == ['kc1', 'kc2']
    token = keystone_cloud.keystone.token(ADMIN).id
    detail = {h['hypervisor_hostname']: h for h in keystone_cloud.get(
        '/os-hypervisors/detail', token=token).json()['hypervisors']}
    shown = json_of(osc('hypervisor', 'show', 'kc1', '-f', 'json'))
    for field in ('vcpus', 'memory_mb', 'local_gb', 'vcpus_used', 'memory_mb_used',
                  'running_vms', 'state', 'status'):
        assert shown[field] == detail['kc1'][field], field
    statistics = json_of(osc('hypervisor', 'stats', 'show', '-f', 'json'))
    assert statistics['count'] == 2
    assert statistics['vcpus'] == sum(h['vcpus'] for h in detail.values())
    assert statistics['memory_mb_used'] == sum(h['memory_mb_used']
                                               for h in detail.values())


def test_compute_service_disable_force_down_and_enable(osc):
    def row():
        rows = json_of(osc('compute', 'service', 'list', '--service', 'nova-compute',
                           '--long', '-f', 'json'))
        return next(r for r in rows if r['Host'] == 'kc2')
    try:
        ok(osc('compute', 'service', 'set', '--disable', '--disable-reason',
               'maintenance window', 'kc2', 'nova-compute'))
        assert (row()['Status'], row()['Disabled Reason']) == (
            'disabled', 'maintenance window')
        ok(osc('--os-compute-api-version', '2.11', 'compute', 'service', 'set',
               '--down', 'kc2', 'nova-compute'))
        assert (row()['State'], row()['Forced Down']) == ('down', True)
        refused = osc('compute', 'service', 'set', '--enable', 'kc2', 'nova-compute',
                      persona='demo-member')
        assert refused.returncode == 1 and '403' in refused.stderr
    finally:
        ok(osc('--os-compute-api-version', '2.11', 'compute', 'service', 'set',
               '--up', 'kc2', 'nova-compute'))
        ok(osc('compute', 'service', 'set', '--enable', 'kc2', 'nova-compute'))
    assert (row()['Status'], row()['State'], row()['Forced Down']) == (
        'enabled', 'up', False)


def test_aggregate_and_availability_zones(osc):
    name, zone = _unique('agg'), _unique('az')
    created = json_of(osc('aggregate', 'create', '--zone', 'first-' + zone, name,
                          '-f', 'json'))
    try:
        assert (created['name'], created['availability_zone']) == (name, 'first-' + zone)
        ok(osc('aggregate', 'add', 'host', name, 'kc2'))
        ok(osc('aggregate', 'set', '--zone', zone, '--property', 'ssd=true', name))
        shown = json_of(osc('aggregate', 'show', name, '-f', 'json'))
        assert (shown['hosts'], shown['availability_zone'], shown['properties']) == (
            ['kc2'], zone, {'ssd': 'true'})
        listed = json_of(osc('aggregate', 'list', '--long', '-f', 'json'))
        row = next(a for a in listed if a['Name'] == name)
        assert (row['Availability Zone'], row['Hosts']) == (zone, ['kc2'])

        zones = json_of(osc('availability', 'zone', 'list', '--long', '-f', 'json'))
        hosts = {(z['Zone Name'], z['Host Name'], z['Service Name']) for z in zones}
        assert (zone, 'kc2', 'nova-compute') in hosts
        assert ('nova', 'kc1', 'nova-compute') in hosts
        mine = json_of(osc('availability', 'zone', 'list', '-f', 'json',
                           persona='demo-member'))
        assert {zone, 'nova'} <= {z['Zone Name'] for z in mine}
    finally:
        osc('aggregate', 'remove', 'host', name, 'kc2')
        ok(osc('aggregate', 'delete', name))
    zones = json_of(osc('availability', 'zone', 'list', '-f', 'json'))
    assert zone not in {z['Zone Name'] for z in zones}


def test_flavor_create_show_and_list(osc):
    name = _unique('flavor')
    created = json_of(osc('flavor', 'create', '--vcpus', '2', '--ram', '1024',
                          '--disk', '5', name, '-f', 'json'))
    try:
        shown = json_of(osc('flavor', 'show', name, '-f', 'json', persona='demo-member'))
        assert (shown['id'], shown['vcpus'], shown['ram'], shown['disk'],
                shown['os-flavor-access:is_public']) == (created['id'], 2, 1024, 5, True)
        listed = json_of(osc('flavor', 'list', '-f', 'json', persona='demo-member'))
        assert name in [f['Name'] for f in listed]
        refused = osc('flavor', 'create', '--vcpus', '1', '--ram', '1', '--disk', '1',
                      _unique('refused'), persona='demo-member')
        assert refused.returncode == 1 and '403' in refused.stderr
    finally:
        ok(osc('flavor', 'delete', name))
