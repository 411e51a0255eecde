import threading
import uuid

import oslo_messaging as messaging
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


@pytest.fixture
def serve(inproc_conf):
    """``serve(topic, server, endpoints)`` starts an RPC server on
    ``inproc_conf``'s transport and returns the ``rpc.Messaging`` it
    listens on; every server is stopped after the test."""
    messaging_ = rpc.Messaging(inproc_conf)
    started = []

    def start(topic: str, server: str, endpoints: list):
        found = messaging_.server(messaging.Target(topic=topic, server=server),
                                  endpoints)
        found.start()
        started.append(found)
        return messaging_
    yield start
    for found in started:
        found.stop()
        # Its executor may still be finishing: do not hold the test up for it.
        threading.Thread(target=found.wait, daemon=True).start()
    messaging_.cleanup()
