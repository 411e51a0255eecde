"""An event-driven in-process oslo.messaging driver (``inproc://``).

oslo.messaging's ``fake://`` driver polls its queues every 50 ms, so every
RPC hop of the embedded default would wait up to 50 ms. This driver keeps
the same semantics (topics, servers, fanout, calls with replies,
notifications). An RPC server's listener is pushed each message as it is
sent: the sender's thread hands it to the server's executor, as a broker's
consumer callback would, with no thread of the listener's own to wake in
between (a hop that cost about a fifth of a message's CPU). A notification
listener, which oslo.messaging may ask for batches, blocks on a condition
variable and wakes as soon as a message arrives. Messages are JSON
round-tripped, as on a wire, so sender and receiver never share objects.
A message sent before its server starts, or while it is stopped, waits in
its queue, as on a broker.

Queues live per name (``inproc://name/``, ``inproc://name/vhost``) for
the life of the process, so several independent deployments (tests) can
share a process.
"""

import collections
import queue
import threading
import time

import orjson
import oslo_messaging
from oslo_messaging._drivers import base
from oslo_serialization import jsonutils

_AS_JSONUTILS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS


def _over_the_wire(document):
    """``document`` as the far end of a wire would get it: what
    oslo.messaging's drivers encode with ``jsonutils``, parsed again.
    orjson does the work, handing what it would write differently
    (datetimes and other objects) to ``jsonutils.to_primitive``; what it
    cannot encode at all (an integer past 64 bits) goes through
    ``jsonutils`` itself."""
    try:
        return orjson.loads(orjson.dumps(document, default=jsonutils.to_primitive,
                                         option=_AS_JSONUTILS))
    except orjson.JSONEncodeError:
        return jsonutils.loads(jsonutils.dumps(document))


class _IncomingMessage(base.RpcIncomingMessage):
    def __init__(self, ctxt, message, reply_q, requeue):
        super().__init__(ctxt, message)
        self._reply_q = reply_q
        self._requeue = requeue

    def reply(self, reply=None, failure=None):
        if self._reply_q is not None:
            self._reply_q.put((reply, failure[1] if failure else None))

    def requeue(self):
        self._requeue()

    def heartbeat(self):
        """Nothing to keep alive in-process."""

    def acknowledge(self):
        """Delivery is already final in-process."""


