"""GET /limits as a project sees it: nothing is limited, usage is counted."""

import pytest

from tests.fixtures import headers
from tests.functional import api_samples

DEMO = 'demo:demo'


@pytest.fixture(scope='module')
def service(module_service):
    return module_service


def _absolute(service, token=DEMO, version='2.56', query='', status=200):
    resp = service.app.get('/v2.1/limits' + query, headers=headers(token, version),
                           status=status)
    return resp.json['limits']['absolute'] if status == 200 else resp.json


def test_usage_follows_the_projects_servers_and_groups(service):
    before = _absolute(service)
    assert {k: v for k, v in before.items() if k.startswith('max')} == dict.fromkeys(
        ('maxServerMeta', 'maxPersonality', 'maxPersonalitySize', 'maxTotalKeypairs',
         'maxServerGroups', 'maxServerGroupMembers', 'maxTotalCores',
         'maxTotalInstances', 'maxTotalRAMSize'), -1)
    server = service.boot(flavor='2', token=DEMO)  # m1.small: 1 vCPU, 2048 MB
    service.app.post_json('/v2.1/os-server-groups', {'server_group': {
        'name': 'g', 'policies': ['affinity']}}, headers=headers(DEMO))
    after = _absolute(service)
    assert (after['totalInstancesUsed'] - before['totalInstancesUsed'],
            after['totalCoresUsed'] - before['totalCoresUsed'],
            after['totalRAMUsed'] - before['totalRAMUsed'],
            after['totalServerGroupsUsed'] - before['totalServerGroupsUsed']) == (
        1, 1, 2048, 1)
    assert _absolute(service, token='other:other')['totalInstancesUsed'] == 0
    service.app.delete('/v2.1/servers/%s' % server, headers=headers(DEMO))


def test_the_fields_of_each_microversion(service):
    network = {'maxSecurityGroups', 'maxSecurityGroupRules', 'maxTotalFloatingIps',
               'totalFloatingIpsUsed', 'totalSecurityGroupsUsed'}
    assert network | {'maxImageMeta'} <= set(_absolute(service, version='2.35'))
    at_236 = set(_absolute(service, version='2.36'))
    assert not network & at_236 and 'maxImageMeta' in at_236
    assert 'maxImageMeta' not in _absolute(service, version='2.39')


def test_another_projects_limits_are_for_administrators(service):
    service.boot(token=DEMO)
    assert _absolute(service, 'admin:admin', query='?tenant_id=demo')[
        'totalInstancesUsed'] >= 1
    refused = _absolute(service, 'other:other', query='?tenant_id=demo', status=403)
    assert refused['forbidden']['message'] == (
        'Policy does not allow os_compute_api:limits:other_project to be performed.')
    assert _absolute(service, query='?tenant_id=demo&unknown=1')['totalInstancesUsed'] >= 1


def test_samples(service):
    for version, name in (('2.1', 'limits-get-resp.json'),
                          ('2.36', 'v2.36-limits-get-resp.json'),
                          ('2.39', 'v2.39-limits-get-resp.json')):
        resp = service.app.get('/v2.1/limits', headers=headers('sample:sample', version))
        api_samples.check('limits/' + name, resp.json)
