"""The flavors and flavor extra specs samples of the API reference, replayed."""

from tests.fixtures import headers
from tests.functional import api_samples

D = 'flavors/'
E = 'flavor-extra-specs/'


def _get(service, url, version=None, token='demo:demo', status=200):
    return service.app.get(url, headers=headers(token, version), status=status).json


def test_list_and_show(service):
    check = api_samples.check
    check(D + 'flavors-list-resp.json', _get(service, '/v2.1/flavors'))
    check(D + 'v2.55-flavors-list-resp.json', _get(service, '/v2.1/flavors', '2.55'))
    check(D + 'flavors-detail-resp.json', _get(service, '/v2.1/flavors/detail'))
    check(D + 'v2.55-flavors-detail-resp.json',
          _get(service, '/v2.1/flavors/detail', '2.55'))
    check(D + 'flavors-list-paged-resp.json',
          _get(service, '/v2.1/flavors?limit=2&minRam=2048'))
    check(D + 'flavor-get-resp.json', _get(service, '/v2.1/flavors/1'))
    check(D + 'v2.55-flavor-get-resp.json', _get(service, '/v2.1/flavors/1', '2.55'))
    check(D + 'flavor-get-not-found-resp.json',
          _get(service, '/v2.1/flavors/42', status=404))
    check(D + 'flavors-list-bad-sort-key-resp.json',
          _get(service, '/v2.1/flavors?sort_key=size', status=400))


def test_create_update_delete(service):
    check = api_samples.check

    def post(sample, version=None, token='admin:admin', status=200):
        return service.app.post_json('/v2.1/flavors', api_samples.load(D + sample),
                                     headers=headers(token, version),
                                     status=status).json

    check(D + 'flavor-create-resp.json', post('flavor-create-req.json'))
    check(D + 'v2.55-flavor-create-resp.json',
          post('v2.55-flavor-create-req.json', '2.55'))
    check(D + 'flavor-create-forbidden-resp.json',
          post('flavor-create-req.json', token='demo:demo', status=403))
    check(D + 'flavor-create-name-exists-resp.json',
          post('flavor-create-req.json', status=409))
    body = api_samples.load(D + 'flavor-create-req.json')
    body['flavor']['name'] = 'm1.custom2'
    check(D + 'flavor-create-id-exists-resp.json',
          service.app.post_json('/v2.1/flavors', body, headers=headers(),
                                status=409).json)
    body['flavor']['ram'] = 0
    check(D + 'flavor-create-invalid-resp.json',
          service.app.post_json('/v2.1/flavors', body, headers=headers(),
                                status=400).json)

    update = api_samples.load(D + 'v2.55-flavor-update-req.json')
    check(D + 'v2.55-flavor-update-resp.json',
          service.app.put_json('/v2.1/flavors/11', update,
                               headers=headers(version='2.55')).json)
    check(D + 'flavor-update-before-2.55-resp.json',
          service.app.put_json('/v2.1/flavors/11', update,
                               headers=headers(version='2.54'), status=405).json)

    resp = service.app.delete('/v2.1/flavors/10', headers=headers(), status=202)
    assert resp.body == b''
    check(D + 'flavor-delete-not-found-resp.json',
          service.app.delete('/v2.1/flavors/10', headers=headers(), status=404).json)


def test_extra_specs(service):
    check = api_samples.check
    url = '/v2.1/flavors/3/os-extra_specs'
    resp = service.app.post_json(url, api_samples.load(E + 'flavor-extra-specs-create-req.json'),
                                 headers=headers())
    check(E + 'flavor-extra-specs-create-resp.json', resp.json)
    check(E + 'flavor-extra-specs-list-resp.json', _get(service, url))
    check(E + 'flavor-extra-specs-get-resp.json', _get(service, url + '/ssd'))
    resp = service.app.put_json(url + '/ssd',
                                api_samples.load(E + 'flavor-extra-specs-update-req.json'),
                                headers=headers())
    check(E + 'flavor-extra-specs-update-resp.json', resp.json)
    check(E + 'flavor-extra-specs-update-key-mismatch-resp.json',
          service.app.put_json(url + '/hw:cpu_policy',
                               api_samples.load(E + 'flavor-extra-specs-update-req.json'),
                               headers=headers(), status=400).json)
    check(E + 'flavor-extra-specs-create-bad-key-resp.json',
          service.app.post_json(url, {'extra_specs': {'disk/type': 'ssd'}},
                                headers=headers(), status=400).json)
    check(E + 'flavor-extra-specs-create-forbidden-resp.json',
          service.app.post_json(url, api_samples.load(E + 'flavor-extra-specs-create-req.json'),
                                headers=headers('demo:demo'), status=403).json)
    resp = service.app.delete(url + '/ssd', headers=headers())
    assert resp.status_int == 200 and resp.body == b''
    check(E + 'flavor-extra-specs-get-not-found-resp.json',
          _get(service, url + '/ssd', status=404))


def _fault(resp) -> str:
    (fault,) = resp.json.values()
    assert fault['code'] == resp.status_int
    return fault['message']


def test_other_documented_faults(service):
    """The messages the flavors page states without a sample."""
    resp = service.app.get('/v2.1/flavors?marker=42', headers=headers(), status=400)
    assert _fault(resp) == 'marker [42] not found'
    resp = service.app.put_json('/v2.1/flavors/42', {'flavor': {'description': 'd'}},
                                headers=headers(version='2.55'), status=404)
    assert _fault(resp) == 'Flavor 42 could not be found.'
    resp = service.app.put_json('/v2.1/flavors/1', {'flavor': {}},
                                headers=headers(version='2.55'), status=400)
    assert _fault(resp) == ("Invalid input for field/attribute flavor/description. "
                            "'description' is a required property.")
    url = '/v2.1/flavors/1/os-extra_specs'
    resp = service.app.put_json(url + '/ssd', {'ssd': 'true', 'hdd': 'false'},
                                headers=headers(), status=400)
    assert _fault(resp).startswith('Invalid input for field/attribute body. ')
    assert _fault(resp).endswith('has too many properties')
    for method, path, rule in (('put_json', '/ssd', 'update'),
                               ('delete', '/ssd', 'delete')):
        args = (url + path, {'ssd': 'true'}) if method == 'put_json' else (url + path,)
        resp = getattr(service.app, method)(*args, headers=headers('demo:demo'),
                                            status=403)
        assert _fault(resp) == ('Policy does not allow os_compute_api:'
                                'os-flavor-extra-specs:%s to be performed.' % rule)
    resp = service.app.get('/v2.1/flavors/42/os-extra_specs', headers=headers(),
                           status=404)
    assert _fault(resp) == 'Flavor 42 could not be found.'
