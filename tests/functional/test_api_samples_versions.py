"""The version documents and the errors any call may answer, replayed."""

from tests.fixtures import headers
from tests.functional import api_samples


def test_version_documents(service):
    resp = service.app.get('/')
    api_samples.check('versions/versions-get-resp.json', resp.json)
    resp = service.app.get('/v2.1/', headers={'OpenStack-API-Version': 'compute 2.56'})
    api_samples.check('versions/v21-version-get-resp.json', resp.json)
    assert resp.headers['OpenStack-API-Version'] == 'compute 2.56'
    assert resp.headers['X-OpenStack-Nova-API-Version'] == '2.56'


def test_version_negotiation_faults(service):
    resp = service.app.get('/v2.1/flavors', headers=headers(version='2.57'), status=406)
    api_samples.check('versions/version-unsupported-resp.json', resp.json)
    resp = service.app.get('/v2.1/flavors', headers=headers(version='two'), status=400)
    api_samples.check('versions/version-malformed-resp.json', resp.json)


def test_common_faults(service):
    check = api_samples.check
    resp = service.app.get('/v2.1/flavors', status=401)
    check('errors/not-authenticated-resp.json', resp.json)
    resp = service.app.get('/v2.1/os-hypervisors', headers=headers('demo:demo'),
                           status=403)
    check('errors/policy-forbidden-resp.json', resp.json)
    resp = service.app.get('/v2.1/os-networks', headers=headers(), status=404)
    check('errors/route-not-found-resp.json', resp.json)
    resp = service.app.delete('/v2.1/flavors', headers=headers(), status=405)
    check('errors/method-not-allowed-resp.json', resp.json)
    assert resp.headers['Allow'] == 'GET, POST, OPTIONS'
    resp = service.app.post('/v2.1/os-aggregates', '{"aggregate": ',
                            headers=headers(**{'Content-Type': 'application/json'}),
                            status=400)
    check('errors/body-not-json-resp.json', resp.json)
    resp = service.app.post('/v2.1/os-aggregates', 'name=rack1',
                            headers=headers(**{'Content-Type': 'text/plain'}),
                            status=415)
    check('errors/unsupported-media-type-resp.json', resp.json)
    resp = service.app.post('/v2.1/os-aggregates', ' ' * 200000,
                            headers=headers(**{'Content-Type': 'application/json'}),
                            status=413)
    check('errors/body-too-large-resp.json', resp.json)
