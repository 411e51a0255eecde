"""Version documents and microversion negotiation, over HTTP."""

import pytest

from tests.fixtures import headers

VARY = 'OpenStack-API-Version, X-OpenStack-Nova-API-Version'


def assert_versioned(resp, version):
    assert resp.headers['OpenStack-API-Version'] == 'compute %s' % version
    assert resp.headers['X-OpenStack-Nova-API-Version'] == version
    assert resp.headers['Vary'] == VARY


def test_root_lists_v20_then_v21_without_a_token(service):
    resp = service.app.get('/')
    assert resp.status_int == 200
    assert resp.content_type == 'application/json'
    v20, v21 = resp.json['versions']
    assert v20 == {
        'id': 'v2.0', 'status': 'SUPPORTED', 'version': '', 'min_version': '',
        'updated': '2011-01-21T11:33:21Z',
        'links': [{'rel': 'self', 'href': 'http://localhost:80/v2/'}]}
    assert v21 == {
        'id': 'v2.1', 'status': 'CURRENT', 'version': '2.56',
        'min_version': '2.1', 'updated': '2013-07-23T11:33:21Z',
        'links': [{'rel': 'self', 'href': 'http://localhost:80/v2.1/'}]}


def test_each_listed_version_answers_its_own_document(service):
    """What tempest's test_get_version_details follows: each self link."""
    for listed in service.app.get('/').json['versions']:
        (link,) = [x for x in listed['links'] if x['rel'] == 'self']
        document = service.app.get(link['href'].removeprefix('http://localhost:80'))
        shown = document.json['version']
        assert shown['id'] == listed['id']
        assert [x for x in shown['links'] if x['rel'] == 'self'] == [link]


def test_nothing_is_served_below_v2(service):
    resp = service.app.get('/v2/servers', headers={'X-Auth-Token': 'admin:admin'},
                           status=404)
    assert resp.content_type == 'application/json'


@pytest.mark.parametrize('path', ['/v2.1/', '/v2.1'])
def test_v21_document(service, path):
    resp = service.app.get(path)
    assert resp.status_int == 200
    document = resp.json['version']
    assert document['id'] == 'v2.1'
    assert document['status'] == 'CURRENT'
    assert document['version'] == '2.56'
    assert document['min_version'] == '2.1'
    assert document['updated'] == '2013-07-23T11:33:21Z'
    assert {'rel': 'self', 'href': 'http://localhost:80/v2.1/'} in document['links']
    assert any(link['rel'] == 'describedby' for link in document['links'])
    assert document['media-types'] == [{
        'base': 'application/json',
        'type': 'application/vnd.openstack.compute+json;version=2.1'}]
    assert_versioned(resp, '2.1')


def test_version_document_honours_the_requested_version(service):
    resp = service.app.get('/v2.1/', headers={'OpenStack-API-Version': 'compute 2.40'})
    assert_versioned(resp, '2.40')


def test_absent_header_means_2_1(service):
    resp = service.app.get('/v2.1/flavors/1', headers=headers())
    assert_versioned(resp, '2.1')
    assert 'description' not in resp.json['flavor']


def test_latest_means_2_56(service):
    resp = service.app.get('/v2.1/flavors/1', headers=headers(version='latest'))
    assert_versioned(resp, '2.56')
    assert 'description' in resp.json['flavor']


def test_legacy_header_alone_is_honoured(service):
    resp = service.app.get('/v2.1/flavors/1', headers={
        'X-Auth-Token': 'admin:admin', 'X-OpenStack-Nova-API-Version': '2.55'})
    assert_versioned(resp, '2.55')
    assert 'description' in resp.json['flavor']


def test_new_header_wins_over_legacy(service):
    resp = service.app.get('/v2.1/flavors/1', headers={
        'X-Auth-Token': 'admin:admin',
        'OpenStack-API-Version': 'compute 2.54',
        'X-OpenStack-Nova-API-Version': '2.55'})
    assert_versioned(resp, '2.54')
    assert 'description' not in resp.json['flavor']


def test_another_services_header_is_ignored(service):
    resp = service.app.get('/v2.1/flavors/1', headers={
        'X-Auth-Token': 'admin:admin', 'OpenStack-API-Version': 'volume 3.50'})
    assert_versioned(resp, '2.1')


@pytest.mark.parametrize('value', ['2.x', 'two', '2', '2.1.1'])
def test_malformed_version_is_400(service, value):
    resp = service.app.get('/v2.1/flavors', headers=headers(version=value),
                           status=400)
    assert resp.json['badRequest']['code'] == 400
    assert value in resp.json['badRequest']['message']
    assert resp.headers['Vary'] == VARY


@pytest.mark.parametrize('value', ['2.0', '2.57', '3.0'])
def test_out_of_range_is_406(service, value):
    resp = service.app.get('/v2.1/servers', headers=headers(version=value),
                           status=406)
    assert resp.json == {'computeFault': {
        'code': 406,
        'message': 'Version %s is not supported by the API. Minimum is 2.1 '
                   'and maximum is 2.56.' % value}}
    assert resp.headers['Vary'] == VARY


def test_legacy_header_out_of_range_is_406(service):
    resp = service.app.get('/v2.1/servers', headers={
        'X-Auth-Token': 'admin:admin', 'X-OpenStack-Nova-API-Version': '2.99'},
        status=406)
    assert 'Version 2.99 is not supported' in resp.json['computeFault']['message']


def test_error_responses_carry_the_version_headers(service):
    missing = 'f6a1e0a4-6f43-4f0a-9a47-5b8d1e9d6c11'
    not_found = service.app.get('/v2.1/servers/%s' % missing,
                                headers=headers(version='2.19'), status=404)
    assert_versioned(not_found, '2.19')
    unauthenticated = service.app.get(
        '/v2.1/servers', headers={'OpenStack-API-Version': 'compute 2.30'},
        status=401)
    assert_versioned(unauthenticated, '2.30')
    forbidden = service.app.get('/v2.1/os-hypervisors',
                                headers=headers('user:project', '2.47'), status=403)
    assert_versioned(forbidden, '2.47')
    bad_method = service.app.put('/v2.1/servers', headers=headers(version='2.3'),
                                 status=405)
    assert_versioned(bad_method, '2.3')
    bad_body = service.app.post('/v2.1/servers', '{nope',
                                headers=headers(version='2.53',
                                                **{'Content-Type': 'application/json'}),
                                status=400)
    assert_versioned(bad_body, '2.53')
    too_large = service.app.post(
        '/v2.1/servers', 'x' * (service.conf.api.max_request_body_size + 1),
        headers=headers(version='2.12', **{'Content-Type': 'application/json'}),
        status=413)
    assert_versioned(too_large, '2.12')


def test_project_id_in_the_path_is_accepted(service):
    resp = service.app.get('/v2.1/admin/flavors/1', headers=headers(version='2.55'))
    assert_versioned(resp, '2.55')
    assert resp.json['flavor']['id'] == '1'


def test_every_response_has_a_request_id(service):
    resp = service.app.get('/v2.1/flavors', headers=headers())
    assert resp.headers['x-openstack-request-id'].startswith('req-')
    error = service.app.get('/v2.1/flavors/nope', headers=headers(), status=404)
    assert error.headers['x-openstack-request-id'].startswith('req-')
