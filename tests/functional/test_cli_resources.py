"""The `migrator` CLI's lists and shows, against the service over HTTP."""

import json
import uuid

import pytest

from tests.functional import http_service
from tests.functional.http_service import cli


@pytest.fixture(scope='module')
def api(tmp_path_factory):
    with http_service.running(tmp_path_factory.mktemp('resources')) as service:
        yield service


def as_json(result):
    assert result.code == 0, result.err
    return json.loads(result.out)


def unique(prefix: str) -> str:
    return '%s-%s' % (prefix, uuid.uuid4().hex[:8])


def test_server_lifecycle(api, capsys):
    name = unique('web')
    created = as_json(cli(capsys, api.url, 'server', 'create', name, '--flavor',
                          'm1.tiny', '--wait', '-f', 'json'))
    assert created['name'] == name and created['status'] == 'ACTIVE'
    assert created['flavor'] == 'm1.tiny'
    server_id = created['id']

    assert cli(capsys, api.url, 'server', 'stop', name, '--wait').code == 0
    assert api.svc.show(server_id)['status'] == 'SHUTOFF'
    assert cli(capsys, api.url, 'server', 'start', server_id, '--wait').code == 0
    assert api.svc.show(server_id)['status'] == 'ACTIVE'

    rows = as_json(cli(capsys, api.url, 'server', 'list', '--long', '-f', 'json'))
    row = next(r for r in rows if r['ID'] == server_id)
    assert (row['Name'], row['Status'], row['Host'], row['Project ID']) == (
        name, 'ACTIVE', api.host_of(server_id), 'admin')
    assert cli(capsys, api.url, 'server', 'delete', name, '--wait').code == 0
    result = cli(capsys, api.url, 'server', 'show', server_id)
    assert result.code != 0
    assert 'No server with a name or ID of %r exists.' % server_id in result.err


def test_server_list_filters(api, capsys):
    name = unique('db')
    server_id = api.svc.boot(name=name)
    host = api.host_of(server_id)
    on_host = as_json(cli(capsys, api.url, 'server', 'list', '--host', host,
                          '-f', 'json'))
    assert server_id in {r['ID'] for r in on_host}
    assert {r['Host'] for r in on_host} == {host}
    named = as_json(cli(capsys, api.url, 'server', 'list', '--name', name,
                        '-f', 'json'))
    assert [r['ID'] for r in named] == [server_id]


def test_a_name_two_servers_share_is_ambiguous(api, capsys):
    name = unique('twin')
    ids = {api.svc.boot(name=name), api.svc.boot(name=name)}
    result = cli(capsys, api.url, 'server', 'show', name)
    assert result.code != 0
    assert 'More than one server is named %r' % name in result.err
    assert all(server_id in result.err for server_id in ids)


def test_flavors(api, capsys):
    name = unique('f')
    created = as_json(cli(capsys, api.url, 'flavor', 'create', name, '--ram',
                          '1024', '--vcpus', '2', '--disk', '10', '-f', 'json'))
    assert (created['ram'], created['vcpus'], created['disk']) == (1024, 2, 10)
    shown = as_json(cli(capsys, api.url, 'flavor', 'show', name, '-f', 'json'))
    assert shown['id'] == created['id']
    listed = as_json(cli(capsys, api.url, 'flavor', 'list', '-f', 'json'))
    assert {'m1.tiny', name} <= {r['Name'] for r in listed}
    assert cli(capsys, api.url, 'flavor', 'delete', name).code == 0
    assert cli(capsys, api.url, 'flavor', 'show', name).code != 0


def test_hypervisors_show_capacity_usage_and_free(api, capsys):
    server_id = api.svc.boot(name=unique('h'), flavor='3')
    host = api.host_of(server_id)
    detail = api.svc.app.get('/v2.1/os-hypervisors/detail',
                             headers={'X-Auth-Token': 'admin:admin',
                                      'OpenStack-API-Version': 'compute 2.56'})
    node = next(h for h in detail.json['hypervisors']
                if h['hypervisor_hostname'] == host)
    resources = api.svc.app.get('/migrator/capacity/%s' % host, headers={
        'X-Auth-Token': 'admin:admin'}).json['host']['resources']
    memory = resources['MEMORY_MB']
    rows = as_json(cli(capsys, api.url, 'hypervisor', 'list', '-f', 'json'))
    row = next(r for r in rows if r['Hostname'] == host)
    assert (row['RAM MB Used'], row['RAM MB Capacity'], row['RAM MB Free']) == (
        memory['used'], memory['capacity'], memory['free'])
    assert row['RAM MB Used'] >= 4096
    assert row['State'] == 'up' and row['Servers'] == node['running_vms']

    shown = as_json(cli(capsys, api.url, 'hypervisor', 'show', host, '-f', 'json'))
    assert shown['id'] == node['id']
    assert shown['ram_mb_free'] == memory['free']
    assert (shown['vcpus_used'], shown['vcpus_capacity'], shown['vcpus_free']) == (
        resources['VCPU']['used'], resources['VCPU']['capacity'],
        resources['VCPU']['free'])


