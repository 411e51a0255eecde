"""The os-services samples of the API reference, replayed."""

from tests.fixtures import headers
from tests.functional import api_samples
from tests.functional import migrate_helpers as ops

D = 'os-services/'


def _put(service, url, sample, version=None, status=200):
    return service.app.put_json(url, api_samples.load(D + sample),
                                headers=headers(version=version), status=status).json


def _get(service, url, version=None, status=200):
    return service.app.get(url, headers=headers(version=version), status=status).json


def test_services_before_2_53(service):
    check = api_samples.check
    check(D + 'services-list-resp.json', _get(service, '/v2.1/os-services'))
    check(D + 'service-disable-put-resp.json',
          _put(service, '/v2.1/os-services/disable', 'service-disable-put-req.json'))
    check(D + 'service-disable-log-put-resp.json',
          _put(service, '/v2.1/os-services/disable-log-reason',
               'service-disable-log-put-req.json'))
    check(D + 'service-enable-put-resp.json',
          _put(service, '/v2.1/os-services/enable', 'service-enable-put-req.json'))
    check(D + 'v2.11-service-force-down-put-resp.json',
          _put(service, '/v2.1/os-services/force-down',
               'v2.11-service-force-down-put-req.json', '2.11'))
    check(D + 'service-force-down-before-2.11-resp.json',
          _put(service, '/v2.1/os-services/force-down',
               'v2.11-service-force-down-put-req.json', status=404))
    check(D + 'service-disable-log-no-reason-resp.json',
          _put(service, '/v2.1/os-services/disable-log-reason',
               'service-disable-put-req.json', status=400))
    body = api_samples.load(D + 'service-disable-put-req.json')
    body['host'] = 'compute9'
    check(D + 'service-update-not-found-resp.json',
          service.app.put_json('/v2.1/os-services/disable', body, headers=headers(),
                               status=404).json)
    body = {'host': 'controller', 'binary': 'nova-conductor'}
    check(D + 'service-update-not-compute-resp.json',
          service.app.put_json('/v2.1/os-services/disable', body, headers=headers(),
                               status=400).json)

    ops.boot_on(service, 'compute2')
    check(D + 'service-delete-in-use-resp.json',
          service.app.delete('/v2.1/os-services/4', headers=headers(),
                             status=409).json)
    service.app.delete('/v2.1/os-services/5', headers=headers(), status=204)
    check(D + 'service-delete-not-found-resp.json',
          service.app.delete('/v2.1/os-services/5', headers=headers(),
                             status=404).json)


def test_services_from_2_53(service):
    check = api_samples.check
    listed = _get(service, '/v2.1/os-services', '2.53')
    check(D + 'v2.53-services-list-resp.json', listed)
    compute1 = next(s['id'] for s in listed['services'] if s['host'] == 'compute1')
    url = '/v2.1/os-services/%s' % compute1
    check(D + 'v2.53-service-disable-put-resp.json',
          _put(service, url, 'v2.53-service-disable-put-req.json', '2.53'))
    check(D + 'v2.53-service-enable-put-resp.json',
          _put(service, url, 'v2.53-service-enable-put-req.json', '2.53'))
    check(D + 'v2.53-service-force-down-put-resp.json',
          _put(service, url, 'v2.53-service-force-down-put-req.json', '2.53'))
    service.app.put_json(url, {'forced_down': False}, headers=headers(version='2.53'))
    check(D + 'v2.53-service-update-reason-needs-disabled-resp.json',
          service.app.put_json(url, {'status': 'enabled', 'disabled_reason': 'maintenance'},
                               headers=headers(version='2.53'), status=400).json)
    check(D + 'v2.53-service-update-invalid-uuid-resp.json',
          _put(service, '/v2.1/os-services/3', 'v2.53-service-enable-put-req.json',
               '2.53', status=400))
    compute3 = next(s['id'] for s in listed['services'] if s['host'] == 'compute3')
    service.app.delete('/v2.1/os-services/%s' % compute3,
                       headers=headers(version='2.53'), status=204)
    check(D + 'v2.53-service-not-found-resp.json',
          _put(service, '/v2.1/os-services/%s' % compute3,
               'v2.53-service-enable-put-req.json', '2.53', status=404))


def _fault(resp) -> str:
    (fault,) = resp.json.values()
    assert fault['code'] == resp.status_int
    return fault['message']


def test_other_documented_faults(service):
    """The messages the os-services page states without a sample."""
    v253 = headers(version='2.53')
    services = _get(service, '/v2.1/os-services', '2.53')['services']
    conductor = next(s['id'] for s in services if s['binary'] == 'nova-conductor')
    compute1 = next(s['id'] for s in services if s['host'] == 'compute1')
    resp = service.app.put_json('/v2.1/os-services/%s' % conductor,
                                {'status': 'disabled'}, headers=v253, status=400)
    assert _fault(resp) == ('Updating a conductor service is not supported. '
                            'Only compute services can be updated.')
    resp = service.app.put_json('/v2.1/os-services/%s' % compute1, {}, headers=v253,
                                status=400)
    assert _fault(resp).startswith('Invalid input for field/attribute body. ')
    resp = service.app.delete('/v2.1/os-services/compute1', headers=headers(),
                              status=400)
    assert _fault(resp) == ('Invalid input for field/attribute id. Value: compute1. '
                            'It must be an integer.')
    resp = service.app.delete('/v2.1/os-services/3', headers=v253, status=400)
    assert _fault(resp) == 'Invalid uuid 3'
    body = api_samples.load(D + 'v2.11-service-force-down-put-req.json')
    del body['forced_down']
    resp = service.app.put_json('/v2.1/os-services/force-down', body,
                                headers=headers(version='2.11'), status=400)
    assert _fault(resp) == ("Invalid input for field/attribute forced_down. "
                            "'forced_down' is a required property.")
