"""oslo.messaging plumbing shared by every service.

Every topic migrator sends to or listens on is qualified by the
``[DEFAULT] control_exchange`` (``migrator.conductor``,
``migrator.compute.c1``, ...). oslo.messaging's RabbitMQ driver names a
topic's queue after the topic alone, so without this two deployments that
share a broker (vhost) but not an exchange would share their ``conductor``
queue and take each other's messages.
"""

import oslo_messaging as messaging
from oslo_config import cfg
from oslo_messaging import server as messaging_server
from oslo_messaging import transport as messaging_transport

from migrator import context as migrator_context
from migrator.common import inproc_driver

ALLOWED_EXMODS = ['migrator.exception']
NOTIFICATION_TOPIC = 'versioned_notifications'
# The topic a notification goes to, by priority (error or not).
_NOTIFICATION_TOPICS = {False: NOTIFICATION_TOPIC + '.info',
                        True: NOTIFICATION_TOPIC + '.error'}
DEFAULT_TRANSPORT_URL = 'inproc://'
DEFAULT_NOTIFICATION_DRIVER = 'messagingv2'
# The notification drivers that send over the notification transport.
_TRANSPORT_DRIVERS = frozenset({'messaging', 'messagingv2'})
# Threads of each RPC server. No request holds one for long (a disk copy
# runs on a pool of its own), and oslo.messaging's pool starts a thread
# on every message until it has this many, each waking once a second.
EXECUTOR_THREAD_POOL_SIZE = 8


def set_defaults(conf: cfg.ConfigOpts = cfg.CONF) -> None:
    """The embedded default runs on the in-process transport, and every
    RPC server on a pool of ``EXECUTOR_THREAD_POOL_SIZE`` threads."""
    messaging.set_transport_defaults('migrator')
    cfg.set_defaults(messaging_transport._transport_opts,
                     transport_url=DEFAULT_TRANSPORT_URL)
    cfg.set_defaults(messaging_server._pool_opts,
                     executor_thread_pool_size=EXECUTOR_THREAD_POOL_SIZE)
    # Registered here too so that the options exist before the transport
    # and the servers do.
    conf.register_opts(messaging_transport._transport_opts)
    conf.register_opts(messaging_server._pool_opts)


def parse_version(version: str) -> tuple[int, int]:
    """``'1.3'`` -> ``(1, 3)``; ValueError for anything that is not X.Y."""
    major, dot, minor = str(version).partition('.')
    if not (dot and major.isdigit() and minor.isdigit()):
        raise ValueError('RPC version %r is not of the form X.Y' % (version,))
    return int(major), int(minor)


class RequestContextSerializer(messaging.Serializer):
    """Carries the RequestContext (and its request id) across RPC."""

    def serialize_entity(self, context, entity):
        return entity

    def deserialize_entity(self, context, entity):
        return entity

    def serialize_context(self, context):
        return context.to_dict()

    def deserialize_context(self, context):
        return migrator_context.RequestContext.from_dict(context)


class Messaging:
    """One transport per process and the clients, servers and notifier on it."""

    def __init__(self, conf: cfg.ConfigOpts, url: str | None = None):
        self.conf = conf
        self.transport = messaging.get_rpc_transport(
            conf, url=url, allowed_remote_exmods=ALLOWED_EXMODS)
        # A URL given here serves both; otherwise notifications go where
        # [oslo_messaging_notifications] transport_url says, else with RPC.
        self.notification_transport = messaging.get_notification_transport(
            conf, url=url, allowed_remote_exmods=ALLOWED_EXMODS)
        self.serializer = RequestContextSerializer()
        # [oslo_messaging_notifications] driver wins when set (``noop`` turns
        # notifications off); otherwise versioned notifications are sent.
        configured = conf.oslo_messaging_notifications.driver
        notification_url = messaging.TransportURL.parse(
            conf, url or conf.oslo_messaging_notifications.transport_url)
        # In-process, a notification nobody listens to is dropped (as a
        # broker drops what no queue is bound for): it is then not even
        # made, when the transport is all the drivers send to. A move
        # sends eight.
        self._heard = (
            inproc_driver.hearing(notification_url, conf.control_exchange)
            if notification_url.transport == 'inproc'
            and set(configured or [DEFAULT_NOTIFICATION_DRIVER])
            <= _TRANSPORT_DRIVERS else None)
        self.notifier = messaging.Notifier(
            self.notification_transport,
            driver=None if configured else DEFAULT_NOTIFICATION_DRIVER,
            serializer=self.serializer, topics=[NOTIFICATION_TOPIC])

    def notifies(self, error: bool = False) -> bool:
        """Whether a notification (``error``: of priority error, else info)
        would be sent now: the notifier is on and, in-process, something
        listens. Callers ask before they build a payload."""
        if not self.notifier.is_enabled():
            return False
        if self._heard is None:
            return True
        return self._heard(_NOTIFICATION_TOPICS[error])

    def topic(self, name: str) -> str:
        """The topic ``name`` as it is named on the transport."""
        return '%s.%s' % (self.conf.control_exchange, name)

    def client(self, topic: str, version: str, version_cap: str | None = None,
               timeout: int | None = None, pin_option: str | None = None
               ) -> messaging.RPCClient:
        """A client of the RPC API ``topic`` whose newest version is
        ``version``, never sending above ``version_cap`` (an
        ``[upgrade_levels]`` pin, named by ``pin_option`` in errors)."""
        if version_cap:
            check_version_cap(version, version_cap, pin_option or topic)
        target = messaging.Target(topic=self.topic(topic), version=version)
        return messaging.get_rpc_client(self.transport, target,
                                        version_cap=version_cap or None,
                                        serializer=self.serializer,
                                        timeout=timeout)

    def server(self, target: messaging.Target, endpoints: list):
        target = messaging.Target(exchange=target.exchange,
                                  topic=self.topic(target.topic),
                                  server=target.server, fanout=target.fanout,
                                  version=target.version)
        return messaging.get_rpc_server(self.transport, target, endpoints,
                                        executor='threading',
                                        serializer=self.serializer)

    def cleanup(self) -> None:
        self.transport.cleanup()
        self.notification_transport.cleanup()


def check_version_cap(latest: str, version_cap: str, option: str) -> None:
    """A pin must be a version this release knows how to speak: X.Y, of the
    same major version, and not newer than the client's own."""
    try:
        cap = parse_version(version_cap)
    except ValueError as error:
        raise ValueError('%s: %s' % (option, error)) from None
    newest = parse_version(latest)
    if cap[0] != newest[0] or cap > newest:
        raise ValueError(
            '%s = %s: this release speaks versions %d.0 to %s of that RPC API'
            % (option, version_cap, newest[0], latest))


set_defaults()
