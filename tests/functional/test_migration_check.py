"""The migration check, as an operator asks it before moving a server: per
host, accepted or not, each filter's verdict with its numbers, up and
enabled, and what force would change -- without claiming anything."""

from tests.fixtures import headers
from tests.functional import api_samples, hostile
from tests.functional import migrate_helpers as ops

ADMIN = {'X-Auth-Token': 'admin:admin'}


def check(service, server_id, status=200, token=None, version='1.1', **options):
    request_headers = dict(headers(token) if token else ADMIN)
    request_headers['OpenStack-API-Version'] = 'migrator %s' % version
    resp = service.app.post_json('/migrator/migration-checks', {
        'migration_check': dict(server_id=server_id, **options)},
        headers=request_headers, status=status)
    return resp.json.get('migration_check', resp.json)


def by_host(answer) -> dict:
    return {h['host']: h for h in answer['hosts']}


def reasons(verdicts) -> list:
    return ['%s: %s' % (v['check'], v['reason']) for v in verdicts]


def test_every_host_judged_ranked_and_summarised(service):
    server = ops.boot_on(service, 'compute1')
    before = hostile.snapshot(service.db)
    answer = check(service, server)
    assert hostile.snapshot(service.db) == before, 'a check changes nothing'
    assert answer['source'] == 'compute1' and answer['force'] is False
    assert answer['summary'] == '2/3 hosts accept: 1 SourceHost'
    assert (answer['total'], answer['accepting']) == (3, 2)
    hosts = answer['hosts']
    assert [h['accepted'] for h in hosts] == [True, True, False]
    assert hosts[2]['host'] == 'compute1'
    assert reasons(hosts[2]['refusals']) == [
        'SourceHost: Cannot migrate to the host where the server exists.']
    assert hosts[0]['weight'] >= hosts[1]['weight']
    for host in hosts[:2]:
        assert host['up'] is True and host['enabled'] is True
        assert host['refusals'] == [] and host['force'] == {'overrides': [],
                                                           'blocks': []}
        assert [v['check'] for v in host['verdicts']] == [
            'ComputeFilter', 'AvailabilityZoneFilter', 'CapacityFilter',
            'AggregateInstanceExtraSpecsFilter', 'ServerGroupAffinityFilter',
            'ServerGroupAntiAffinityFilter', 'SameHostFilter', 'DifferentHostFilter']
        assert all(v['passed'] for v in host['verdicts'])


def test_what_force_would_change(service):
    server = ops.boot_on(service, 'compute1', flavor='3')  # 4096 MB
    big = ops.create_flavor(service, 'big', ram=30000)
    ops.boot_on(service, 'compute2', flavor=big)
    ops.update_service(service, 'compute3', status='disabled',
                       disabled_reason='firmware upgrade')
    answer = check(service, server, hosts=['compute2', 'compute3', 'nowhere'])
    assert answer['summary'] == ('0/3 hosts accept: 1 CapacityFilter (MEMORY_MB), '
                                 '1 ComputeFilter, 1 HostExists')
    found = by_host(answer)
    full, disabled, unknown = found['compute2'], found['compute3'], found['nowhere']
    assert reasons(full['refusals']) == [
        'CapacityFilter: MEMORY_MB needs 4096, 2256 free of 32256 at ratio 1']
    (shortfall,) = full['refusals'][0]['shortfalls']
    assert shortfall == {'resource_class': 'MEMORY_MB', 'requested': 4096,
                         'free': 2256, 'capacity': 32256, 'allocation_ratio': 1.0,
                         'reserved': 512}
    # Force goes past the filters, never past the claim.
    assert full['force']['overrides'] == []
    assert reasons(full['force']['blocks']) == reasons(full['refusals'])
    assert disabled['enabled'] is False and disabled['up'] is True
    assert reasons(disabled['force']['overrides']) == [
        'ComputeFilter: compute service is disabled (firmware upgrade)']
    assert disabled['force']['blocks'] == []
    assert unknown['exists'] is False and unknown['verdicts'] == []
    assert reasons(unknown['refusals']) == [
        'HostExists: Compute host nowhere could not be found.']

    forced = check(service, server, hosts=['compute2', 'compute3', 'nowhere'],
                   force=True)
    assert forced['summary'] == ('1/3 hosts accept a forced move: 1 CapacityFilter '
                                 '(MEMORY_MB), 1 HostExists')
    assert [h['host'] for h in forced['hosts'] if h['accepted']] == ['compute3']
    api_samples.check('migrator/migration-check-force-resp.json',
                      {'migration_check': forced})


def test_a_down_host_blocks_even_a_forced_move(service):
    server = ops.boot_on(service, 'compute1')
    ops.update_service(service, 'compute2', forced_down=True)
    found = by_host(check(service, server, hosts=['compute2'], force=True))['compute2']
    assert found['up'] is False and found['accepted'] is False
    assert 'ComputeFilter: compute service is down' in reasons(found['force']['blocks'])
    assert any(r.startswith('ComputeServiceUp: Compute service of compute2 is down')
               for r in reasons(found['force']['blocks']))


def test_a_server_that_cannot_move_refuses_every_host(service):
    server = ops.boot_on(service, 'compute1')
    service.action(server, {'migrate': {'host': 'compute2'}}, status=202)
    service.wait_status(server, 'VERIFY_RESIZE')
    answer = check(service, server)
    assert answer['accepting'] == 0
    assert reasons(answer['server_refusals']) == [
        "ServerState: Cannot 'migrate' instance %s while it is in vm_state "
        "resized" % server]
    assert answer['summary'].startswith('0/3 hosts accept: Cannot')


def test_paging(service):
    server = ops.boot_on(service, 'compute1')
    first = check(service, server, limit=1)
    assert len(first['hosts']) == 1 and first['total'] == 3
    second = check(service, server, limit=2, marker=first['next_marker'])
    everything = [h['host'] for h in check(service, server)['hosts']]
    assert [h['host'] for h in first['hosts'] + second['hosts']] == everything
    assert 'next_marker' in second
    resp = check(service, server, status=400, marker='nowhere')
    assert resp['badRequest']['message'] == 'marker [nowhere] not found'


def test_a_page_holds_at_most_max_limit_hosts(service):
    """Every host is judged and counted; a page shows at most [api]
    max_limit of them, whatever limit asks, as every list of the API."""
    server = ops.boot_on(service, 'compute1')
    service.conf.set_override('max_limit', 2, group='api')
    try:
        first = check(service, server)
        assert len(first['hosts']) == 2
        assert (first['total'], first['accepting']) == (3, 2)
        assert first['summary'] == '2/3 hosts accept: 1 SourceHost'
        assert first['next_marker'] == first['hosts'][-1]['host']
        assert len(check(service, server, limit=50)['hosts']) == 2
        rest = check(service, server, marker=first['next_marker'])
        assert [h['host'] for h in rest['hosts']] == ['compute1']
        assert 'next_marker' not in rest
    finally:
        service.conf.clear_override('max_limit', group='api')


def test_who_may_check_and_what_is_refused(service):
    server = service.boot(token='alice:proj')
    check(service, server, status=403, token='mia:proj:manager')
    check(service, server, status=404, token='bob:other:admin2')
    resp = check(service, server, status=404, version='1.0')
    assert 'itemNotFound' in resp
    resp = check(service, server, status=400, hosts=[])
    assert 'hosts' in resp['badRequest']['message']
    resp = check(service, server, status=400, bogus=1)
    assert 'bogus' in resp['badRequest']['message']
    check(service, '00000000-0000-4000-8000-000000000000', status=404)