class _Exchange:
    """Queues of one exchange, guarded by one lock. Each listener waits on
    a condition of its own, woken only by a message for one of its queues:
    with one condition for all, every message woke every service's
    listeners to find nothing for them."""

    def __init__(self):
        self.lock = threading.Lock()
        # ('server', topic, server) or ('topic', topic, pool) -> messages
        self._queues: dict = {}
        self._waiters: dict = {}  # the same keys -> conditions of listeners
        # The same keys -> the started RPC listeners pushed their messages,
        # taken in turn when several servers share a topic.
        self._receivers: dict = {}

    @staticmethod
    def _key(topic, server, pool):
        return ('server', topic, server) if server else ('topic', topic, pool)

    def subscribe(self, keys, cond) -> None:
        with self.lock:
            for topic, server, pool in keys:
                self._queue_for(topic, server, pool)
                self._waiters.setdefault(self._key(topic, server, pool),
                                         []).append(cond)

    def _queue_for(self, topic, server, pool):
        key = self._key(topic, server, pool)
        found = self._queues.get(key)
        if found is None:
            found = self._queues[key] = collections.deque()
        return found

    def _keys_of(self, kind, topic) -> list:
        return [key for key in self._queues if key[:2] == (kind, topic)]

    def has_queue(self, topic) -> bool:
        with self.lock:
            return bool(self._keys_of('topic', topic))

    def deliver(self, topic, item, server=None, fanout=False, create=True):
        """Hand ``item`` to a receiver of each queue it goes to, or queue it
        there for one. A receiver that fails to take it (its server could
        start no thread for it, say) fails the send, after every other
        queue has had the message: the sender sees the first such error,
        and the message is not also kept for a later server, which could
        then run it a second time."""
        failures = []
        with self.lock:
            if fanout:
                keys = self._keys_of('server', topic)
            elif server:
                self._queue_for(topic, server, None)
                keys = [self._key(topic, server, None)]
            else:
                if create:
                    self._queue_for(topic, None, None)
                keys = self._keys_of('topic', topic)
            for key in keys:
                receivers = self._receivers.get(key)
                if receivers:
                    # Under the lock: a listener that stop() has returned
                    # for is never handed another message.
                    receivers.rotate(-1)
                    try:
                        receivers[-1].push(item)
                    except Exception as failure:
                        failures.append(failure)
                    continue
                self._queues[key].append(item)
                for cond in self._waiters.get(key, ()):
                    cond.notify()
        if failures:
            raise failures[0]

    def start_receiving(self, keys, receiver) -> None:
        """Push ``keys``' messages to ``receiver``: those already waiting
        first, then each as it is sent. If it fails to take one, that
        message and those after it stay queued, nothing more is pushed to
        it, and the error is raised: its server did not start."""
        with self.lock:
            for topic, server, pool in keys:
                queued = self._queue_for(topic, server, pool)
                while queued:
                    receiver.push(queued[0])
                    queued.popleft()
            for topic, server, pool in keys:
                self._receivers.setdefault(self._key(topic, server, pool),
                                           collections.deque()).append(receiver)

    def stop_receiving(self, keys, receiver) -> None:
        """No more pushes to ``receiver``; messages queue up again."""
        with self.lock:
            for topic, server, pool in keys:
                receivers = self._receivers.get(self._key(topic, server, pool))
                if receivers and receiver in receivers:
                    receivers.remove(receiver)

    def take(self, keys):
        """Pop the first message queued for any of ``keys``; caller holds
        the lock."""
        for topic, server, pool in keys:
            q = self._queue_for(topic, server, pool)
            if q:
                return q.popleft()
        return None


class _Registry:
    _lock = threading.Lock()
    _exchanges: dict = {}

    @classmethod
    def get(cls, vhost, name) -> _Exchange:
        with cls._lock:
            found = cls._exchanges.get((vhost, name))
            if found is None:
                found = cls._exchanges[(vhost, name)] = _Exchange()
            return found


class _Listener(base.PollStyleListener):
    """A notification listener: oslo.messaging's adapter polls it from a
    thread of its own, in batches when asked."""

    def __init__(self, exchange: _Exchange, keys):
        super().__init__()
        self._exchange = exchange
        self._keys = keys
        self._stopped = False
        self._cond = threading.Condition(exchange.lock)
        exchange.subscribe(keys, self._cond)

    @base.batch_poll_helper
    def poll(self, timeout=None):
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            while not self._stopped:
                item = self._exchange.take(self._keys)
                if item is not None:
                    ctxt, message, reply_q, requeue = item
                    return _IncomingMessage(ctxt, message, reply_q, requeue)
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    return None
                self._cond.wait(remaining)
        return None

    def stop(self):
        with self._cond:
            self._stopped = True
            self._cond.notify_all()


class _RpcListener(base.Listener):
    """An RPC server's listener: the exchange pushes it each message, in
    the sender's thread, and it hands the message straight to the server
    (``on_incoming_callback`` queues it for the server's executor)."""

    def __init__(self, exchange: _Exchange, keys, batch_size, batch_timeout):
        super().__init__(batch_size, batch_timeout)
        self._exchange = exchange
        self._keys = keys

    def start(self, on_incoming_callback):
        super().start(on_incoming_callback)
        self._exchange.start_receiving(self._keys, self)

    def push(self, item) -> None:
        """Hand ``item`` to the server.

        The exchange pushes only to a started listener, and ``stop()``
        takes it off the exchange, under the exchange's lock, before the
        server's ``wait()`` shuts the executor down. So an error of
        ``on_incoming_callback`` (no thread could be started for the
        message, say) is a real failure, which the exchange reports."""
        ctxt, message, reply_q, requeue = item
        self.on_incoming_callback([_IncomingMessage(ctxt, message, reply_q, requeue)])

    def stop(self):
        self._exchange.stop_receiving(self._keys, self)
        super().stop()

    def cleanup(self):
        """Nothing held: the queues belong to the exchange."""


