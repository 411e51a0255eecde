"""NUL characters never reach PostgreSQL, whose text refuses them: in a
body, a query or a path they are a 400 (each was a 500 on PostgreSQL)."""

from tests import fixtures
from tests.fixtures import headers
from tests.functional import hostile


def _post(service, path, raw: bytes):
    return service.app.request(path, method='POST', body=raw, headers=headers(
        **{'Content-Type': 'application/json'}), expect_errors=True)


def test_nul_never_reaches_postgresql(postgres_url, tmp_path):
    svc = fixtures.Service(tmp_path, connection=postgres_url)
    try:
        bodies = [('/v2.1/flavors/1/os-extra_specs', b'{"extra_specs": {"k": "\\u0000"}}'),
                  ('/v2.1/servers', b'{"server": {"name": "s", "flavorRef": "1", '
                                    b'"imageRef": "\\u0000"}}')]
        for path, raw in bodies:
            hostile.assert_fault(_post(svc, path, raw), 400)
        for url in ('/v2.1/os-migrations?host=a%00', '/v2.1/servers?name=%00',
                    '/v2.1/os-services?binary=%00', '/v2.1/servers/detail?flavor=%00',
                    '/v2.1/flavors/%00', '/v2.1/flavors/1/os-extra_specs/a%00b',
                    '/v2.1/os-aggregates?%00=1'):
            fault = hostile.assert_fault(svc.app.get(url, headers=headers(),
                                                     expect_errors=True), 400)
            assert 'NUL' in fault['message']
    finally:
        svc.stop()
