"""``python -m bench.reads [--quick]``: what a read and a poller cost.

``migrator-all`` runs as its own process (the embedded default: SQLite,
in-process transport, simulated hosts); the clients run in this process
over keep-alive HTTP connections. Beside it, in the same run, the floor: a
bare Falcon app answering one JSON document, served by the same WSGI
server in a process of its own. For every row: requests (or moves) per
second, latency p50/p95, and the service's CPU per operation (user+system
time of the service process over the operations it served).

Rows:

* ``GET /servers/{id}`` from 1 and from 4 clients;
* ``GET /servers/detail`` of 1,000 servers;
* the dashboard's update, per read: ``/migrator/capacity``, the moves in
  flight, the newest 100 that ended and the newest 20 failed and
  cancelled (``/migrator/migrations``, 1.3), ``/migrator/drains``;
* targeted migrate + confirm, one client, zero-time disk copy: CPU per
  move and POST -> VERIFY_RESIZE (the mover watches the database, so its
  waits cost the service nothing);
* the same moves with 4 clients polling a server's status every 10 ms;
* the dashboard's update again, with the records those moves left: as it
  reads now, and as it read before 1.3 (every record, on every update).
"""

import argparse
import contextlib
import http.client
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time

from bench import client, deployments, stats

HEADERS = {'X-Auth-Token': 'admin:admin', 'Content-Type': 'application/json',
           'OpenStack-API-Version': 'compute 2.56'}


class Client:
    """One keep-alive connection; reconnects when the server closes it."""

    def __init__(self, port: int, headers: dict | None = None):
        self.port = port
        self.headers = headers or HEADERS
        self.conn = None

    def request(self, method: str, path: str, body=None, parse: bool = True):
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection('127.0.0.1', self.port,
                                                       timeout=120)
            try:
                self.conn.request(method, path, body=None if body is None
                                  else json.dumps(body), headers=self.headers)
                resp = self.conn.getresponse()
                data = resp.read()
            except (http.client.HTTPException, ConnectionError):
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
                continue
            if resp.getheader('Connection', '').lower() == 'close' or \
                    resp.version == 10:
                self.conn.close()
                self.conn = None
            return resp.status, (json.loads(data) if data and parse else None)

    def close(self):
        if self.conn is not None:
            self.conn.close()


