"""os-aggregates and os-availability-zone: grouping hosts into zones."""

import pytest

from tests.fixtures import headers

USER = 'alice:project-a'


def create(service, name, zone=None, status=None, version=None):
    body = {'name': name}
    if zone is not None:
        body['availability_zone'] = zone
    return service.app.post_json('/v2.1/os-aggregates', {'aggregate': body},
                                 headers=headers(version=version), status=status)


def action(service, aggregate_id, body, status=None):
    return service.app.post_json('/v2.1/os-aggregates/%s/action' % aggregate_id, body,
                                 headers=headers(), status=status)


def zones(service, detail=False, token='admin:admin') -> dict:
    path = '/v2.1/os-availability-zone' + ('/detail' if detail else '')
    info = service.app.get(path, headers=headers(token)).json['availabilityZoneInfo']
    return {zone['zoneName']: zone for zone in info}


def test_create_show_list(service):
    resp = create(service, 'rack1', zone='east')
    created = resp.json['aggregate']
    assert set(created) == {'id', 'name', 'availability_zone', 'created_at',
                            'updated_at', 'deleted', 'deleted_at'}
    assert (created['name'], created['availability_zone'], created['deleted']) == (
        'rack1', 'east', False)
    assert isinstance(created['id'], int)
    shown = service.app.get('/v2.1/os-aggregates/%d' % created['id'],
                            headers=headers()).json['aggregate']
    assert (shown['hosts'], shown['metadata']) == ([], {'availability_zone': 'east'})
    assert 'uuid' not in shown
    assert 'uuid' in service.app.get('/v2.1/os-aggregates/%d' % created['id'],
                                     headers=headers(version='2.41')).json['aggregate']
    plain = create(service, 'rack2').json['aggregate']
    assert plain['availability_zone'] is None
    listed = service.app.get('/v2.1/os-aggregates', headers=headers()).json['aggregates']
    assert [a['name'] for a in listed] == ['rack1', 'rack2']


def test_duplicate_name_is_409(service):
    create(service, 'rack1')
    resp = create(service, 'rack1', status=409)
    assert resp.json['conflictingRequest']['message'] == 'Aggregate rack1 already exists.'


def test_add_and_remove_hosts(service):
    aggregate_id = create(service, 'rack1').json['aggregate']['id']
    resp = action(service, aggregate_id, {'add_host': {'host': 'compute1'}})
    assert resp.json['aggregate']['hosts'] == ['compute1']
    action(service, aggregate_id, {'add_host': {'host': 'compute2'}})
    again = action(service, aggregate_id, {'add_host': {'host': 'compute2'}}, status=409)
    assert 'compute2' in again.json['conflictingRequest']['message']
    unknown = action(service, aggregate_id, {'add_host': {'host': 'compute9'}},
                     status=404)
    assert unknown.json['itemNotFound']['message'] == \
        'Compute host compute9 could not be found.'
    resp = action(service, aggregate_id, {'remove_host': {'host': 'compute1'}})
    assert resp.json['aggregate']['hosts'] == ['compute2']
    missing = action(service, aggregate_id, {'remove_host': {'host': 'compute1'}},
                     status=404)
    assert 'compute1' in missing.json['itemNotFound']['message']
    action(service, 999, {'add_host': {'host': 'compute1'}}, status=404)


def test_set_metadata_sets_and_removes_keys_and_the_zone(service):
    aggregate_id = create(service, 'ssd').json['aggregate']['id']
    action(service, aggregate_id, {'add_host': {'host': 'compute3'}})
    resp = action(service, aggregate_id, {'set_metadata': {'metadata': {
        'ssd': 'true', 'availability_zone': 'fast'}}})
    aggregate = resp.json['aggregate']
    assert aggregate['metadata'] == {'ssd': 'true', 'availability_zone': 'fast'}
    assert aggregate['availability_zone'] == 'fast'
    assert 'fast' in zones(service)
    resp = action(service, aggregate_id, {'set_metadata': {'metadata': {
        'ssd': None, 'availability_zone': None}}})
    assert resp.json['aggregate']['metadata'] == {}
    assert resp.json['aggregate']['availability_zone'] is None
    assert 'fast' not in zones(service)


def test_update_renames_and_rezones(service):
    aggregate_id = create(service, 'old').json['aggregate']['id']
    resp = service.app.put_json('/v2.1/os-aggregates/%d' % aggregate_id, {
        'aggregate': {'name': 'new', 'availability_zone': 'west'}}, headers=headers())
    assert (resp.json['aggregate']['name'],
            resp.json['aggregate']['availability_zone']) == ('new', 'west')
    create(service, 'other')
    service.app.put_json('/v2.1/os-aggregates/%d' % aggregate_id, {
        'aggregate': {'name': 'other'}}, headers=headers(), status=409)


def test_a_host_cannot_be_in_two_zones(service):
    east = create(service, 'east-racks', zone='east').json['aggregate']['id']
    west = create(service, 'west-racks', zone='west').json['aggregate']['id']
    action(service, east, {'add_host': {'host': 'compute1'}})
    resp = action(service, west, {'add_host': {'host': 'compute1'}}, status=409)
    message = resp.json['conflictingRequest']['message']
    assert 'compute1' in message and 'east' in message and 'west' in message
    # Through metadata of a zone-less aggregate holding the host.
    plain = create(service, 'plain').json['aggregate']['id']
    action(service, plain, {'add_host': {'host': 'compute1'}})
    action(service, plain, {'set_metadata': {'metadata': {
        'availability_zone': 'west'}}}, status=409)
    service.app.put_json('/v2.1/os-aggregates/%d' % plain, {
        'aggregate': {'availability_zone': 'west'}}, headers=headers(), status=409)
    # The same zone twice is fine.
    action(service, plain, {'set_metadata': {'metadata': {
        'availability_zone': 'east'}}})
    shown = service.app.get('/v2.1/os-aggregates/%d' % west,
                            headers=headers()).json['aggregate']
    assert shown['hosts'] == []


