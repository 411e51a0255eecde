"""Run a manager as a service: service row, RPC server, heartbeat, periodics."""

import logging
import threading

import oslo_messaging as messaging
import sqlalchemy as sa
from oslo_utils import uuidutils

from migrator.db import models

LOG = logging.getLogger(__name__)


class Service:
    """One RPC endpoint (conductor, scheduler or one compute host)."""

    def __init__(self, conf, db, messaging_, binary: str, topic: str,
                 host: str, manager, server_per_host: bool = False):
        self.conf = conf
        self.db = db
        self.messaging = messaging_
        self.binary = binary
        self.topic = topic
        self.host = host
        self.manager = manager
        self.server_per_host = server_per_host
        self.service_id: int | None = None
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._rpc_server = None

    def start(self) -> None:
        self.service_id = self.db.write(_register, self.host, self.binary,
                                        self.topic)
        init_host = getattr(self.manager, 'init_host', None)
        if init_host is not None:
            init_host(self.service_id)
        target = messaging.Target(topic=self.topic, server=self.host)
        self._rpc_server = self.messaging.server(target, [self.manager])
        self._rpc_server.start()
        # Up only now that its queues exist: a message cast to a topic
        # before any queue is bound to it is dropped by the broker, so a
        # service shown up before it consumes could lose a request.
        self.heartbeat()
        self._spawn('heartbeat', self.conf.report_interval, self.heartbeat)
        for interval, task in getattr(self.manager, 'periodic_tasks', list)():
            self._spawn(getattr(task, '__name__', 'periodic'), interval, task)
        LOG.info('%s started on %s (topic %s)', self.binary, self.host, self.topic)

    def _spawn(self, name: str, interval: float, fn) -> None:
        def loop():
            while not self._stop.wait(interval):
                try:
                    fn()
                except Exception:  # a periodic task must never die
                    LOG.exception('%s on %s failed', name, self.host)
        thread = threading.Thread(target=loop, name='%s-%s' % (self.host, name),
                                  daemon=True)
        thread.start()
        self._threads.append(thread)

    def heartbeat(self) -> None:
        self.db.write(_heartbeat, self.service_id)

    def stop(self) -> None:
        """Stop taking messages; ``wait`` lets the ones in hand finish."""
        self._stop.set()
        if self._rpc_server is not None:
            self._rpc_server.stop()

    def wait(self) -> None:
        if self._rpc_server is not None:
            self._rpc_server.wait()
        # Work the manager took off the RPC server's threads, once no
        # request can hand it more.
        cleanup_host = getattr(self.manager, 'cleanup_host', None)
        if cleanup_host is not None:
            cleanup_host()
        for thread in self._threads:
            thread.join(timeout=5)
        LOG.info('%s stopped on %s', self.binary, self.host)


def _register(session, host, binary, topic) -> int:
    """The service's row, found or made; not marked up (``Service.start``
    does that once its queues exist)."""
    def find():
        return session.scalar(sa.select(models.Service)
                              .where(models.Service.host == host,
                                     models.Service.binary == binary))
    service = find()
    if service is None:
        try:
            # A savepoint: another process starting the same service may
            # insert the row first; then we take the row it made.
            with session.begin_nested():
                session.add(models.Service(
                    uuid=uuidutils.generate_uuid(), host=host, binary=binary,
                    topic=topic, disabled=False, forced_down=False))
        except sa.exc.IntegrityError:
            pass
        service = find()
    return service.id


def _heartbeat(session, service_id) -> None:
    session.execute(sa.update(models.Service)
                    .where(models.Service.id == service_id)
                    .values(last_seen_up=models.utcnow()))
