"""Scenario 4: claims under contention.

Worker threads (or processes, each with its own engine) claim m1.tiny
resources in writer transactions, either all on one hot host or spread over
many. Reported: claims/s, conflicts (InsufficientResources), retried
transactions (deadlocks, lock timeouts), and the audit at the end, which
must find nothing. A last case gives the hot host room for only half of the
claims: exactly that many must win.
"""

import logging
import multiprocessing
import threading
import time
import uuid

import sqlalchemy as sa

from bench import scheduler, stats
from migrator import exception
from migrator.compute import claims
from migrator.db import api as db_api
from migrator.db import migration, models

TINY = claims.Resources(vcpus=1, memory_mb=512, disk_gb=1)
HOSTS = 64


class _RetryCounter(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record):
        if record.getMessage().startswith('Retrying'):
            self.count += 1


def _claim_loop(db_url, hosts, count, seed, go, out) -> None:
    """One worker: ``count`` claims on ``hosts`` in turn."""
    counter = _RetryCounter()
    logging.getLogger(db_api.__name__).addHandler(counter)
    db = db_api.Database(db_url, max_retries=20)
    times, conflicts = [], 0
    db.read(lambda s: s.scalar(sa.select(1)))  # connect before the start
    go.wait()
    for i in range(count):
        host = hosts[(seed + i) % len(hosts)]
        began = time.perf_counter()
        try:
            db.write(claims.claim, host, str(uuid.uuid4()), TINY)
        except exception.InsufficientResources:
            conflicts += 1
        times.append(time.perf_counter() - began)
    db.dispose()
    logging.getLogger(db_api.__name__).removeHandler(counter)
    out.put((times, conflicts, counter.count))


def _process_main(db_url, hosts, count, seed, go, out):
    _claim_loop(db_url, hosts, count, seed, go, out)


def prepare(db_url: str, hot_room: int | None) -> None:
    """64 hosts; the first, the hot one, has room for ``hot_room`` claims
    (practically unlimited when None)."""
    db = db_api.Database(db_url)
    try:
        migration.db_sync(db.engine)
        scheduler.add_hosts(db, 0, HOSTS)
        with db.engine.begin() as conn:
            conn.execute(sa.update(models.ComputeNode).values(
                vcpus_used=0, memory_mb_used=0, local_gb_used=0))
            memory = 512 * (hot_room or 10 ** 6) + 512
            conn.execute(sa.update(models.ComputeNode)
                         .where(models.ComputeNode.host == scheduler.host_name(0))
                         .values(vcpus=10 ** 6, memory_mb=memory,
                                 local_gb=10 ** 7, reserved_memory_mb=512))
    finally:
        db.dispose()


def contend(db_url: str, workers: int, per_worker: int, hot: bool,
            processes: bool) -> tuple:
    hosts = ([scheduler.host_name(0)] if hot else
             [scheduler.host_name(i) for i in range(1, HOSTS)])
    if processes:
        ctx = multiprocessing.get_context('spawn')
        go, out = ctx.Barrier(workers + 1), ctx.Queue()
        runners = [ctx.Process(target=_process_main,
                               args=(db_url, hosts, per_worker, i * 7, go, out))
                   for i in range(workers)]
    else:
        import queue
        go, out = threading.Barrier(workers + 1), queue.SimpleQueue()
        runners = [threading.Thread(target=_claim_loop,
                                    args=(db_url, hosts, per_worker, i * 7, go, out))
                   for i in range(workers)]
    for runner in runners:
        runner.start()
    go.wait(timeout=120)  # every worker imported and connected
    began = time.perf_counter()
    reports = [out.get(timeout=600) for _ in runners]
    wall = time.perf_counter() - began
    for runner in runners:
        runner.join()
    times = [t for r in reports for t in r[0]]
    return times, wall, sum(r[1] for r in reports), sum(r[2] for r in reports)


# The consumers here are bare uuids, not servers: only these kinds count.
CAPACITY_PROBLEMS = ('usage-mismatch', 'over-capacity')


def verify(db_url: str) -> tuple[int, int]:
    """(capacity problems the audit finds, allocation rows)."""
    from migrator import audit
    db = db_api.Database(db_url)
    try:
        problems = [p for p in db.read(audit.find_problems)
                    if p.kind in CAPACITY_PROBLEMS]
        rows = db.read(lambda s: s.scalar(sa.select(sa.func.count(
            models.Allocation.id))))
    finally:
        db.dispose()
    return len(problems), rows


def run(make_db, db_label: str, per_worker: int, floor_key: str, log) -> list[stats.Result]:
    """``make_db()`` is a context manager giving a fresh database URL."""
    results = []
    cases = [(8, False, True), (8, False, False), (4, True, True),
             (4, True, False)]
    for workers, processes, hot in cases:
        with make_db() as url:
            prepare(url, None)
            times, wall, conflicts, retries = contend(url, workers, per_worker,
                                                      hot, processes)
            problems, rows = verify(url)
        case = '%s, %d %s, %s' % (db_label, workers,
                                  'processes' if processes else 'threads',
                                  'one hot host' if hot else '63 hosts')
        results.append(stats.Result(
            '4 claims', case, times, wall, floor_terms={floor_key: 1},
            extra={'conflicts': conflicts, 'retries': retries,
                   'audit problems': problems,
                   'lost': workers * per_worker - conflicts - rows}))
        log('  %-45s %.0f claims/s, p50 %.2f ms, conflicts %d, retries %d, '
            'audit %d' % (case, results[-1].throughput,
                          1000 * results[-1].p(50), conflicts, retries, problems))
    workers, room = 8, 4 * per_worker
    with make_db() as url:
        prepare(url, room)
        times, wall, conflicts, retries = contend(url, workers, per_worker,
                                                  True, False)
        problems, rows = verify(url)
    results.append(stats.Result(
        '4 claims', '%s, %d threads, hot host with room for %d of %d' % (
            db_label, workers, room, workers * per_worker),
        times, wall, floor_terms={floor_key: 1},
        extra={'won': rows, 'conflicts': conflicts, 'retries': retries,
               'audit problems': problems}))
    log('  fill: %d won of room %d, %d conflicts, audit %d' % (
        rows, room, conflicts, problems))
    return results
