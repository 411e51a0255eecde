"""The os-aggregates and os-availability-zone samples of the API reference,
replayed."""

from tests.fixtures import headers
from tests.functional import api_samples

D = 'os-aggregates/'
Z = 'os-availability-zone/'


def _post(service, url, sample, version=None, status=200):
    return service.app.post_json(url, api_samples.load(D + sample),
                                 headers=headers(version=version), status=status).json


def _get(service, url, version=None, token='admin:admin', status=200):
    return service.app.get(url, headers=headers(token, version), status=status).json


def test_aggregates(service):
    check = api_samples.check
    created = _post(service, '/v2.1/os-aggregates', 'aggregate-create-req.json')
    check(D + 'aggregate-create-resp.json', created)
    check(D + 'aggregate-create-name-exists-resp.json',
          _post(service, '/v2.1/os-aggregates', 'aggregate-create-req.json', status=409))
    resp = service.app.delete('/v2.1/os-aggregates/%s' % created['aggregate']['id'],
                              headers=headers())
    assert resp.status_int == 200 and resp.body == b''
    created = _post(service, '/v2.1/os-aggregates', 'aggregate-create-req.json', '2.41')
    check(D + 'v2.41-aggregate-create-resp.json', created)
    url = '/v2.1/os-aggregates/%s' % created['aggregate']['id']

    check(D + 'v2.41-aggregate-add-host-resp.json',
          _post(service, url + '/action', 'aggregate-add-host-req.json', '2.41'))
    check(D + 'v2.41-aggregate-set-metadata-resp.json',
          _post(service, url + '/action', 'aggregate-set-metadata-req.json', '2.41'))
    resp = service.app.put_json(url, api_samples.load(D + 'aggregate-update-req.json'),
                                headers=headers(version='2.41'))
    check(D + 'v2.41-aggregate-update-resp.json', resp.json)
    check(D + 'v2.41-aggregate-get-resp.json', _get(service, url, '2.41'))
    check(D + 'aggregates-list-resp.json', _get(service, '/v2.1/os-aggregates'))
    check(D + 'v2.41-aggregates-list-resp.json',
          _get(service, '/v2.1/os-aggregates', '2.41'))

    check(D + 'aggregate-add-host-exists-resp.json',
          _post(service, url + '/action', 'aggregate-add-host-req.json', status=409))
    check(D + 'aggregate-delete-not-empty-resp.json',
          service.app.delete(url, headers=headers(), status=400).json)
    other = service.app.post_json(
        '/v2.1/os-aggregates', {'aggregate': {'name': 'rack2', 'availability_zone': 'rome'}},
        headers=headers()).json['aggregate']['id']
    check(D + 'aggregate-add-host-zone-conflict-resp.json',
          _post(service, '/v2.1/os-aggregates/%s/action' % other,
                'aggregate-add-host-req.json', status=409))

    check(D + 'v2.41-aggregate-remove-host-resp.json',
          _post(service, url + '/action', 'aggregate-remove-host-req.json', '2.41'))
    check(D + 'aggregate-remove-host-not-member-resp.json',
          _post(service, url + '/action', 'aggregate-remove-host-req.json', status=404))


def test_aggregate_faults(service):
    check = api_samples.check
    body = {'aggregate': {'name': 'control', 'availability_zone': 'internal'}}
    check(D + 'aggregate-create-internal-zone-resp.json',
          service.app.post_json('/v2.1/os-aggregates', body, headers=headers(),
                                status=400).json)
    check(D + 'aggregate-get-not-found-resp.json',
          _get(service, '/v2.1/os-aggregates/42', status=404))
    check(D + 'aggregate-get-invalid-id-resp.json',
          _get(service, '/v2.1/os-aggregates/rack1', status=400))
    aggregate = service.app.post_json('/v2.1/os-aggregates',
                                      {'aggregate': {'name': 'rack1'}},
                                      headers=headers()).json['aggregate']['id']
    url = '/v2.1/os-aggregates/%s/action' % aggregate
    body = api_samples.load(D + 'aggregate-add-host-req.json')
    body['add_host']['host'] = 'compute9'
    check(D + 'aggregate-add-host-not-found-resp.json',
          service.app.post_json(url, body, headers=headers(), status=404).json)
    check(D + 'aggregate-action-unknown-resp.json',
          service.app.post_json(url, {'add_hosts': {'host': 'compute1'}},
                                headers=headers(), status=400).json)


def test_availability_zones(service):
    check = api_samples.check
    aggregate = _post(service, '/v2.1/os-aggregates',
                      'aggregate-create-req.json')['aggregate']['id']
    service.app.post_json('/v2.1/os-aggregates/%s/action' % aggregate,
                          {'add_host': {'host': 'compute3'}}, headers=headers())
    check(Z + 'availability-zone-list-resp.json',
          _get(service, '/v2.1/os-availability-zone', token='demo:demo'))
    check(Z + 'availability-zone-detail-resp.json',
          _get(service, '/v2.1/os-availability-zone/detail'))
    check(Z + 'availability-zone-detail-forbidden-resp.json',
          _get(service, '/v2.1/os-availability-zone/detail', token='demo:demo',
               status=403))


def _fault(resp) -> str:
    (fault,) = resp.json.values()
    assert fault['code'] == resp.status_int
    return fault['message']


def test_other_documented_faults(service):
    """The messages the os-aggregates page states without a sample."""
    first = _post(service, '/v2.1/os-aggregates',
                  'aggregate-create-req.json')['aggregate']['id']
    _post(service, '/v2.1/os-aggregates/%s/action' % first, 'aggregate-add-host-req.json')
    second = service.app.post_json('/v2.1/os-aggregates', {'aggregate': {'name': 'rack2'}},
                                   headers=headers()).json['aggregate']['id']
    url = '/v2.1/os-aggregates/%s' % second
    service.app.post_json(url + '/action', {'add_host': {'host': 'compute1'}},
                          headers=headers())
    resp = service.app.put_json(url, {'aggregate': {}}, headers=headers(), status=400)
    assert _fault(resp) == ('Invalid input for field/attribute aggregate. Value: {}. '
                            '{} should be non-empty')
    resp = service.app.put_json(url, {'aggregate': {'name': 'rack1'}}, headers=headers(),
                                status=409)
    assert _fault(resp) == 'Aggregate rack1 already exists.'
    resp = service.app.put_json(url, {'aggregate': {'availability_zone': 'internal'}},
                                headers=headers(), status=400)
    assert _fault(resp) == ("The availability zone 'internal' is reserved for the "
                            "control services.")
    resp = service.app.put_json(url, {'aggregate': {'availability_zone': 'rome'}},
                                headers=headers(), status=409)
    assert _fault(resp) == ('Host compute1 is already in availability zone london '
                            'through another aggregate; it cannot be in rome too.')
    resp = service.app.post_json(url + '/action',
                                 {'set_metadata': {'metadata': {'availability_zone': 'rome'}}},
                                 headers=headers(), status=409)
    assert _fault(resp) == ('Host compute1 is already in availability zone london '
                            'through another aggregate; it cannot be in rome too.')
    resp = service.app.post_json(url + '/action', {'add_host': {}}, headers=headers(),
                                 status=400)
    assert _fault(resp) == ("Invalid input for field/attribute add_host/host. "
                            "'host' is a required property.")
