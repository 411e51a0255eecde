"""``python -m bench [--quick] [--only NAME,...] [--no-write]``.

Runs the floors first, then each scenario, prints one markdown table and a
table of targets, and writes ``doc/source/performance.rst`` with plots under
``doc/source/images/``.
"""

import argparse
import contextlib
import logging
import os
import sys
import tempfile
import time
import traceback
import uuid
import warnings

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PARTS = ('floors', 'scheduler', 'check', 'claims', 'embedded', 'distributed',
         'reads')

PLANS = {
    'quick': {'floor_samples': 200, 'sched_counts': (100, 1000, 10000, 100000),
              'sched_samples': 10, 'sched_budget': 3.0, 'claims_per_worker': 25,
              'migrate': {'pool': 125, 'samples_1': 10, 'samples_16': 32,
                          'burst': 100}},
    'full': {'floor_samples': 1000, 'sched_counts': (100, 1000, 10000, 100000),
             'sched_samples': 30, 'sched_budget': 8.0, 'claims_per_worker': 60,
             'migrate': {'pool': 130, 'samples_1': 30, 'samples_16': 128,
                         'burst': 100}},
}
HOSTS = ['c%d' % i for i in range(1, 9)]
# The distributed deployment the throughput target names: 2 API
# workers, 2 conductors, 3 computes. A round moves up to 128 of the pool's
# 130 m1.tiny servers to the next host, whose own servers keep their room
# until they are confirmed: a host needs room for about 88, and gets 95
# ((49152 - 512 reserved) / 512 MB; vcpus 32 × 4.0 = 128). The burst then
# still targets more servers than its host has room for.
DISTRIBUTED_HOSTS = ['c1', 'c2', 'c3']
DISTRIBUTED = {'api_workers': 2, 'conductor_workers': 2,
               'extra': {'compute': {'memory_mb': 49152, 'vcpus': 32}}}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def parse(argv):
    parser = argparse.ArgumentParser(prog='python -m bench', description=__doc__)
    parser.add_argument('--quick', action='store_true',
                        help='fewer samples: about a minute or two')
    parser.add_argument('--only', default=','.join(PARTS),
                        help='comma-separated subset of %s' % ', '.join(PARTS))
    parser.add_argument('--no-write', action='store_true',
                        help='print only; leave doc/source alone')
    parser.add_argument('--output', default=os.path.join(
        ROOT, 'doc', 'source', 'performance.rst'))
    args = parser.parse_args(argv)
    args.parts = [p.strip() for p in args.only.split(',') if p.strip()]
    unknown = set(args.parts) - set(PARTS)
    if unknown:
        parser.error('unknown part(s): %s' % ', '.join(sorted(unknown)))
    return args


