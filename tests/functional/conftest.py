"""Fixtures functional tests share: the policy tests' service, world and
clients (test_policy_matrix, test_policy_deployer), and a service on each
database for the tests that run on SQLite and PostgreSQL alike."""

import pytest

from tests import fixtures
from tests.functional import policy_world


@pytest.fixture(scope='module')
def policy_service(module_service):
    return module_service


@pytest.fixture(scope='module')
def world(policy_service):
    return policy_world.World(policy_service)


@pytest.fixture(scope='module')
def clients(policy_service):
    """The personas' noauth2 tokens, sent to the service's own app."""
    return policy_world.Clients(policy_service.app)


@pytest.fixture(scope='module', params=['sqlite', 'postgresql'])
def service_on_each_database(request, tmp_path_factory):
    """One in-process service per module on SQLite, then one on PostgreSQL
    (a fresh database, dropped afterwards)."""
    if request.param == 'sqlite':
        svc = fixtures.Service(tmp_path_factory.mktemp('sqlite'))
        yield svc
        svc.stop()
        return
    with fixtures.postgres_database() as url:
        svc = fixtures.Service(tmp_path_factory.mktemp('postgresql'), connection=url)
        yield svc
        svc.stop()
