import futurist._thread
import pytest

from tests import fixtures

# RPC executor threads poll for work once a second, so a stopping service
# waits up to a second for them; tests stop a service per test.
futurist._thread.ThreadWorker.MAX_IDLE_FOR = 0.05


@pytest.fixture
def service(tmp_path):
    svc = fixtures.Service(tmp_path)
    yield svc
    svc.stop()


@pytest.fixture
def postgres_url():
    with fixtures.postgres_database() as url:
        yield url


@pytest.fixture
def mysql_url():
    with fixtures.mysql_database() as url:
        yield url


@pytest.fixture(params=['sqlite', 'postgresql'])
def db_url(request, tmp_path):
    """Run a test on SQLite and on PostgreSQL."""
    if request.param == 'sqlite':
        yield 'sqlite:///%s' % (tmp_path / 'race.sqlite')
    else:
        with fixtures.postgres_database() as url:
            yield url
