"""Private flavors and who may use them (os-flavor-access), as in Nova."""

import pytest

from tests.fixtures import headers
from tests.invariants import assert_consistent

DEMO, OTHER = 'demo:demo', 'other:other'


@pytest.fixture(scope='module')
def service(module_service):
    return module_service


def _private(service, name):
    return service.app.post_json('/v2.1/flavors', {'flavor': {
        'name': name, 'ram': 512, 'vcpus': 1, 'disk': 1,
        'os-flavor-access:is_public': False}}, headers=headers()).json['flavor']['id']


def _access(service, flavor_id, action, tenant, status=200, token='admin:admin'):
    return service.app.post_json('/v2.1/flavors/%s/action' % flavor_id,
                                 {action: {'tenant': tenant}}, headers=headers(token),
                                 status=status).json


def _names(service, token):
    return {f['name'] for f in service.app.get('/v2.1/flavors',
                                               headers=headers(token)).json['flavors']}


def test_a_project_given_access_sees_and_boots_a_private_flavor(service):
    flavor = _private(service, 'gold')
    assert 'gold' not in _names(service, DEMO)
    assert _access(service, flavor, 'addTenantAccess', 'demo') == {
        'flavor_access': [{'flavor_id': flavor, 'tenant_id': 'demo'}]}
    assert 'gold' in _names(service, DEMO) and 'gold' not in _names(service, OTHER)
    service.app.get('/v2.1/flavors/%s' % flavor, headers=headers(DEMO), status=200)
    service.app.get('/v2.1/flavors/%s' % flavor, headers=headers(OTHER), status=404)
    server = service.boot(flavor=flavor, token=DEMO)
    refused = service.app.post_json('/v2.1/servers', {'server': {
        'name': 'no', 'flavorRef': flavor}}, headers=headers(OTHER), status=400)
    assert 'could not be found' in refused.json['badRequest']['message']

    assert _access(service, flavor, 'removeTenantAccess', 'demo') == {'flavor_access': []}
    assert 'gold' not in _names(service, DEMO)
    # The server keeps its copy of the flavor.
    assert service.show(server, token=DEMO)['status'] == 'ACTIVE'
    assert_consistent(service.db)


def test_the_access_list_and_its_faults(service):
    flavor = _private(service, 'silver')
    listed = service.app.get('/v2.1/flavors/%s/os-flavor-access' % flavor,
                             headers=headers()).json
    assert listed == {'flavor_access': []}
    _access(service, flavor, 'addTenantAccess', 'p1')
    duplicate = _access(service, flavor, 'addTenantAccess', 'p1', status=409)
    assert duplicate['conflictingRequest']['message'] == (
        'Flavor access already exists for flavor %s and project p1 combination.'
        % flavor)
    missing = _access(service, flavor, 'removeTenantAccess', 'p2', status=404)
    assert 'Flavor access not found' in missing['itemNotFound']['message']
    public = _access(service, '1', 'addTenantAccess', 'p1', status=409)
    assert public['conflictingRequest']['message'] == (
        'Can not add access to a public flavor.')
    resp = service.app.get('/v2.1/flavors/1/os-flavor-access', headers=headers(),
                           status=404)
    assert resp.json['itemNotFound']['message'] == (
        'Access list not available for public flavors.')
    _access(service, flavor, 'addTenantAccess', 'p3', status=403, token=DEMO)
    bad = _access(service, flavor, 'addTenantAccess', '', status=400)
    assert 'addTenantAccess/tenant' in bad['badRequest']['message']