class Process:
    """The floor's process on a free port, stopped on exit."""

    def __init__(self, argv: list, port: int, workdir: str, name: str):
        self.port = port
        self.log = open(os.path.join(workdir, '%s.log' % name), 'w')
        self.proc = subprocess.Popen(argv, stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(OSError):
                status, _ = Client(port).request('GET', '/')
                if status < 500:
                    return
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError('%s did not start; see %s' % (name, self.log.name))
            time.sleep(0.2)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        self.log.close()


class _Document:
    def on_get(self, req, resp, **_ids):
        resp.media = {'server': {'id': 'x', 'status': 'ACTIVE'}}


def serve_floor(port: int) -> None:
    """The floor: a bare Falcon app answering one small JSON document, on
    the WSGI server migrator-all uses."""
    import falcon

    from migrator.cmd import wsgi_server
    app = falcon.App()
    app.add_route('/v2.1/servers/{server_id}', _Document())
    app.add_route('/', _Document())
    server = wsgi_server.WSGIServer(app, '127.0.0.1', port)
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    server.start()
    stopping.wait()
    server.stop()


def start_migrator(workdir: str, hosts: list, extra: dict | None = None,
                   env: dict | None = None) -> deployments.Embedded:
    """``migrator-all`` with room for a thousand servers, once its
    computes are up."""
    return deployments.Embedded(workdir, hosts, deployments.merged(
        {'DEFAULT': {'host': 'bench'},
         'compute': {'memory_mb': 262144, 'vcpus': 512, 'local_gb': 4096}},
        extra or {}), env)


def boot(port: int, count: int, threads: int = 4) -> list:
    ids, lock = [], threading.Lock()

    def worker(n):
        client = Client(port)
        for i in range(n):
            status, body = client.request('POST', '/v2.1/servers', {'server': {
                'name': 'r%d' % i, 'flavorRef': '1'}})
            assert status == 202, body
            with lock:
                ids.append(body['server']['id'])
        client.close()
    workers = [threading.Thread(target=worker, args=(count // threads
                                                     + (i < count % threads),))
               for i in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    wait_status(port, ids, 'ACTIVE')
    return ids


def wait_status(port: int, ids: list, status: str, timeout: float = 600) -> None:
    client = Client(port)
    deadline = time.monotonic() + timeout
    pending = set(ids)
    while pending:
        _, body = client.request('GET', '/v2.1/servers/detail?limit=1000&status=%s'
                                 % status)
        pending -= {s['id'] for s in body['servers']
                    if s['OS-EXT-STS:task_state'] is None}
        if pending and time.monotonic() > deadline:
            raise RuntimeError('%d servers not %s' % (len(pending), status))
        if pending:
            time.sleep(0.2)
    client.close()


def hammer(port: int, pid: int, paths: list, clients: int, seconds: float,
           label: str, headers: dict | None = None) -> stats.Result:
    """``clients`` threads GET ``paths`` round-robin for ``seconds``."""
    latencies, lock = [], threading.Lock()
    stop_at = [0.0]
    ready = threading.Barrier(clients + 1)

    def worker(offset):
        client = Client(port, headers)
        mine = []
        client.request('GET', paths[offset % len(paths)])  # connect, warm
        ready.wait()
        i = offset
        while time.monotonic() < stop_at[0]:
            began = time.perf_counter()
            # The body is read whole but not parsed: a client's parsing
            # is not the service's time, and would take CPU from it.
            status, _ = client.request('GET', paths[i % len(paths)], parse=False)
            mine.append(time.perf_counter() - began)
            assert status == 200, status
            i += clients
        client.close()
        with lock:
            latencies.extend(mine)
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    stop_at[0] = time.monotonic() + seconds + 1e9  # set after the barrier
    ready.wait()
    cpu0, wall0 = deployments.cpu_seconds(pid), time.monotonic()
    stop_at[0] = wall0 + seconds
    for t in threads:
        t.join()
    wall, cpu = time.monotonic() - wall0, deployments.cpu_seconds(pid) - cpu0
    result = stats.Result('reads', label, latencies, wall=wall)
    result.extra['cpu_ms'] = 1000 * cpu / max(1, len(latencies))
    return result


def moves(service: deployments.Embedded, servers: list, hosts: list, count: int,
          pollers: int, label: str) -> stats.Result:
    """``count`` targeted migrate + confirm, one after the other, while
    ``pollers`` clients GET a server's status every 10 ms.

    The mover learns that a server reached a state from the database
    (``client.Watcher``, reading SQLite from this process), not from
    status GETs: its waits then cost the service nothing, and the move's
    CPU is measured, not what is left after an estimate of its polls is
    taken off. POST -> VERIFY_RESIZE runs to the commit of the step that
    set it (the server row's ``updated_at``)."""
    watcher = client.Watcher(service.db_url, interval=0.001)
    mover = Client(service.port)
    stop = threading.Event()
    polls = [0]

    def poller(server_id):
        c = Client(service.port)
        while not stop.is_set():
            c.request('GET', '/v2.1/servers/%s' % server_id)
            polls[0] += 1
            time.sleep(0.01)
        c.close()
    threads = [threading.Thread(target=poller, args=(servers[i % len(servers)],))
               for i in range(pollers)]
    where = watcher.hosts()
    # What the service burns doing nothing (heartbeats, periodic tasks).
    idle0, idle_wall0 = deployments.cpu_seconds(service.pid), time.monotonic()
    time.sleep(2.0)
    idle_rate = (deployments.cpu_seconds(service.pid) - idle0) / (time.monotonic() - idle_wall0)
    for t in threads:
        t.start()
    latencies = []
    cpu0, wall0 = deployments.cpu_seconds(service.pid), time.monotonic()
    try:
        for i in range(count):
            server_id = servers[i % len(servers)]
            dest = hosts[(hosts.index(where[server_id]) + 1) % len(hosts)]
            began = client.utcnow()
            status, body = mover.request('POST', '/v2.1/servers/%s/action' % server_id,
                                         {'migrate': {'host': dest}})
            assert status == 202, body
            resized_at, where[server_id] = watcher.wait(server_id, 'resized')
            latencies.append((resized_at - began).total_seconds())
            status, body = mover.request('POST', '/v2.1/servers/%s/action' % server_id,
                                         {'confirmResize': None})
            assert status == 204, body
            watcher.wait(server_id, 'active')
        wall, cpu = time.monotonic() - wall0, deployments.cpu_seconds(service.pid) - cpu0
    finally:
        stop.set()
        for t in threads:
            t.join()
        mover.close()
        watcher.close()
    result = stats.Result('reads', label, latencies, wall=wall)
    # The move's own CPU: the service's, less what it burns idle and what
    # the pollers' GETs cost at the rate measured for GET /servers/{id}
    # alone (set by the caller).
    result.extra['cpu_total_s'] = cpu - idle_rate * wall
    result.extra['polls'] = polls[0]
    result.extra['idle_cpu_ms_per_s'] = 1000 * idle_rate
    return result


def run(quick: bool) -> list:
    seconds = 3.0 if quick else 10.0
    # Enough moves that a second of another process's work on the machine
    # does not decide the figure.
    move_count = 20 if quick else 240
    detail_servers = 1000
    hosts = ['r%d' % i for i in range(1, 5)]
    results = []
    with tempfile.TemporaryDirectory(prefix='migrator-reads-') as workdir:
        floor_port = deployments.free_port()
        floor = Process([sys.executable, '-m', 'bench.reads', '--serve-floor',
                         str(floor_port)], floor_port, workdir, 'floor')
        try:
            for clients in (1, 4):
                results.append(hammer(floor_port, floor.pid, ['/v2.1/servers/x'],
                                      clients, seconds,
                                      'floor: bare Falcon GET, %d client(s)' % clients))
        finally:
            floor.stop()
        service = start_migrator(workdir, hosts)
        try:
            print('booting %d servers' % detail_servers, file=sys.stderr, flush=True)
            servers = boot(service.port, detail_servers)
            paths = ['/v2.1/servers/%s' % s for s in servers[:50]]
            for clients in (1, 4):
                results.append(hammer(service.port, service.pid, paths, clients,
                                      seconds, 'GET /servers/{id}, %d client(s)'
                                      % clients))
            results.append(hammer(service.port, service.pid,
                                  ['/v2.1/servers/detail?limit=1000'], 1, seconds,
                                  'GET /servers/detail, 1,000 servers'))
            # The dashboard's update: six reads of migrator's own API.
            results.append(dashboard_update(service, seconds, 'no moves recorded'))
            per_get = results[2].extra['cpu_ms'] / 1000
            for pollers in (0, 4):
                found = moves(service, servers[:20], hosts,
                              move_count, pollers,
                              'migrate + confirm, %d pollers' % pollers)
                # Idle CPU and the pollers' GETs, at the measured cost of
                # a GET, are not the move's.
                found.extra['cpu_ms'] = 1000 * max(
                    0.0, found.extra['cpu_total_s'] - per_get * found.extra['polls']
                ) / move_count
                found.extra['moves_per_s'] = move_count / found.wall
                results.append(found)
            recorded = 2 * move_count
            results.append(dashboard_update(service, seconds,
                                            '%d moves recorded' % recorded))
            results.append(dashboard_update(
                service, seconds, '%d moves recorded, as before 1.3 (every '
                'record)' % recorded, paths=DASHBOARD_BEFORE_13,
                version='migrator 1.2'))
        finally:
            service.stop()
    return results


# What the dashboard reads on each update (every 3 s while it is shown).
DASHBOARD_UPDATE = ['/migrator/capacity', '/migrator/migrations?ended=false',
                    '/migrator/migrations?ended=true&limit=100',
                    '/migrator/migrations?status=error&limit=20',
                    '/migrator/migrations?status=cancelled&limit=20',
                    '/migrator/drains']
# Before migrator 1.3 it read every record the database keeps.
DASHBOARD_BEFORE_13 = ['/migrator/capacity', '/migrator/migrations',
                       '/migrator/drains']


def dashboard_update(service, seconds: float, what: str,
                     paths: list = DASHBOARD_UPDATE,
                     version: str = 'migrator 1.3') -> stats.Result:
    """The dashboard's reads, one client, round-robin: CPU per read."""
    return hammer(service.port, service.pid, paths, 1, seconds,
                  'dashboard update, %d reads, per read, %s' % (len(paths), what),
                  dict(HEADERS, **{'OpenStack-API-Version': version}))


def table(results: list) -> str:
    lines = ['| case | ops | ops/s | p50 ms | p95 ms | service CPU ms/op |',
             '|---|---|---|---|---|---|']
    for r in results:
        rate = r.extra.get('moves_per_s', r.throughput)
        lines.append('| %s | %d | %.0f | %.2f | %.2f | %.2f |' % (
            r.label, r.count, rate, 1000 * r.p(50), 1000 * r.p(95),
            r.extra.get('cpu_ms', float('nan'))))
    return '\n'.join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog='python -m bench.reads', description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--quick', action='store_true', help='3 s per row, 20 moves')
    parser.add_argument('--serve-floor', type=int, metavar='PORT',
                        help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve_floor:
        serve_floor(args.serve_floor)
        return 0
    print(table(run(args.quick)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