def hearing(url: oslo_messaging.TransportURL, exchange: str):
    """``heard(topic)``: whether a notification sent now on ``topic`` of
    ``exchange``, over the in-process transport ``url``, would reach a
    listener (the rule ``send_notification`` applies), to ask before the
    notification is made. The exchange is looked up once: it lives as
    long as the process."""
    return _Registry.get(_space_of(url), exchange).has_queue


def _space_of(url: oslo_messaging.TransportURL) -> str:
    """What a URL's queues are kept under: its name (the host part) and
    its virtual host."""
    name = url.hosts[0].hostname if url.hosts else None
    return '%s/%s' % (name or '', url.virtual_host or '')


class InProcessDriver(base.BaseDriver):
    """oslo.messaging driver for services sharing one process."""

    def __init__(self, conf, url, default_exchange=None,
                 allowed_remote_exmods=None):
        super().__init__(conf, url, default_exchange, allowed_remote_exmods)
        self._vhost = _space_of(url)

    def require_features(self, requeue=True):
        pass

    def _exchange(self, name) -> _Exchange:
        return _Registry.get(self._vhost, name or self._default_exchange)

    def _send(self, target, ctxt, message, wait_for_reply=False, timeout=None,
              create=True):
        ctxt = _over_the_wire(ctxt)
        message = _over_the_wire(message)
        exchange = self._exchange(target.exchange)
        reply_q = queue.SimpleQueue() if wait_for_reply else None

        def requeue():
            exchange.deliver(target.topic, (ctxt, message, reply_q, requeue),
                             server=target.server, fanout=target.fanout,
                             create=create)

        requeue()
        if not wait_for_reply:
            return None
        try:
            reply, failure = reply_q.get(timeout=timeout)
        except queue.Empty:
            raise oslo_messaging.MessagingTimeout(
                'No reply on topic %s within %ss' % (target.topic, timeout))
        if failure:
            raise failure
        return _over_the_wire(reply)

    def send(self, target, ctxt, message, wait_for_reply=None, timeout=None,
             call_monitor_timeout=None, retry=None, transport_options=None):
        return self._send(target, ctxt, message, wait_for_reply, timeout)

    def send_notification(self, target, ctxt, message, version, retry=None):
        # Nobody listening: drop it, as a broker without a bound queue would,
        # so a long-running embedded service does not pile notifications up
        # (nor copies them for nobody).
        if self._exchange(target.exchange).has_queue(target.topic):
            self._send(target, ctxt, message, create=False)

    def listen(self, target, batch_size, batch_timeout):
        keys = [(target.topic, target.server, None), (target.topic, None, None)]
        return _RpcListener(self._exchange(target.exchange), keys, batch_size,
                            batch_timeout)

    def listen_for_notifications(self, targets_and_priorities, pool,
                                 batch_size, batch_timeout):
        by_exchange: dict = {}
        for target, priority in targets_and_priorities:
            by_exchange.setdefault(target.exchange, []).append(
                ('%s.%s' % (target.topic, priority), None, pool))
        if len(by_exchange) != 1:
            raise NotImplementedError('inproc listens on one exchange at a time')
        (exchange_name, keys), = by_exchange.items()
        listener = _Listener(self._exchange(exchange_name), keys)
        return base.PollStyleListenerAdapter(listener, batch_size, batch_timeout)

    def cleanup(self):
        """Queues outlive a transport: other transports may share the vhost."""