def test_the_internal_zone_is_reserved(service):
    resp = create(service, 'control', zone='internal', status=400)
    assert 'internal' in resp.json['badRequest']['message']


def test_delete(service):
    aggregate_id = create(service, 'temporary').json['aggregate']['id']
    action(service, aggregate_id, {'add_host': {'host': 'compute2'}})
    resp = service.app.delete('/v2.1/os-aggregates/%d' % aggregate_id,
                              headers=headers(), status=400)
    assert 'compute2' in resp.json['badRequest']['message']
    action(service, aggregate_id, {'remove_host': {'host': 'compute2'}})
    service.app.delete('/v2.1/os-aggregates/%d' % aggregate_id, headers=headers(),
                       status=200)
    service.app.get('/v2.1/os-aggregates/%d' % aggregate_id, headers=headers(),
                    status=404)


@pytest.mark.parametrize('method, suffix, body', [
    ('GET', '', None),
    ('PUT', '', {'aggregate': {'name': 'renamed'}}),
    ('DELETE', '', None),
    ('POST', '/action', {'add_host': {'host': 'compute1'}}),
])
def test_an_invalid_id_is_404_and_a_non_integer_400(service, method, suffix, body):
    """As Nova: ``-1`` is an integer no aggregate has; ``abc`` is no id."""
    def send(aggregate_id, status):
        return service.app.request('/v2.1/os-aggregates/%s%s' % (aggregate_id, suffix),
                                   method=method, json=body, headers=headers(),
                                   status=status)
    resp = send('-1', 404)
    assert resp.json['itemNotFound']['message'] == 'Aggregate -1 could not be found.'
    assert 'abc' in send('abc', 400).json['badRequest']['message']


@pytest.mark.parametrize('method, path, body', [
    ('GET', '/v2.1/os-aggregates', None),
    ('POST', '/v2.1/os-aggregates', {'aggregate': {'name': 'x'}}),
    ('GET', '/v2.1/os-aggregates/1', None),
    ('POST', '/v2.1/os-aggregates/1/action', {'add_host': {'host': 'compute1'}}),
    ('DELETE', '/v2.1/os-aggregates/1', None),
])
def test_aggregates_are_admin_only(service, method, path, body):
    create(service, 'admins-only')
    resp = service.app.request(path, method=method, json=body, headers=headers(USER),
                               expect_errors=True)
    assert resp.status_int == 403
    assert 'os-aggregates' in resp.json['forbidden']['message']


# -- availability zones -------------------------------------------------------

def test_zone_list_for_users(service):
    listed = zones(service, token=USER)
    assert listed == {'nova': {'zoneName': 'nova', 'zoneState': {'available': True},
                               'hosts': None}}


def test_zone_detail_is_admin_only(service):
    resp = service.app.get('/v2.1/os-availability-zone/detail', headers=headers(USER),
                           status=403)
    assert 'os-availability-zone:detail' in resp.json['forbidden']['message']


def test_zones_follow_aggregates(service):
    aggregate_id = create(service, 'east-racks', zone='east').json['aggregate']['id']
    assert 'east' not in zones(service)  # a zone without hosts is not offered
    action(service, aggregate_id, {'add_host': {'host': 'compute1'}})
    assert set(zones(service, token=USER)) == {'nova', 'east'}
    detail = zones(service, detail=True)
    assert set(detail) == {'nova', 'east', 'internal'}
    assert set(detail['east']['hosts']) == {'compute1'}
    assert set(detail['nova']['hosts']) == {'compute2', 'compute3'}
    entry = detail['east']['hosts']['compute1']['nova-compute']
    assert (entry['available'], entry['active']) == (True, True)
    assert entry['updated_at']
    internal_binaries = {binary for host in detail['internal']['hosts'].values()
                         for binary in host}
    assert internal_binaries >= {'nova-conductor', 'nova-scheduler'}


def test_a_zone_whose_hosts_are_all_disabled_is_unavailable(service):
    aggregate_id = create(service, 'lonely', zone='lonely').json['aggregate']['id']
    action(service, aggregate_id, {'add_host': {'host': 'compute3'}})
    service.app.put_json('/v2.1/os-services/disable', {
        'host': 'compute3', 'binary': 'nova-compute'}, headers=headers())
    listed = zones(service, token=USER)
    assert listed['lonely']['zoneState'] == {'available': False}
    assert listed['nova']['zoneState'] == {'available': True}
    detail = zones(service, detail=True)
    assert detail['lonely']['hosts']['compute3']['nova-compute']['active'] is False


def test_servers_show_the_zone_of_their_host(service):
    aggregate_id = create(service, 'east-racks', zone='east').json['aggregate']['id']
    for host in ('compute1', 'compute2', 'compute3'):
        action(service, aggregate_id, {'add_host': {'host': host}})
    server_id = service.boot(token=USER)
    assert service.show(server_id, token=USER)['OS-EXT-AZ:availability_zone'] == 'east'
    services = service.app.get('/v2.1/os-services?binary=nova-compute',
                               headers=headers()).json['services']
    assert {s['zone'] for s in services} == {'east'}
