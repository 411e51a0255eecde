"""``python -m bench.timeline [--moves N] [--embedded]``: where a move's time goes.

Migrates N servers one after another (targeted, one client) on the
distributed deployment (gunicorn + RabbitMQ + PostgreSQL, as ``python -m
bench`` builds it) or on the embedded one, then reads back what the
services recorded: the migrate action's start, and each step's instance
action event (when it started, when it ended). Prints, per step, the
median time *inside* it and the median *gap* before it (the RPC hop and
the step's first read). Every time comes from the services' own clocks, so
the client's polling adds nothing.
"""

import argparse
import statistics
import sys
import tempfile
import warnings

import sqlalchemy as sa

from bench import backends, client, deployments
from bench import migrate as migrate_bench

STEPS = ('conductor_migrate_server', 'compute_prep_resize',
         'compute_resize_instance', 'compute_finish_resize')
QUERY = sa.text("""
    SELECT a.id, a.start_time, e.event, e.start_time, e.finish_time
    FROM instance_actions a
    JOIN instance_actions_events e ON e.action_id = a.id
    WHERE a.action = 'migrate'
    ORDER BY a.id, e.start_time""")


def timeline(db_url: str) -> list[tuple[str, float, float]]:
    """(step, median gap before it, median time in it), in ms."""
    engine = sa.create_engine(db_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(QUERY).all()
    finally:
        engine.dispose()
    moves: dict = {}
    for action_id, began, event, started, finished in rows:
        moves.setdefault(action_id, (began, {}))[1][event] = (started, finished)
    gaps: dict = {step: [] for step in STEPS}
    inside: dict = {step: [] for step in STEPS}
    for began, events in moves.values():
        if not all(step in events for step in STEPS):
            continue  # not a whole move
        previous = began
        for step in STEPS:
            started, finished = events[step]
            gaps[step].append((started - previous).total_seconds())
            inside[step].append((finished - started).total_seconds())
            previous = finished
    return [(step, 1000 * statistics.median(gaps[step]),
             1000 * statistics.median(inside[step]))
            for step in STEPS if gaps[step]]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog='python -m bench.timeline',
                                     description=__doc__)
    parser.add_argument('--moves', type=int, default=30)
    parser.add_argument('--embedded', action='store_true',
                        help='the embedded default instead of the distributed '
                             'deployment')
    args = parser.parse_args(argv)
    warnings.simplefilter('ignore')
    if not args.embedded and not (backends.postgres_available()
                                  and backends.rabbit_available()):
        print('PostgreSQL or RabbitMQ is not reachable; try --embedded',
              file=sys.stderr)
        return 2
    hosts = ['c1', 'c2', 'c3']
    with tempfile.TemporaryDirectory() as workdir:
        kind = deployments.Embedded if args.embedded else deployments.Distributed
        dep = kind(workdir, hosts)
        try:
            watcher = client.Watcher(dep.db_url)
            try:
                pool = migrate_bench.boot_pool(dep, watcher, args.moves)
                outcome = migrate_bench.migrate_round(dep, watcher, pool,
                                                      'targeted', 1)
            finally:
                watcher.close()
            steps = timeline(dep.db_url)
        finally:
            dep.stop()
    print('%s, %d targeted moves, one client: accept p50 %.1f ms, end to end '
          'p50 %.1f ms' % (dep.label, outcome['moved'],
                           1000 * statistics.median(outcome['accept']),
                           1000 * statistics.median(outcome['e2e'])))
    print('| step | gap before p50 ms | in step p50 ms |')
    print('|---|---|---|')
    for step, gap, inside in steps:
        print('| %s | %.1f | %.1f |' % (step, gap, inside))
    return 0


if __name__ == '__main__':
    sys.exit(main())
