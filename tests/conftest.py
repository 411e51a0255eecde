import futurist._thread
import pytest

from tests import fixtures

# RPC executor threads poll for work once a second, so a stopping service
# waits up to a second for them; tests stop a service per test.
futurist._thread.ThreadWorker.MAX_IDLE_FOR = 0.05


def _integration(nodeid: str) -> bool:
    return nodeid.startswith('tests/integration/')


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """The integration tests first: under pytest-xdist their worker starts
    on them at once and the other worker takes everything else."""
    items.sort(key=lambda item: not _integration(item.nodeid))


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """Modules stay on one worker each (``--dist loadscope``), and the
    integration tests all on the same one, one after another: one of them
    restarts the shared RabbitMQ, which no other cluster may live through
    by accident."""
    from xdist.scheduler import LoadScopeScheduling

    class Scheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid):
            if _integration(nodeid):
                return 'tests/integration'
            return super()._split_scope(nodeid)

    # Collection order, integration first (see above), not size order.
    config.option.loadscopereorder = False
    return Scheduling(config, log)


@pytest.fixture
def service(tmp_path):
    svc = fixtures.Service(tmp_path)
    yield svc
    svc.stop()


@pytest.fixture(scope='module')
def module_service(tmp_path_factory):
    """One in-process service that a module's tests share."""
    svc = fixtures.Service(tmp_path_factory.mktemp('module'))
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
