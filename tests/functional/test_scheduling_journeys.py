"""Operator journeys that steer where servers land: disabled hosts, server
groups, availability zones and flavor extra specs."""

from tests.fixtures import headers

USER = 'alice:project-a'
HOSTS = {'compute1', 'compute2', 'compute3'}


def host_of(service, server_id) -> str:
    return service.show(server_id)['OS-EXT-SRV-ATTR:host']


def boot_many(service, count, **kwargs) -> list:
    return [service.boot(name='vm%d' % i, token=USER, **kwargs) for i in range(count)]


def fault_of(service, server_id) -> str:
    return service.show(server_id, token=USER)['fault']['message']


def set_service(service, host, action, **extra):
    body = dict(host=host, binary='migrator-compute', **extra)
    return service.app.put_json('/v2.1/os-services/%s' % action, body,
                                headers=headers(version='2.11'))


def make_zone(service, zone, *hosts) -> int:
    aggregate_id = service.app.post_json('/v2.1/os-aggregates', {'aggregate': {
        'name': 'agg-' + zone, 'availability_zone': zone}},
        headers=headers()).json['aggregate']['id']
    for host in hosts:
        service.app.post_json('/v2.1/os-aggregates/%d/action' % aggregate_id,
                              {'add_host': {'host': host}}, headers=headers())
    return aggregate_id


def test_disabled_hosts_get_no_new_servers(service):
    set_service(service, 'compute1', 'disable-log-reason', disabled_reason='patching')
    set_service(service, 'compute2', 'disable')
    placed = {host_of(service, s) for s in boot_many(service, 4)}
    assert placed == {'compute3'}
    set_service(service, 'compute3', 'disable')
    stuck = service.boot(name='stuck', token=USER, wait='ERROR')
    message = fault_of(service, stuck)
    assert '0/3 hosts: 3 ComputeFilter' in message
    # Enabled again, the host takes servers once more.
    set_service(service, 'compute1', 'enable')
    assert host_of(service, service.boot(name='back', token=USER)) == 'compute1'


def test_a_forced_down_host_gets_no_new_servers(service):
    set_service(service, 'compute1', 'force-down', forced_down=True)
    set_service(service, 'compute3', 'force-down', forced_down=True)
    placed = {host_of(service, s) for s in boot_many(service, 3)}
    assert placed == {'compute2'}


def test_anti_affinity_spreads_then_refuses_a_fourth(service):
    group_id = service.app.post_json('/v2.1/os-server-groups', {'server_group': {
        'name': 'spread', 'policies': ['anti-affinity']}},
        headers=headers(USER)).json['server_group']['id']
    members = boot_many(service, 3, hints={'group': group_id})
    assert {host_of(service, s) for s in members} == HOSTS
    fourth = service.boot(name='fourth', token=USER, hints={'group': group_id},
                          wait='ERROR')
    message = fault_of(service, fourth)
    assert 'No valid host' in message
    assert '3 ServerGroupAntiAffinityFilter' in message
    # Freeing a host lets the group grow again, onto that host.
    freed = host_of(service, members[0])
    service.app.delete('/v2.1/servers/%s' % members[0], headers=headers(USER))
    fifth = service.boot(name='fifth', token=USER, hints={'group': group_id})
    assert host_of(service, fifth) == freed


def test_affinity_keeps_members_together(service):
    group_id = service.app.post_json('/v2.1/os-server-groups', {'server_group': {
        'name': 'together', 'policies': ['affinity']}},
        headers=headers(USER)).json['server_group']['id']
    members = boot_many(service, 3, hints={'group': group_id})
    hosts = {host_of(service, s) for s in members}
    assert len(hosts) == 1
    (home,) = hosts
    set_service(service, home, 'disable')
    homeless = service.boot(name='homeless', token=USER, hints={'group': group_id},
                            wait='ERROR')
    message = fault_of(service, homeless)
    assert '2 ServerGroupAffinityFilter' in message
    assert '1 ComputeFilter' in message


def test_an_availability_zone_constrains_placement(service):
    make_zone(service, 'east', 'compute2')
    in_east = boot_many(service, 3, availability_zone='east')
    for server_id in in_east:
        assert host_of(service, server_id) == 'compute2'
        assert service.show(server_id, token=USER)[
            'OS-EXT-AZ:availability_zone'] == 'east'
    in_nova = boot_many(service, 4, availability_zone='nova')
    assert {host_of(service, s) for s in in_nova} <= {'compute1', 'compute3'}


def test_a_full_zone_says_why(service):
    make_zone(service, 'east', 'compute2')
    set_service(service, 'compute2', 'disable')
    server_id = service.boot(token=USER, availability_zone='east', wait='ERROR')
    assert service.show(server_id, token=USER)['OS-EXT-AZ:availability_zone'] == 'east'
    message = fault_of(service, server_id)
    assert '0/3 hosts' in message
    assert 'AvailabilityZoneFilter' in message and 'ComputeFilter' in message


def test_an_unknown_zone_is_400(service):
    make_zone(service, 'east', 'compute2')
    resp = service.app.post_json('/v2.1/servers', {'server': {
        'name': 'lost', 'flavorRef': '1', 'availability_zone': 'atlantis'}},
        headers=headers(USER), status=400)
    message = resp.json['badRequest']['message']
    assert 'atlantis' in message and 'east' in message and 'nova' in message
    assert service.app.get('/v2.1/servers', headers=headers(USER)).json == {
        'servers': []}


def test_flavor_extra_specs_pick_matching_aggregates(service):
    aggregate_id = service.app.post_json('/v2.1/os-aggregates', {'aggregate': {
        'name': 'ssd-racks'}}, headers=headers()).json['aggregate']['id']
    service.app.post_json('/v2.1/os-aggregates/%d/action' % aggregate_id,
                          {'add_host': {'host': 'compute3'}}, headers=headers())
    service.app.post_json('/v2.1/os-aggregates/%d/action' % aggregate_id,
                          {'set_metadata': {'metadata': {'ssd': 'true'}}},
                          headers=headers())
    service.app.post_json('/v2.1/flavors', {'flavor': {
        'name': 'fast', 'id': 'fast', 'ram': 512, 'vcpus': 1, 'disk': 1}},
        headers=headers())
    service.app.post_json('/v2.1/flavors/fast/os-extra_specs', {'extra_specs': {
        'aggregate_instance_extra_specs:ssd': 'true'}}, headers=headers())
    placed = {host_of(service, s) for s in boot_many(service, 3, flavor='fast')}
    assert placed == {'compute3'}