def main(argv=None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    warnings.simplefilter('ignore')
    logging.basicConfig(level=logging.ERROR)
    from bench import backends, machine, report, stats
    plan = PLANS['quick' if args.quick else 'full']
    described = machine.describe()
    results: list[stats.Result] = []
    notes: list[str] = []
    began = time.monotonic()
    with tempfile.TemporaryDirectory(prefix='migrator-bench-') as workdir:
        distributed_ok = backends.postgres_available() and backends.rabbit_available()
        if 'distributed' in args.parts and not distributed_ok:
            notes.append('Distributed rows not measured: PostgreSQL or RabbitMQ '
                         'is not reachable on 127.0.0.1.')
        log('floors')
        from bench import floors
        found = floors.measure(workdir, plan['floor_samples'], log,
                               distributed=distributed_ok)
        results.extend(found.values())
        if 'scheduler' in args.parts:
            results.extend(_scheduler(workdir, plan, distributed_ok, notes))
        if 'check' in args.parts:
            results.extend(_check(workdir, plan, distributed_ok))
        if 'claims' in args.parts:
            results.extend(_claims(workdir, plan, found, distributed_ok, notes))
        for part in ('embedded', 'distributed'):
            if part in args.parts and (part == 'embedded' or distributed_ok):
                results.extend(_migrate(workdir, part, plan, found, notes))
                notes.append(_deployment_note(part))
        if 'reads' in args.parts:
            results.extend(_reads(args.quick))
        log('floors, again')
        again = floors.measure(workdir, plan['floor_samples'], log,
                               distributed=distributed_ok)
        results.extend(again.values())
        notes.append('Floors were measured at the start and at the end of the '
                     'run; each ratio uses the lower p50 of the two.')
        for key, result in again.items():
            result.label += ' (again, at the end)'
            if key not in found or result.p(50) < found[key].p(50):
                found[key] = result
        stats.apply_floors(results, found)
    checks = report.targets(results)
    print('\n## Results (%s, %.0f s)\n' % (described['command'],
                                          time.monotonic() - began))
    print(stats.markdown(results))
    print('\n## Targets\n')
    print(report.targets_markdown(checks))
    for note in notes:
        print('\n* ' + note)
    if not args.no_write:
        try:
            images = report.plots(results, os.path.join(
                os.path.dirname(args.output), 'images'))
        except ImportError as error:  # matplotlib: pip install -e '.[bench]'
            log('no plots (%s); the page is written without them' % error)
            notes.append('No plots in this run: %s.' % error)
            images = []
        with open(args.output, 'w') as out:
            out.write(report.rst(described, results, checks, notes, images))
        log('wrote %s' % os.path.relpath(args.output))
    return 0


def _deployment_note(part: str) -> str:
    from bench import deployments, migrate
    if part == 'embedded':
        shape = ('``migrator-all`` in a process of its own with %d simulated '
                 'hosts of the default size, SQLite and ``inproc://``'
                 % len(HOSTS))
    else:
        compute = DISTRIBUTED['extra']['compute']
        shape = ('migrator-api under gunicorn with %d workers, '
                 'migrator-conductor with %d workers, migrator-scheduler and '
                 '%d migrator-compute (hosts of %d vCPUs and %d MB), '
                 'RabbitMQ and PostgreSQL (pools of %d connections a process)'
                 % (DISTRIBUTED['api_workers'], DISTRIBUTED['conductor_workers'],
                    len(DISTRIBUTED_HOSTS), compute['vcpus'],
                    compute['memory_mb'], deployments.Distributed.pool_size))
    return ('Scenarios 1 and 2, %s: %s. The clients learn that a move ended '
            'by reading its server\'s row every %g ms with one client and '
            'every %g ms with more; "CPU per move and its confirm" is what '
            'each part used over the round, idle work included.' % (
                part, shape, 1000 * migrate.WATCH_ONE,
                1000 * migrate.WATCH_MANY))


def _reads(quick: bool):
    """Scenario 6, ``python -m bench.reads``: reads, pollers and the CPU of
    a move, from ``migrator-all`` in its own process."""
    from bench import reads
    log('scenario 6: reads and pollers (migrator-all in its own process)')
    found = reads.run(quick)
    for result in found:
        result.scenario = '6 reads'
    return found


def _scheduler(workdir, plan, distributed_ok, notes):
    from bench import backends, scheduler
    log('scenario 3: scheduler')
    results = []
    kinds = ['sqlite'] + (['postgresql'] if distributed_ok else [])
    for kind in kinds:
        label = 'SQLite' if kind == 'sqlite' else 'PostgreSQL'
        with backends.database(kind, workdir, 'scheduler') as url:
            results.extend(scheduler.run(workdir, url, label,
                                         plan['sched_counts'],
                                         plan['sched_samples'],
                                         plan['sched_budget'], log))
    return results


def _check(workdir, plan, distributed_ok):
    from bench import backends, check
    log('scenario 5: migration check')
    results = []
    for kind in ['sqlite'] + (['postgresql'] if distributed_ok else []):
        label = 'SQLite' if kind == 'sqlite' else 'PostgreSQL'
        with backends.database(kind, workdir, 'check') as url:
            results.extend(check.run(workdir, url, label, plan['sched_counts'],
                                     plan['sched_samples'], plan['sched_budget'],
                                     log))
    return results


def _claims(workdir, plan, found, distributed_ok, notes):
    from bench import backends, claims
    log('scenario 4: claims')

    @contextlib.contextmanager
    def sqlite_db():
        yield backends.sqlite_url(workdir, 'claims-%s' % uuid.uuid4().hex[:8])

    results = claims.run(sqlite_db, 'SQLite', plan['claims_per_worker'],
                         'commit_sqlite', log)
    if distributed_ok:
        results += claims.run(backends.postgres_database, 'PostgreSQL',
                              plan['claims_per_worker'],
                              'commit_postgresql', log)
    return results


def _migrate(workdir, part, plan, found, notes):
    from bench import client, deployments, migrate
    log('scenarios 1 and 2: %s' % part)
    directory = os.path.join(workdir, part)
    os.makedirs(directory, exist_ok=True)
    try:
        if part == 'embedded':
            dep = deployments.Embedded(directory, HOSTS)
        else:
            dep = deployments.Distributed(directory, DISTRIBUTED_HOSTS,
                                          **DISTRIBUTED)
    except Exception as error:  # noqa: BLE001 - reported, and the run goes on
        traceback.print_exc()
        notes.append('%s deployment not measured: it did not start (%s).'
                     % (part, str(error).splitlines()[0]))
        return []
    watcher = client.Watcher(dep.db_url)
    try:
        return migrate.run(dep, watcher, found, plan['migrate'], log)
    finally:
        watcher.close()
        dep.stop()


if __name__ == '__main__':
    sys.exit(main())
