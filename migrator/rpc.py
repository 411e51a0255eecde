"""oslo.messaging plumbing shared by every service."""

import oslo_messaging as messaging
from oslo_config import cfg
from oslo_messaging import transport as messaging_transport

from migrator import context as migrator_context

ALLOWED_EXMODS = ['migrator.exception']
NOTIFICATION_TOPIC = 'versioned_notifications'
DEFAULT_TRANSPORT_URL = 'inproc://'


def set_defaults(conf: cfg.ConfigOpts = cfg.CONF) -> None:
    """The embedded default runs on the in-process transport."""
    messaging.set_transport_defaults('migrator')
    cfg.set_defaults(messaging_transport._transport_opts,
                     transport_url=DEFAULT_TRANSPORT_URL)
    # Registered here too so that the option exists before the transport does.
    conf.register_opts(messaging_transport._transport_opts)


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
        self.notification_transport = messaging.get_notification_transport(
            conf, url=url or conf.transport_url,
            allowed_remote_exmods=ALLOWED_EXMODS)
        self.serializer = RequestContextSerializer()
        self.notifier = messaging.Notifier(
            self.notification_transport, driver='messagingv2',
            serializer=self.serializer, topics=[NOTIFICATION_TOPIC])

    def client(self, topic: str, version: str, version_cap: str | None = None,
               timeout: int | None = None) -> messaging.RPCClient:
        target = messaging.Target(topic=topic, version=version)
        return messaging.get_rpc_client(self.transport, target,
                                        version_cap=version_cap,
                                        serializer=self.serializer,
                                        timeout=timeout)

    def server(self, target: messaging.Target, endpoints: list):
        return messaging.get_rpc_server(self.transport, target, endpoints,
                                        executor='threading',
                                        serializer=self.serializer)

    def cleanup(self) -> None:
        self.transport.cleanup()
        self.notification_transport.cleanup()


set_defaults()
