"""The os-hypervisors samples of the API reference, replayed."""

from tests.fixtures import headers
from tests.functional import api_samples
from tests.functional import migrate_helpers as ops

D = 'os-hypervisors/'


def _get(service, url, version=None, status=200):
    return service.app.get(url, headers=headers(version=version), status=status).json


def test_hypervisors_before_2_53(service):
    check = api_samples.check
    ops.boot_on(service, 'compute1', name='new-server-test', flavor='2')
    check(D + 'hypervisors-list-resp.json', _get(service, '/v2.1/os-hypervisors'))
    check(D + 'hypervisors-detail-resp.json',
          _get(service, '/v2.1/os-hypervisors/detail'))
    check(D + 'hypervisors-show-resp.json', _get(service, '/v2.1/os-hypervisors/1'))
    assert _get(service, '/v2.1/os-hypervisors/1')['hypervisor']['cpu_info'] == '{}'
    assert _get(service, '/v2.1/os-hypervisors/1', '2.28')['hypervisor']['cpu_info'] == {}
    check(D + 'hypervisors-statistics-resp.json',
          _get(service, '/v2.1/os-hypervisors/statistics'))
    check(D + 'v2.33-hypervisors-list-paged-resp.json',
          _get(service, '/v2.1/os-hypervisors?limit=1', '2.33'))
    check(D + 'hypervisors-show-not-found-resp.json',
          _get(service, '/v2.1/os-hypervisors/42', status=404))
    check(D + 'v2.33-hypervisors-list-marker-not-found-resp.json',
          _get(service, '/v2.1/os-hypervisors?marker=42', '2.33', status=400))
    check(D + 'hypervisors-uptime-resp.json',
          _get(service, '/v2.1/os-hypervisors/1/uptime'))
    check(D + 'hypervisors-search-resp.json',
          _get(service, '/v2.1/os-hypervisors/compute2/search'))
    check(D + 'hypervisors-with-servers-resp.json',
          _get(service, '/v2.1/os-hypervisors/compute1/servers'))
    check(D + 'hypervisors-search-not-found-resp.json',
          _get(service, '/v2.1/os-hypervisors/rack9/search', status=404))


def test_hypervisors_from_2_53(service):
    check = api_samples.check
    ops.boot_on(service, 'compute1', name='new-server-test', flavor='2')
    listed = _get(service, '/v2.1/os-hypervisors?with_servers=true', '2.53')
    check(D + 'v2.53-hypervisors-list-with-servers-resp.json', listed)
    check(D + 'v2.53-hypervisors-detail-resp.json',
          _get(service, '/v2.1/os-hypervisors/detail', '2.53'))
    node = listed['hypervisors'][0]['id']
    check(D + 'v2.53-hypervisors-show-with-servers-resp.json',
          _get(service, '/v2.1/os-hypervisors/%s?with_servers=1' % node, '2.53'))
    check(D + 'v2.53-hypervisors-search-resp.json',
          _get(service, '/v2.1/os-hypervisors?hypervisor_hostname_pattern=compute2',
               '2.53'))
    check(D + 'v2.53-hypervisors-search-not-found-resp.json',
          _get(service, '/v2.1/os-hypervisors?hypervisor_hostname_pattern=rack9',
               '2.53', status=404))
    check(D + 'v2.53-hypervisors-search-paged-resp.json',
          _get(service, '/v2.1/os-hypervisors?hypervisor_hostname_pattern=compute'
               '&limit=1', '2.53', status=400))
    check(D + 'v2.53-hypervisors-uptime-resp.json',
          _get(service, '/v2.1/os-hypervisors/%s/uptime' % node, '2.53'))
    check(D + 'v2.53-hypervisors-show-invalid-uuid-resp.json',
          _get(service, '/v2.1/os-hypervisors/1', '2.53', status=400))


def test_unknown_query_parameter_from_2_53(service):
    resp = service.app.get('/v2.1/os-hypervisors?host=compute1',
                           headers=headers(version='2.53'), status=400)
    assert resp.json['badRequest']['message'] == (
        "Invalid input for field/attribute host. Unknown query parameter at this "
        "microversion. Allowed: hypervisor_hostname_pattern, limit, marker, "
        "with_servers.")
