import pytest

from tests import fixtures


@pytest.fixture
def service(tmp_path):
    svc = fixtures.Service(tmp_path)
    yield svc
    svc.stop()
