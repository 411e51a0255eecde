"""The in-process transport hands over what a wire would: a copy of the
message as oslo.messaging's drivers encode it, never the sender's objects;
and it keeps what a broker's queue keeps: a message no server takes yet
waits for one."""

import collections
import datetime
import threading
import time
import uuid

import futurist
import oslo_messaging as messaging
import pytest
from oslo_serialization import jsonutils

from migrator import context, notifications, rpc
from tests.notifications import listening

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


class _Turns:
    """Servers of the topic ``turns`` on one transport, each recording
    the casts it takes in ``seen``; ``stop`` stops one and waits for it."""

    def __init__(self, inproc_conf):
        self.messaging = rpc.Messaging(inproc_conf)
        self.client = self.messaging.client('turns', '1.0')
        self.seen: list = []
        self.arrived = threading.Semaphore(0)
        self.running: list = []

    def start(self, name):
        server = self.messaging.server(
            messaging.Target(topic='turns', server=name),
            [_Counter(name, self.seen, self.arrived)])
        server.start()
        self.running.append(server)
        return server

    def stop(self, server):
        self.running.remove(server)
        server.stop()
        server.wait()

    def wait_for(self, count):
        for _ in range(count):
            assert self.arrived.acquire(timeout=10)


@pytest.fixture
def turns(inproc_conf):
    found = _Turns(inproc_conf)
    yield found
    for server in list(found.running):
        found.stop(server)
    found.messaging.cleanup()


def test_casts_sent_before_a_server_starts_wait_for_it(turns):
    for n in range(3):
        turns.client.cast(CTX, 'poke', n=n)
    turns.start('s1')
    turns.wait_for(3)
    assert sorted(n for _name, n in turns.seen) == [0, 1, 2]


def test_a_stopped_server_takes_nothing_and_the_next_one_gets_it(turns):
    first = turns.start('s1')
    turns.client.cast(CTX, 'poke', n=1)
    turns.wait_for(1)
    turns.stop(first)
    turns.client.cast(CTX, 'poke', n=2)
    assert not turns.arrived.acquire(timeout=0.2)
    turns.start('s2')
    turns.wait_for(1)
    assert turns.seen == [('s1', 1), ('s2', 2)]


def test_servers_of_one_topic_take_its_casts_in_turn(turns):
    turns.start('s1')
    turns.start('s2')
    for n in range(6):
        turns.client.cast(CTX, 'poke', n=n)
    turns.wait_for(6)
    assert collections.Counter(name for name, _n in turns.seen) == {'s1': 3, 's2': 3}
    # A server named in the target gets the cast, whatever the turn.
    turns.client.prepare(server='s2').cast(CTX, 'poke', n=6)
    turns.wait_for(1)
    assert turns.seen[-1] == ('s2', 6)


def test_a_message_the_server_cannot_take_fails_the_send_only(turns):
    """No thread for the message: the sender sees the error, and the
    message is not kept to run again on a later server."""
    server = turns.start('s1')
    executor = server._work_executor

    def refuse(*_args, **_kwargs):
        raise RuntimeError("can't start new thread")
    executor.submit = refuse
    with pytest.raises(RuntimeError, match="can't start new thread"):
        turns.client.cast(CTX, 'poke', n=1)
    del executor.submit
    turns.client.cast(CTX, 'poke', n=2)
    turns.wait_for(1)
    turns.stop(server)
    turns.start('s2')
    assert not turns.arrived.acquire(timeout=0.3)
    assert turns.seen == [('s1', 2)]


def _refuse(*_args, **_kwargs):
    raise RuntimeError("can't start new thread")


def test_a_fanout_one_server_cannot_take_still_reaches_the_others(turns):
    """The failure is the sender's to see, after every other server of
    the topic has had the message."""
    first, second = turns.start('s1'), turns.start('s2')
    # Whichever server the exchange reaches first refuses.
    first._work_executor.submit = _refuse
    with pytest.raises(RuntimeError, match="can't start new thread"):
        turns.client.prepare(fanout=True).cast(CTX, 'poke', n=1)
    turns.wait_for(1)
    assert turns.seen == [('s2', 1)]
    del first._work_executor.submit
    second._work_executor.submit = _refuse
    with pytest.raises(RuntimeError, match="can't start new thread"):
        turns.client.prepare(fanout=True).cast(CTX, 'poke', n=2)
    turns.wait_for(1)
    assert turns.seen == [('s2', 1), ('s1', 2)]


