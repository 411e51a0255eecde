"""Scenario 3: one scheduling decision at 100 ... 100,000 hosts.

Hosts are rows (a ComputeNode and its Service), inserted directly; no
compute process runs. The decision is ``Pipeline.select`` itself, without
the RPC hop, so this is the scheduler's own cost.
"""

import contextlib
import random
import time
import uuid

import sqlalchemy as sa

from bench import config, stats
from migrator.db import api as db_api
from migrator.db import migration, models
from migrator.objects.request_spec import RequestSpec
from migrator.scheduler import pipeline as pipeline_mod

FLAVOR = {'id': 1, 'flavorid': '1', 'name': 'm1.tiny', 'vcpus': 1,
          'memory_mb': 512, 'root_gb': 1, 'ephemeral_gb': 0, 'extra_specs': {}}


def host_name(index: int) -> str:
    return 'h%06d' % index


def add_hosts(db, start: int, stop: int, seed: int = 7, id_base: int = 0) -> None:
    """Insert hosts ``start`` .. ``stop - 1``: a service and a node each,
    up, with random usage so that the weighers have something to rank.
    Row ids start after ``id_base`` (room for services of the bench's own)."""
    rng = random.Random(seed + start)
    now = models.utcnow()
    batch = 5000
    with db.engine.begin() as conn:
        for first in range(start, stop, batch):
            last = min(first + batch, stop)
            conn.execute(sa.insert(models.Service), [
                {'id': id_base + i + 1, 'uuid': str(uuid.uuid4()),
                 'host': host_name(i), 'binary': 'migrator-compute', 'topic': 'compute',
                 'disabled': False, 'forced_down': False,
                 'last_seen_up': now, 'version': 1, 'created_at': now}
                for i in range(first, last)])
            conn.execute(sa.insert(models.ComputeNode), [
                {'id': id_base + i + 1, 'uuid': str(uuid.uuid4()),
                 'host': host_name(i), 'service_id': id_base + i + 1,
                 'hypervisor_type': 'fake',
                 'host_ip': '127.0.0.1', 'vcpus': 16, 'memory_mb': 32768,
                 'local_gb': 500, 'reserved_vcpus': 0,
                 'reserved_memory_mb': 512, 'reserved_disk_gb': 0,
                 'cpu_allocation_ratio': 4.0, 'ram_allocation_ratio': 1.0,
                 'disk_allocation_ratio': 1.0,
                 'vcpus_used': rng.randrange(0, 48),
                 'memory_mb_used': rng.randrange(0, 60) * 512,
                 'local_gb_used': rng.randrange(0, 400),
                 'generation': 1, 'created_at': now}
                for i in range(first, last)])


@contextlib.contextmanager
def operations_over_hosts(workdir: str, db_url: str):
    """The operations layer with an in-process scheduler on ``db_url``,
    whose hosts are rows (``grow`` adds them): every service counts as up.
    The collector is set as a service process sets it (``tune_collector``)."""
    import gc

    from migrator import deployment, operations
    from migrator.cmd import common
    with config.configured(workdir, service_down_time=86400,
                           database__connection=db_url) as conf:
        dep = deployment.Deployment(conf)
        dep.add_scheduler()
        dep.start()
        ops = operations.build(conf, dep.db, dep.messaging)
        thresholds = gc.get_threshold()
        common.tune_collector()
        try:
            yield ops, dep.db
        finally:
            gc.unfreeze()
            gc.set_threshold(*thresholds)
            dep.stop()


def grow(db, have: int, count: int, seed: int, postgresql: bool) -> None:
    """Hosts ``have`` .. ``count - 1`` added, statistics refreshed."""
    add_hosts(db, have, count, seed=seed, id_base=10)
    if postgresql:
        with db.engine.connect() as conn:
            conn.exec_driver_sql('ANALYZE')


def spec(count: int, targeted: bool, rng: random.Random) -> RequestSpec:
    source = rng.randrange(count)
    dest = (source + 1 + rng.randrange(count - 1)) % count
    return RequestSpec(
        instance_uuid=str(uuid.uuid4()), project_id='bench', flavor=FLAVOR,
        requested_destination=host_name(dest) if targeted else None,
        ignore_hosts=[host_name(source)])


def measure(pipeline, count: int, targeted: bool, samples: int,
            budget: float) -> tuple[list[float], float]:
    rng = random.Random(count)
    pipeline.select(spec(count, targeted, rng))  # warm caches and the pool
    times: list[float] = []
    start = time.perf_counter()
    while len(times) < samples and time.perf_counter() - start < budget:
        request = spec(count, targeted, rng)
        began = time.perf_counter()
        pipeline.select(request)
        times.append(time.perf_counter() - began)
    return times, time.perf_counter() - start


def run(workdir: str, db_url: str, db_label: str, counts, samples: int,
        budget: float, log) -> list[stats.Result]:
    """Grow one database through ``counts`` hosts, deciding at each size."""
    results = []
    db = db_api.Database(db_url)
    migration.db_sync(db.engine)
    try:
        with config.configured(workdir, service_down_time=86400) as conf:
            pipeline = pipeline_mod.Pipeline(conf, db)
            have = 0
            for count in counts:
                began = time.perf_counter()
                add_hosts(db, have, count)
                have = count
                if db_label == 'PostgreSQL':
                    with db.engine.connect() as conn:
                        conn.exec_driver_sql('ANALYZE')
                log('  %s: %d hosts inserted in %.1fs' % (
                    db_label, count, time.perf_counter() - began))
                for targeted in (True, False):
                    kind = 'targeted' if targeted else 'untargeted'
                    n = samples if targeted or count <= 10000 else max(
                        3, samples // 10)
                    times, wall = measure(pipeline, count, targeted, n, budget)
                    results.append(stats.Result(
                        '3 scheduler', '%s, %s, %d hosts' % (db_label, kind, count),
                        times, wall, extra={'hosts': count},
                        note='Pipeline.select, no RPC'))
                    log('    %-10s p50 %.2f ms' % (kind, 1000 * results[-1].p(50)))
    finally:
        db.dispose()
    return results
