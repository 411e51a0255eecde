"""Scenarios 1 and 2: migrate end to end, and the API's accept.

A pool of m1.tiny servers is booted first (not timed). A round migrates
each of its servers once — targeted, forced or untargeted — from 1 or 16
client threads: POST migrate (timed to the 202: scenario 2), then the
server's row reaching VERIFY_RESIZE (its ``updated_at``, from the same
clock: scenario 1). Between rounds every move is confirmed (not timed), so
the servers can move again and hosts never fill up.

Then a burst: up to 100 clients at once migrate as many servers from the
other hosts to one host that has room for fewer; the claims must admit
exactly what fits, and ``migrator.audit.find_problems`` must find nothing.

Each round also charges the CPU its processes used (the move and its
confirm) to each part of the deployment (its ``cpu_by_role``).
"""

import collections
import queue
import threading
import time

from bench import client, stats

KINDS = ('targeted', 'forced', 'untargeted')
# How often the watcher reads the servers' states during a round with one
# client and with more. A client learns that its move ended at most this
# late, a small part of a move (about 40 ms distributed with one client,
# 400 ms with 16); its reads take CPU from the service on the same machine
# (every 5 ms cost PostgreSQL about 14 ms of CPU a second, idle). The times
# measured are the rows' own, whatever the interval.
WATCH_ONE, WATCH_MANY = 0.005, 0.02
FLAVOR = '1'  # m1.tiny: 512 MB, room for 63 on a default host


def boot_pool(dep, watcher, count: int) -> list[str]:
    ids = []
    for i in range(count):
        status, body = dep.http.post('/servers', {'server': {
            'name': 'bench-%d' % i, 'flavorRef': FLAVOR}})
        if status != 202:
            raise RuntimeError('boot failed: %s %s' % (status, body))
        ids.append(body['server']['id'])
    for server_id in ids:
        watcher.wait(server_id, 'active')
    return ids


def _next_host(hosts: list[str], current: str) -> str:
    return hosts[(hosts.index(current) + 1) % len(hosts)]


def _body(kind: str, dest: str | None):
    if kind == 'untargeted':
        return {'migrate': None}
    body = {'host': dest}
    if kind == 'forced':
        body['force'] = True
    return {'migrate': body}