def test_a_server_that_cannot_take_what_waits_does_not_start(turns, monkeypatch):
    """Casts queued before a server starts stay queued when it cannot
    take them: the start fails, and the next server gets them all."""
    for n in range(3):
        turns.client.cast(CTX, 'poke', n=n)
    with monkeypatch.context() as patch:
        patch.setattr(futurist.ThreadPoolExecutor, 'submit', _refuse)
        with pytest.raises(RuntimeError, match="can't start new thread"):
            turns.start('s1')
    assert not turns.arrived.acquire(timeout=0.2)
    turns.start('s2')
    turns.wait_for(3)
    assert turns.seen == [('s2', 0), ('s2', 1), ('s2', 2)]


def test_transports_of_other_names_share_nothing(inproc_conf):
    """``inproc://a/`` and ``inproc://b/`` are two brokers: a cast on one
    never reaches a server of the same topic on the other."""
    got = {'a': [], 'b': []}
    arrived = threading.Semaphore(0)
    servers = []
    for name in ('a', 'b'):
        class Endpoint:
            def __init__(self, seen):
                self.seen = seen

            def echo(self, ctxt, document):
                self.seen.append(document)
                arrived.release()
        found = rpc.Messaging(inproc_conf, url='inproc://%s/' % name)
        server = found.server(messaging.Target(topic='echo', server='here'),
                              [Endpoint(got[name])])
        server.start()
        servers.append((found, server))
    try:
        # Servers sharing a topic take its casts in turn: two casts would
        # reach both, were they on one broker.
        client = servers[0][0].client('echo', '1.0')
        for n in range(2):
            client.cast(CTX, 'echo', document=n)
        assert arrived.acquire(timeout=10) and arrived.acquire(timeout=10)
        time.sleep(0.2)
        assert got == {'a': [0, 1], 'b': []}
    finally:
        for _found, server in servers:
            server.stop()
            server.wait()


def test_notifications_are_made_only_for_a_listener(inproc_conf):
    """In-process, a notification nothing listens to would be dropped, so
    ``notifies`` says not to make it; it does once a listener starts, and
    always for a driver that does not send over the transport."""
    found = rpc.Messaging(inproc_conf)
    assert not found.notifies()
    with listening(found.notification_transport) as heard:
        assert found.notifies()
        notifications.notify(found, CTX, 'test', 'test.one', {})
        heard.wait_for('test.one')
        assert heard.types() == ['test.one']
    inproc_conf.set_override('driver', ['log'], 'oslo_messaging_notifications')
    assert rpc.Messaging(inproc_conf).notifies()
    inproc_conf.set_override('driver', ['noop'], 'oslo_messaging_notifications')
    assert not rpc.Messaging(inproc_conf).notifies()


def test_notifications_go_where_their_transport_url_says(inproc_conf):
    """``[oslo_messaging_notifications] transport_url`` sends notifications
    apart from RPC; unset, they go with it."""
    found = rpc.Messaging(inproc_conf)
    inproc_conf.set_override('transport_url', 'inproc://%s/' % uuid.uuid4().hex,
                             'oslo_messaging_notifications')
    elsewhere = rpc.Messaging(inproc_conf)
    with listening(found.notification_transport) as ours, \
            listening(elsewhere.notification_transport) as apart:
        notifications.notify(elsewhere, CTX, 'test', 'test.apart', {})
        notifications.notify(found, CTX, 'test', 'test.ours', {})
        ours.wait_for('test.ours')
        apart.wait_for('test.apart')
        time.sleep(0.2)
        assert (ours.types(), apart.types()) == (['test.ours'], ['test.apart'])