@pytest.mark.parametrize('version', ['2.56', '2.1'])
def test_service_disable_and_enable(api, capsys, version):
    """2.53+ addresses the service by UUID, older versions by host/binary."""
    host = 'compute3'
    result = cli(capsys, api.url, '--os-compute-api-version', version,
                 'service', 'disable', host, '--reason', 'disk swap', '-f', 'json')
    try:
        shown = as_json(result)
        assert (shown['host'], shown['status'], shown['disabled_reason']) == (
            host, 'disabled', 'disk swap')
        rows = as_json(cli(capsys, api.url, 'service', 'list', '--host', host,
                           '-f', 'json'))
        assert [(r['Binary'], r['Status'], r['Disabled Reason']) for r in rows] == [
            ('nova-compute', 'disabled', 'disk swap')]
    finally:
        enabled = as_json(cli(capsys, api.url, '--os-compute-api-version',
                              version, 'service', 'enable', host, '-f', 'json'))
    assert enabled['status'] == 'enabled'


def test_unknown_service_host(api, capsys):
    result = cli(capsys, api.url, 'service', 'disable', 'compute9')
    assert result.code != 0
    assert "No nova-compute service runs on host 'compute9'." in result.err


def test_aggregates_and_zones(api, capsys):
    name, zone = unique('rack'), unique('az')
    created = as_json(cli(capsys, api.url, 'aggregate', 'create', name, '--zone',
                          zone, '-f', 'json'))
    assert created['availability_zone'] == zone
    added = as_json(cli(capsys, api.url, 'aggregate', 'add-host', name,
                        'compute3', '-f', 'json'))
    assert added['hosts'] == ['compute3']
    updated = as_json(cli(capsys, api.url, 'aggregate', 'set', name, '--property',
                          'ssd=true', '-f', 'json'))
    assert updated['metadata'] == {'availability_zone': zone, 'ssd': 'true'}
    zones = as_json(cli(capsys, api.url, 'availability-zone', 'list', '-f', 'json'))
    assert {'Zone Name': zone, 'Zone Status': 'available'} in zones
    detail = as_json(cli(capsys, api.url, 'availability-zone', 'list', '--long',
                         '-f', 'json'))
    assert {(r['Zone Name'], r['Host Name']) for r in detail} >= {(zone, 'compute3')}

    removed = as_json(cli(capsys, api.url, 'aggregate', 'remove-host', name,
                          'compute3', '-f', 'json'))
    assert removed['hosts'] == []
    listed = as_json(cli(capsys, api.url, 'aggregate', 'list', '-f', 'json'))
    assert name in {r['Name'] for r in listed}
    assert cli(capsys, api.url, 'aggregate', 'delete', name).code == 0
    assert cli(capsys, api.url, 'aggregate', 'show', name).code != 0


def test_nothing_to_set_on_an_aggregate(api, capsys):
    result = cli(capsys, api.url, 'aggregate', 'set', 'whatever')
    assert result.code != 0
    assert 'Nothing to set' in result.err


def test_server_groups(api, capsys):
    name = unique('grp')
    group = as_json(cli(capsys, api.url, 'server-group', 'create', name,
                        '--policy', 'anti-affinity', '-f', 'json'))
    assert group['policies'] == ['anti-affinity']
    first = as_json(cli(capsys, api.url, 'server', 'create', unique('a'),
                        '--flavor', '1', '--group', name, '--wait', '-f', 'json'))
    second = as_json(cli(capsys, api.url, 'server', 'create', unique('b'),
                         '--flavor', '1', '--group', group['id'], '--wait',
                         '-f', 'json'))
    assert first['OS-EXT-SRV-ATTR:host'] != second['OS-EXT-SRV-ATTR:host']
    listed = as_json(cli(capsys, api.url, 'server-group', 'list', '-f', 'json'))
    row = next(r for r in listed if r['ID'] == group['id'])
    assert sorted(row['Members']) == sorted([first['id'], second['id']])
    assert cli(capsys, api.url, 'server-group', 'delete', name).code == 0
    listed = as_json(cli(capsys, api.url, 'server-group', 'list', '-f', 'json'))
    assert group['id'] not in {r['ID'] for r in listed}


def test_instance_actions(api, capsys):
    name = unique('act')
    server_id = api.svc.boot(name=name)
    assert cli(capsys, api.url, 'migrate', '--wait', name,
               api.other_host(server_id)).code == 0
    actions = as_json(cli(capsys, api.url, 'instance-action', 'list', name,
                          '-f', 'json'))
    assert [a['Action'] for a in actions] == ['migrate', 'create']
    shown = as_json(cli(capsys, api.url, 'instance-action', 'show', name,
                        actions[0]['Request ID'], '-f', 'json'))
    assert shown['action'] == 'migrate'
    assert 'compute_resize_instance' in {e['event'] for e in shown['events']}


def test_table_output_is_readable(api, capsys):
    result = cli(capsys, api.url, 'flavor', 'show', 'm1.tiny')
    assert result.code == 0
    assert '| name ' in result.out and 'm1.tiny' in result.out