def _parallel(fn, items, threads: int) -> None:
    work = queue.SimpleQueue()
    for item in items:
        work.put(item)

    def run():
        while True:
            try:
                item = work.get_nowait()
            except queue.Empty:
                return
            fn(item)
    workers = [threading.Thread(target=run) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()


def confirm_all(dep, watcher, server_ids) -> None:
    def confirm(server_id):
        status, body = dep.http.post('/servers/%s/action' % server_id,
                                     {'confirmResize': None})
        if status != 204:
            raise RuntimeError('confirm failed: %s %s' % (status, body))
        watcher.wait(server_id, 'active')
    _parallel(confirm, server_ids, 8)


def migrate_round(dep, watcher, server_ids, kind: str, clients: int,
                  dest_for=None) -> dict:
    """Migrate each server once from ``clients`` threads; confirm after."""
    hosts = sorted(dep.hosts)
    where = watcher.hosts()
    lock = threading.Lock()
    accept, e2e, ends, moved = [], [], [], []
    refusals: collections.Counter = collections.Counter()
    start_gate = threading.Barrier(clients + 1)

    def migrate(server_id):
        dest = (dest_for(server_id) if dest_for
                else _next_host(hosts, where[server_id]))
        started = client.utcnow()
        began = time.perf_counter()
        status, body = dep.http.post('/servers/%s/action' % server_id,
                                     _body(kind, dest))
        accepted = time.perf_counter() - began
        if status != 202:
            with lock:
                refusals[status] += 1
            return
        try:
            updated_at, _host = watcher.wait(server_id, 'resized')
        except (TimeoutError, RuntimeError) as error:
            with lock:
                refusals['202 then %s' % type(error).__name__] += 1
            return
        with lock:
            accept.append(accepted)
            e2e.append((updated_at - started).total_seconds())
            ends.append(updated_at)
            moved.append(server_id)

    work = queue.SimpleQueue()
    for server_id in server_ids:
        work.put(server_id)

    def run():
        start_gate.wait()
        while True:
            try:
                server_id = work.get_nowait()
            except queue.Empty:
                return
            migrate(server_id)
    threads = [threading.Thread(target=run) for _ in range(clients)]
    for thread in threads:
        thread.start()
    previous, watcher.interval = watcher.interval, (
        WATCH_ONE if clients == 1 else WATCH_MANY)
    round_start = client.utcnow()
    start_gate.wait()
    try:
        for thread in threads:
            thread.join()
    finally:
        watcher.interval = previous
    wall = ((max(ends) - round_start).total_seconds() if ends else 0.0)
    confirm_all(dep, watcher, moved)
    return {'accept': accept, 'e2e': e2e, 'wall': wall, 'refusals': refusals,
            'moved': len(moved)}


def run(dep, watcher, floors: dict, plan: dict, log) -> list[stats.Result]:
    """Every round on one deployment, then the burst."""
    label = dep.label
    sums = path_floors(dep)
    pool = boot_pool(dep, watcher, plan['pool'])
    results = []
    for kind in KINDS:
        for clients in (1, 16):
            count = plan['samples_1'] if clients == 1 else plan['samples_16']
            case = '%s, %s, %d client%s' % (label, kind, clients,
                                           's' if clients > 1 else '')
            try:
                used = dep.cpu_by_role()
                outcome = migrate_round(dep, watcher, pool[:count], kind,
                                        clients)
                charged = charge(used, dep.cpu_by_role(), outcome['moved'])
            except Exception as error:  # noqa: BLE001 - recorded, run goes on
                log('  %s failed: %s' % (case, error))
                results.append(stats.Result('1 migrate', case, [],
                                            note='failed: %s' % error))
                continue
            extra = {'refused': ','.join('%s×%d' % item for item in
                                         outcome['refusals'].items())} \
                if outcome['refusals'] else {}
            if charged:
                extra['CPU per move and its confirm'] = charged
            results.append(stats.Result(
                '1 migrate', case, outcome['e2e'], outcome['wall'],
                floor_terms=sums['e2e_forced' if kind == 'forced' else 'e2e'],
                extra=extra))
            results.append(stats.Result(
                '2 accept', case, outcome['accept'], outcome['wall'],
                floor_terms=sums['accept']))
            stats.apply_floors(results[-2:], floors)
            log('  %-40s e2e p50 %.1f ms, accept p50 %.1f ms, %.1f/s, CPU %s' % (
                case, 1000 * results[-2].p(50), 1000 * results[-1].p(50),
                results[-2].throughput, charged or '-'))
    try:
        results.append(burst(dep, watcher, pool, plan['burst'], sums, log))
    except Exception as error:  # noqa: BLE001
        log('  burst failed: %s' % error)
    return results


def charge(before: dict, after: dict, moves: int) -> str:
    """The CPU a round used, per move, in all and by role: ``"41.3 ms
    (compute 15.2, api 10.1, …)"``. Idle work (heartbeats, periodic
    tasks) is included: at 16 clients it is a few per cent."""
    if not moves:
        return ''
    per = {role: 1000 * (after[role] - before.get(role, 0.0)) / moves
           for role in after}
    total = sum(per.values())
    if len(per) == 1:
        return '%.1f ms' % total
    return '%.1f ms (%s)' % (total, ', '.join(
        '%s %.1f' % item for item in sorted(per.items(), key=lambda i: -i[1])))


def burst(dep, watcher, pool, count: int, sums, log) -> stats.Result:
    """``count`` clients at once, all targeting one host without room for all."""
    hosts = sorted(dep.hosts)
    target = hosts[0]
    where = watcher.hosts()
    movers = [s for s in pool if where[s] != target][:count]
    outcome = migrate_round(dep, watcher, movers, 'targeted', len(movers),
                            dest_for=lambda _s: target)
    problems = audit(dep.db_url)
    refused = dict(outcome['refusals'])
    result = stats.Result(
        '1 migrate', '%s, burst: %d clients target %s' % (
            dep.label, len(movers), target),
        outcome['e2e'], outcome['wall'], floor_terms=sums['e2e'],
        extra={'moved': outcome['moved'],
               'refused': ','.join('%s×%d' % (k, v) for k, v in refused.items())
               or 0,
               'audit problems': len(problems)})
    log('  burst: %d moved, refused %s, %d audit problem(s)%s' % (
        outcome['moved'], refused, len(problems),
        ''.join('\n    %s' % p for p in problems[:5])))
    return result


def audit(db_url: str) -> list:
    from migrator import audit as audit_mod
    from migrator.db import api as db_api
    db = db_api.Database(db_url)
    try:
        return db.read(audit_mod.find_problems)
    finally:
        db.dispose()


def path_floors(dep) -> dict:
    """The floors each path crosses, and how many times.

    End to end: the request, the RPC call to the conductor (and from it to
    the scheduler unless forced), the three casts prep_resize →
    resize_instance → finish_resize, and one commit per state the design
    names (resize_prep, claim, migrating, post-migrating, resize_finish,
    VERIFY_RESIZE). Accept: the request, one call, one claim commit.
    """
    falcon = 'falcon_embedded' if dep.label == 'embedded' else 'falcon_gunicorn'
    call, cast = 'call_%s' % dep.transport, 'cast_%s' % dep.transport
    commit = 'commit_%s' % dep.database.lower()
    return {
        'e2e': {falcon: 1, call: 2, cast: 3, commit: 6},
        'e2e_forced': {falcon: 1, call: 1, cast: 3, commit: 6},
        'accept': {falcon: 1, call: 1, commit: 1},
    }
