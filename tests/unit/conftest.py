import uuid

import pytest
from oslo_config import fixture as config_fixture

from migrator import conf as migrator_conf
from migrator import rpc


@pytest.fixture
def inproc_conf():
    """migrator's configuration, defaults only, on an in-process transport
    of its own."""
    fixture = config_fixture.Config(migrator_conf.CONF)
    fixture.setUp()
    rpc.set_defaults(fixture.conf)
    fixture.conf([], project='migrator', default_config_files=[])
    fixture.conf.set_override('transport_url', 'inproc://%s/' % uuid.uuid4().hex)
    yield fixture.conf
    fixture.cleanUp()
