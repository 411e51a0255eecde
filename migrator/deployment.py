"""Building blocks every entry point uses: database, messaging, services.

``Deployment`` wires the pieces of one process. The embedded default
(migrator-all) and the functional tests start all of them in one process;
the distributed entry points start one each.
"""

import logging
import threading

import sqlalchemy as sa

from migrator import rpc
from migrator import service as service_mod
from migrator.compute import manager as compute_manager
from migrator.conductor import manager as conductor_manager
from migrator.db import api as db_api
from migrator.db import migration, models
from migrator.scheduler import manager as scheduler_manager

LOG = logging.getLogger(__name__)

DEFAULT_FLAVORS = [
    # flavorid, name, vcpus, memory_mb, root_gb
    ('1', 'm1.tiny', 1, 512, 1),
    ('2', 'm1.small', 1, 2048, 20),
    ('3', 'm1.medium', 2, 4096, 40),
    ('4', 'm1.large', 4, 8192, 80),
    ('5', 'm1.xlarge', 8, 16384, 160),
]


def create_default_flavors(db) -> int:
    """m1.tiny ... m1.xlarge, when there is no flavor yet."""
    def create(session):
        if session.scalar(sa.select(sa.func.count(models.Flavor.id))):
            return 0
        for flavorid, name, vcpus, memory_mb, root_gb in DEFAULT_FLAVORS:
            session.add(models.Flavor(flavorid=flavorid, name=name, vcpus=vcpus,
                                      memory_mb=memory_mb, root_gb=root_gb,
                                      extra_specs=[]))
        return len(DEFAULT_FLAVORS)
    return db.write(create)


class Deployment:
    """The database, the transport and the services of one process."""

    def __init__(self, conf, transport_url: str | None = None, sync_db: bool = True):
        self.conf = conf
        self.db = db_api.Database.from_conf(conf)
        if sync_db:
            migration.db_sync(self.db.engine)
        self.messaging = rpc.Messaging(conf, url=transport_url)
        self.services: list[service_mod.Service] = []

    def add_conductor(self, host: str | None = None) -> service_mod.Service:
        host = host or self.conf.host
        manager = conductor_manager.ConductorManager(self.conf, self.db,
                                                     self.messaging, host)
        return self._add('migrator-conductor', 'conductor', host, manager)

    def add_scheduler(self, host: str | None = None) -> service_mod.Service:
        manager = scheduler_manager.SchedulerManager(self.conf, self.db)
        return self._add('migrator-scheduler', 'scheduler',
                         host or self.conf.host, manager)

    def add_compute(self, host: str) -> service_mod.Service:
        manager = compute_manager.ComputeManager(self.conf, self.db,
                                                 self.messaging, host)
        return self._add('migrator-compute', 'compute', host, manager)

    def _add(self, binary, topic, host, manager) -> service_mod.Service:
        service = service_mod.Service(self.conf, self.db, self.messaging,
                                      binary, topic, host, manager)
        self.services.append(service)
        return service

    def start(self) -> None:
        for service in self.services:
            service.start()

    def wsgi_app(self):
        from migrator.api import app
        return app.create_app(self.conf, self.db, self.messaging)

    def stop(self) -> None:
        # Stop them all, then wait for them together: each RPC executor takes
        # up to a second to notice it was shut down.
        for service in reversed(self.services):
            try:
                service.stop()
            except Exception:  # keep stopping the others
                LOG.exception('Stopping %s on %s failed', service.binary,
                              service.host)
        waiters = [threading.Thread(target=s.wait, daemon=True)
                   for s in self.services]
        for waiter in waiters:
            waiter.start()
        for waiter in waiters:
            waiter.join(timeout=10)
        self.messaging.cleanup()
        self.db.dispose()
