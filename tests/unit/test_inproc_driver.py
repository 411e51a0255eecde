"""The in-process transport hands over what a wire would: a copy of the
message as oslo.messaging's drivers encode it, never the sender's objects."""

import datetime
import threading

import pytest
from oslo_serialization import jsonutils

from migrator import context

CTX = context.RequestContext(user_id='admin', project_id='admin', is_admin=True)


class _Endpoint:
    def __init__(self):
        self.received = []

    def echo(self, ctxt, document):
        self.received.append(document)
        return document


@pytest.fixture
def endpoint(serve):
    found = _Endpoint()
    client = serve('echo', 'here', [found]).client('echo', '1.0', timeout=10)
    return client, found


def test_a_call_gets_a_copy_both_ways(endpoint):
    client, found = endpoint
    sent = {'nested': {'list': [1, 2]}, 'tuple': (3, 4)}
    reply = client.call(CTX, 'echo', document=sent)
    assert reply == {'nested': {'list': [1, 2]}, 'tuple': [3, 4]}
    assert found.received[0] is not sent
    assert found.received[0]['nested'] is not sent['nested']
    assert reply is not found.received[0]


def test_values_arrive_as_jsonutils_writes_them(endpoint):
    client, found = endpoint
    when = datetime.datetime(2026, 1, 2, 3, 4, 5)
    sent = {'when': when, 'big': 2 ** 70, 'ids': {1: 'one'}, 'text': 'naïve'}
    reply = client.call(CTX, 'echo', document=sent)
    expected = jsonutils.loads(jsonutils.dumps(sent))
    assert found.received == [expected]
    # A datetime with no microseconds keeps them, as jsonutils writes it.
    assert expected['when'] == '2026-01-02T03:04:05.000000'
    assert reply['big'] == 2 ** 70
    assert reply['ids'] == {'1': 'one'}


def test_a_cast_arrives_once(endpoint):
    client, found = endpoint
    arrived = threading.Event()
    original = found.echo

    def echo(ctxt, document):
        result = original(ctxt, document)
        arrived.set()
        return result
    found.echo = echo
    client.cast(CTX, 'echo', document=['a'])
    assert arrived.wait(10)
    assert found.received == [['a']]
