"""Scenario 5: the migration check at 100 ... 100,000 hosts.

The check an operator asks (``operations.checks``): the server's own
checks, then the scheduler's filters on the hosts, through the scheduler
RPC (the in-process transport), claiming nothing. Hosts are rows, as in
scenario 3; the server sits on the first host. Two cases at each size:
one named host (its cost must not grow with the cloud), and every host
(the answer an operator reads before emptying a host: every host judged,
ranked and counted, the first page of ``[api] max_limit`` hosts described,
as the API answers).
"""

import time
import uuid

import sqlalchemy as sa

from bench import scheduler, stats
from migrator import context
from migrator.compute import states
from migrator.db import models

CTX = context.RequestContext(user_id='admin', project_id='admin', is_admin=True,
                             roles=['admin'])


def _server(db) -> models.Instance:
    """A server on the first host, as a boot would have left it."""
    server_uuid = str(uuid.uuid4())
    with db.engine.begin() as conn:
        conn.execute(sa.insert(models.Instance), [{
            'uuid': server_uuid, 'display_name': 'checked', 'project_id': 'bench',
            'user_id': 'bench', 'host': scheduler.host_name(0),
            'node': scheduler.host_name(0), 'vm_state': states.ACTIVE,
            'power_state': states.RUNNING, 'flavor': scheduler.FLAVOR,
            'metadata': {}, 'scheduler_hints': {}, 'locked': False,
            'reservation_id': 'r-bench', 'created_at': models.utcnow()}])
    return db.read(lambda s: s.scalar(sa.select(models.Instance).where(
        models.Instance.uuid == server_uuid)))


def measure(checks, server, hosts, samples: int, budget: float):
    """Check times; the answer's first page as the API's: [api] max_limit
    hosts described, every host judged, ranked and counted."""
    limit = checks.conf.api.max_limit
    checks.check(CTX, server, hosts=hosts, limit=limit)  # warm caches, pool
    times: list[float] = []
    start = time.perf_counter()
    while len(times) < samples and time.perf_counter() - start < budget:
        began = time.perf_counter()
        answer = checks.check(CTX, server, hosts=hosts, limit=limit)
        times.append(time.perf_counter() - began)
    return times, time.perf_counter() - start, answer


def run(workdir: str, db_url: str, db_label: str, counts, samples: int,
        budget: float, log) -> list[stats.Result]:
    """Grow one database through ``counts`` hosts, checking at each size."""
    results = []
    with scheduler.operations_over_hosts(workdir, db_url) as (ops, db):
        checks = ops.checks
        have = 0
        server = None
        for count in counts:
            scheduler.grow(db, have, count, 11, db_label == 'PostgreSQL')
            have = count
            server = server or _server(db)
            cases = [('one named host', [scheduler.host_name(count - 1)])]
            if count <= 10000:
                cases.append(('every host', None))
            for kind, hosts in cases:
                times, wall, answer = measure(checks, server, hosts, samples, budget)
                results.append(stats.Result(
                    '5 check', '%s, %s, %d hosts' % (db_label, kind, count),
                    times, wall, extra={'hosts': count,
                                        'accepting': answer.accepting},
                    note='operations.checks over the in-process scheduler RPC'))
                log('    %-15s %6d hosts: p50 %.2f ms' % (
                    kind, count, 1000 * results[-1].p(50)))
    return results
