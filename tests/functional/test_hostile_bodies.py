"""Hostile request bodies: every refusal is a 4xx Nova fault and changes
nothing."""

import pytest

from tests import fixtures
from tests.fixtures import headers
from tests.functional import hostile


@pytest.fixture(scope='module')
def service(tmp_path_factory):
    svc = fixtures.Service(tmp_path_factory.mktemp('hostile-bodies'))
    yield svc
    svc.stop()


def _post(service, path, raw: bytes, version=None, token='admin:admin'):
    return service.app.request(path, method='POST', body=raw, headers=headers(
        token, version, **{'Content-Type': 'application/json'}), expect_errors=True)


_FLAVOR = b'{"flavor": {"name": "f-%s", "ram": 1, "vcpus": 1, "disk": 1, %s}}'


@pytest.mark.parametrize('name, extra', [
    ('nan', b'"rxtx_factor": NaN'),
    ('inf', b'"rxtx_factor": Infinity'),
    ('ninf', b'"rxtx_factor": -Infinity'),
    ('huge', b'"rxtx_factor": 1e99999'),
    ('id-nan', b'"id": NaN'),
    ('id-inf', b'"id": 1e400'),
])
def test_non_finite_numbers_are_not_json(service, name, extra):
    """NaN passed the rxtx_factor bounds and failed the INSERT (a 500);
    NaN or 1e400 as a flavor id made a flavor called "nan" or "inf"."""
    before = hostile.snapshot(service.db)
    resp = _post(service, '/v2.1/flavors', _FLAVOR % (name.encode(), extra))
    fault = hostile.assert_fault(resp, 400)
    assert 'not valid JSON' in fault['message']
    hostile.assert_unchanged(before, hostile.snapshot(service.db), extra)


@pytest.mark.parametrize('path, raw', [
    ('/v2.1/flavors/1/os-extra_specs', b'{"extra_specs": {"k": NaN}}'),
    ('/v2.1/os-server-groups', b'{"server_group": {"name": "g", "policies": '
                               b'["affinity"], "x": -Infinity}}'),
    ('/v2.1/servers', b'{"server": {"name": "s", "flavorRef": "1", '
                      b'"min_count": 1e400}}'),
])
def test_non_finite_numbers_are_refused_everywhere(service, path, raw):
    before = hostile.snapshot(service.db)
    fault = hostile.assert_fault(_post(service, path, raw), 400)
    assert 'not valid JSON' in fault['message']
    hostile.assert_unchanged(before, hostile.snapshot(service.db), raw)

