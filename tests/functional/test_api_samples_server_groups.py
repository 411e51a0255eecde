"""The os-server-groups samples of the API reference, replayed."""

from tests.fixtures import headers
from tests.functional import api_samples

D = 'os-server-groups/'
OWNER = 'demo:demo'


def _get(service, url, version=None, token=OWNER, status=200):
    return service.app.get(url, headers=headers(token, version), status=status).json


def test_server_groups(service):
    check = api_samples.check
    body = api_samples.load(D + 'server-group-create-req.json')
    resp = service.app.post_json('/v2.1/os-server-groups', body, headers=headers(OWNER))
    check(D + 'server-group-create-resp.json', resp.json)
    group = resp.json['server_group']['id']
    resp = service.app.post_json('/v2.1/os-server-groups', body,
                                 headers=headers(OWNER, '2.13'))
    check(D + 'v2.13-server-group-create-resp.json', resp.json)
    service.app.delete('/v2.1/os-server-groups/%s' % resp.json['server_group']['id'],
                       headers=headers(OWNER), status=204)

    server = api_samples.load('servers/server-create-hints-req.json')
    server['os:scheduler_hints']['group'] = group
    member = service.app.post_json('/v2.1/servers', server,
                                   headers=headers(OWNER)).json['server']['id']
    service.wait_status(member, 'ACTIVE', token=OWNER)

    url = '/v2.1/os-server-groups/%s' % group
    check(D + 'server-group-get-resp.json', _get(service, url))
    check(D + 'v2.13-server-group-get-resp.json', _get(service, url, '2.13'))
    check(D + 'server-groups-list-resp.json', _get(service, '/v2.1/os-server-groups'))
    check(D + 'v2.13-server-groups-list-resp.json',
          _get(service, '/v2.1/os-server-groups?all_projects=true', '2.13',
               token='admin:admin'))

    check(D + 'server-group-get-not-found-resp.json',
          _get(service, url, token='other:other', status=404))
    check(D + 'server-groups-list-all-projects-forbidden-resp.json',
          _get(service, '/v2.1/os-server-groups?all_projects=true', status=403))
    body['server_group']['policies'] = ['soft-anti-affinity']
    check(D + 'server-group-create-bad-policy-resp.json',
          service.app.post_json('/v2.1/os-server-groups', body, headers=headers(OWNER),
                                status=400).json)
    service.app.delete(url, headers=headers(OWNER), status=204)


def test_other_documented_faults(service):
    """The messages the os-server-groups page states without a sample."""
    resp = service.app.get('/v2.1/os-server-groups?limit=many', headers=headers(OWNER),
                           status=400)
    assert resp.json['badRequest']['message'].startswith(
        'Invalid input for field/attribute limit. Value: "many". ')
    resp = service.app.delete('/v2.1/os-server-groups/db-replicas',
                              headers=headers(OWNER), status=404)
    assert resp.json['itemNotFound']['message'] == (
        'Server group db-replicas could not be found.')
