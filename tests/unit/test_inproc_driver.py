"""The in-process transport hands over what a wire would: a copy of the
message as oslo.messaging's drivers encode it, never the sender's objects;
and it keeps what a broker's queue keeps: a message no server takes yet
waits for one."""

import collections
import datetime
import threading

import oslo_messaging as messaging
import pytest
from oslo_serialization import jsonutils

from migrator import context, rpc

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


class _Counter:
    def __init__(self, name, seen, arrived):
        self.name, self.seen, self.arrived = name, seen, arrived

    def poke(self, ctxt, n):
        self.seen.append((self.name, n))
        self.arrived.release()


def _server(messaging_, name, endpoint):
    return messaging_.server(messaging.Target(topic='turns', server=name),
                             [endpoint])


def _wait_for(arrived, count):
    for _ in range(count):
        assert arrived.acquire(timeout=10)


def test_casts_sent_before_a_server_starts_wait_for_it(inproc_conf):
    messaging_ = rpc.Messaging(inproc_conf)
    seen, arrived = [], threading.Semaphore(0)
    client = messaging_.client('turns', '1.0')
    for n in range(3):
        client.cast(CTX, 'poke', n=n)
    server = _server(messaging_, 's1', _Counter('s1', seen, arrived))
    server.start()
    try:
        _wait_for(arrived, 3)
        assert sorted(n for _name, n in seen) == [0, 1, 2]
    finally:
        server.stop()
        server.wait()
        messaging_.cleanup()


def test_a_stopped_server_takes_nothing_and_the_next_one_gets_it(inproc_conf):
    messaging_ = rpc.Messaging(inproc_conf)
    seen, arrived = [], threading.Semaphore(0)
    client = messaging_.client('turns', '1.0')
    first = _server(messaging_, 's1', _Counter('s1', seen, arrived))
    first.start()
    client.cast(CTX, 'poke', n=1)
    _wait_for(arrived, 1)
    first.stop()
    first.wait()
    client.cast(CTX, 'poke', n=2)
    assert not arrived.acquire(timeout=0.2)
    second = _server(messaging_, 's2', _Counter('s2', seen, arrived))
    second.start()
    try:
        _wait_for(arrived, 1)
        assert seen == [('s1', 1), ('s2', 2)]
    finally:
        second.stop()
        second.wait()
        messaging_.cleanup()


def test_servers_of_one_topic_take_its_casts_in_turn(inproc_conf):
    messaging_ = rpc.Messaging(inproc_conf)
    seen, arrived = [], threading.Semaphore(0)
    servers = [_server(messaging_, name, _Counter(name, seen, arrived))
               for name in ('s1', 's2')]
    for server in servers:
        server.start()
    try:
        client = messaging_.client('turns', '1.0')
        for n in range(6):
            client.cast(CTX, 'poke', n=n)
        _wait_for(arrived, 6)
        by_server = collections.Counter(name for name, _n in seen)
        assert by_server == {'s1': 3, 's2': 3}
        # A server named in the target gets the cast, whatever the turn.
        client.prepare(server='s2').cast(CTX, 'poke', n=6)
        _wait_for(arrived, 1)
        assert seen[-1] == ('s2', 6)
    finally:
        for server in servers:
            server.stop()
            server.wait()
        messaging_.cleanup()
