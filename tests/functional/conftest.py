"""Fixtures the policy tests share (test_policy_matrix, test_policy_deployer):
one in-process service per module and the world of servers, flavors,
aggregates and drains their calls target."""

import pytest

from tests import fixtures
from tests.functional import policy_world


@pytest.fixture(scope='module')
def policy_service(tmp_path_factory):
    svc = fixtures.Service(tmp_path_factory.mktemp('policy'))
    yield svc
    svc.stop()


@pytest.fixture(scope='module')
def world(policy_service):
    return policy_world.World(policy_service)


@pytest.fixture(scope='module')
def clients(policy_service):
    """The personas' noauth2 tokens, sent to the service's own app."""
    return policy_world.Clients(policy_service.app)
