"""Scenario 5: the floors, measured in the same run.

* a bare Falcon request: one resource answering 202, served the way the
  API is (the threaded WSGI server of the embedded default, or gunicorn
  with migrator-api's options), through the same HTTP client;
* a bare oslo.messaging ``call()`` (round trip) and ``cast()`` (until the
  endpoint runs) through migrator's own ``Messaging`` on the same transport;
* a bare single-row UPDATE+COMMIT in a writer transaction of the same
  ``Database`` class, on SQLite and PostgreSQL;
* on RabbitMQ, what a process spends receiving a cast, at a few rates: a
  distributed move's CPU is mostly its processes sending and receiving
  messages, and oslo.messaging's listener, after each message, polls the
  broker again within a millisecond and then less and less often, so a
  message costs the receiver more when messages come seldom.
"""

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
import uuid

import falcon
import oslo_messaging as messaging
import sqlalchemy as sa

from bench import backends, client, config, deployments, stats


class _Accept:
    def on_post(self, req, resp, **_ids):
        req.get_media(default_when_empty=None)
        resp.status = falcon.HTTP_202


def bare_app() -> falcon.App:
    app = falcon.App()
    app.add_route('/v2.1/servers/{server_id}/action', _Accept())
    return app


def _time_requests(http: client.HTTP, samples: int) -> list[float]:
    body = {'migrate': {'host': 'c2'}}
    http.post('/servers/x/action', body)
    times = []
    for _ in range(samples):
        began = time.perf_counter()
        status, _ = http.post('/servers/x/action', body)
        times.append(time.perf_counter() - began)
        assert status == 202, status
    return times


def falcon_embedded(samples: int) -> stats.Result:
    from migrator.cmd import wsgi_server
    server = wsgi_server.WSGIServer(bare_app(), '127.0.0.1', 0)
    server.start()
    try:
        with stats.Timer() as timer:
            times = _time_requests(client.HTTP(server.port), samples)
    finally:
        server.stop()
    return stats.Result('5 floor', 'bare Falcon request, threaded WSGI server',
                        times, timer.seconds)


def falcon_gunicorn(samples: int, workers: int) -> stats.Result:
    port = deployments.free_port()
    process = subprocess.Popen(
        [sys.executable, '-m', 'bench.bare_api', str(port), str(workers)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
        cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    try:
        http = client.HTTP(port)
        deadline = time.monotonic() + 30
        while True:
            try:
                http.post('/servers/x/action', {})
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.1)
        with stats.Timer() as timer:
            times = _time_requests(http, samples)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        process.wait(15)
    return stats.Result('5 floor', 'bare Falcon request, gunicorn %d workers'
                        % workers, times, timer.seconds)


class _Endpoint:
    target = messaging.Target(version='1.0')

    def __init__(self):
        self.arrived: dict = {}

    def ping(self, context):
        return None

    def poke(self, context, token):
        event = self.arrived.get(token)
        if event is not None:
            event[1] = time.perf_counter()
            event[0].set()


@contextlib.contextmanager
def _messaging(workdir: str, transport_url: str | None, exchange: str):
    """migrator's ``Messaging`` on ``transport_url`` (``inproc://`` when
    None) and its own ``exchange``, cleaned up after the block."""
    from migrator import rpc
    with config.configured(workdir, control_exchange=exchange,
                           oslo_messaging_rabbit__amqp_auto_delete=True) as conf:
        if transport_url:
            conf.set_override('transport_url', transport_url)
        msg = rpc.Messaging(conf)
        try:
            yield msg
        finally:
            msg.cleanup()


def rpc_floors(workdir: str, transport_url: str | None, label: str,
               samples: int) -> list[stats.Result]:
    """call() and cast() through ``migrator.rpc.Messaging`` on one transport."""
    from migrator import context as migrator_context
    with _messaging(workdir, transport_url,
                    'migrator_bench_%s' % uuid.uuid4().hex[:8]) as msg:
        endpoint = _Endpoint()
        server = msg.server(messaging.Target(topic='bench', server='b1'), [endpoint])
        server.start()
        try:
            rpc_client = msg.client('bench', '1.0', timeout=30)
            ctx = migrator_context.get_admin_context()
            rpc_client.call(ctx, 'ping')
            calls = []
            cpu0 = time.process_time()
            with stats.Timer() as call_timer:
                for _ in range(samples):
                    began = time.perf_counter()
                    rpc_client.call(ctx, 'ping')
                    calls.append(time.perf_counter() - began)
            call_cpu = time.process_time() - cpu0
            casts = []
            cpu0 = time.process_time()
            with stats.Timer() as cast_timer:
                for i in range(samples):
                    token = str(i)
                    box = endpoint.arrived[token] = [threading.Event(), 0.0]
                    began = time.perf_counter()
                    rpc_client.cast(ctx, 'poke', token=token)
                    if not box[0].wait(30):
                        raise RuntimeError('cast %d never arrived' % i)
                    casts.append(box[1] - began)
            cast_cpu = time.process_time() - cpu0
        finally:
            server.stop()
            server.wait()
    # Sender and server share this process: its CPU is both ends' (and,
    # over RabbitMQ, the AMQP client threads'; the broker's is not in it).
    return [stats.Result('5 floor', 'bare RPC call(), %s' % label, calls,
                         call_timer.seconds, extra={
                             'CPU per call, both ends': '%.3f ms'
                             % (1000 * call_cpu / samples)}),
            stats.Result('5 floor', 'bare RPC cast() until it runs, %s' % label,
                         casts, cast_timer.seconds, extra={
                             'CPU per cast, both ends': '%.3f ms'
                             % (1000 * cast_cpu / samples)})]


def db_floor(db_url: str, label: str, samples: int) -> stats.Result:
    """One single-row UPDATE+COMMIT in a writer transaction."""
    from migrator.db import api as db_api
    db = db_api.Database(db_url)
    try:
        with db.engine.begin() as conn:
            conn.exec_driver_sql('CREATE TABLE bench_floor (id INTEGER PRIMARY '
                                 'KEY, n INTEGER NOT NULL)')
            conn.exec_driver_sql('INSERT INTO bench_floor VALUES (1, 0)')
        update = sa.text('UPDATE bench_floor SET n = n + 1 WHERE id = 1')
        with db.writer() as session:
            session.execute(update)
        times = []
        with stats.Timer() as timer:
            for _ in range(samples):
                began = time.perf_counter()
                with db.writer() as session:
                    session.execute(update)
                times.append(time.perf_counter() - began)
    finally:
        db.dispose()
    return stats.Result('5 floor', 'bare UPDATE+COMMIT, %s' % label, times,
                        timer.seconds)


class _Counter:
    target = messaging.Target(version='1.0')

    def __init__(self):
        self.count = 0

    def poke(self, context):
        self.count += 1

    def received(self, context):
        return self.count


def serve_casts(exchange: str, transport_url: str) -> None:
    """The receiver of ``rpc_receive_cpu``, in a process of its own: serves
    until its standard input closes."""
    import tempfile
    with tempfile.TemporaryDirectory() as workdir, \
            _messaging(workdir, transport_url, exchange) as msg:
        server = msg.server(messaging.Target(topic='bench', server='r1'),
                            [_Counter()])
        server.start()
        print('ready', flush=True)
        sys.stdin.read()
        server.stop()
        server.wait()


def rpc_receive_cpu(workdir: str, transport_url: str, label: str,
                    rates=(10, 50, 1000), seconds: float = 3.0
                    ) -> dict[int, stats.Result]:
    """The CPU a process spends on each cast it receives (an endpoint that
    does nothing), at ``rates`` casts a second, sent from this process;
    one result per rate."""
    from migrator import context as migrator_context
    exchange = 'migrator_bench_%s' % uuid.uuid4().hex[:8]
    receiver = subprocess.Popen(
        [sys.executable, '-c', 'import sys; from bench import floors; '
         'floors.serve_casts(sys.argv[1], sys.argv[2])', exchange, transport_url],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        text=True, cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    results = {}
    try:
        if receiver.stdout.readline().strip() != 'ready':
            raise RuntimeError('the cast receiver did not start')
        with _messaging(workdir, transport_url, exchange) as msg:
            rpc_client = msg.client('bench', '1.0', timeout=30).prepare(
                server='r1')
            ctx = migrator_context.get_admin_context()
            sent = rpc_client.call(ctx, 'received')
            for rate in rates:
                time.sleep(1.0)  # the listener back at its longest poll
                cpu0 = deployments.threads_cpu_seconds(receiver.pid)
                began, count = time.monotonic(), int(rate * seconds)
                for i in range(count):
                    rpc_client.cast(ctx, 'poke')
                    pause = began + (i + 1) / rate - time.monotonic()
                    if pause > 0:
                        time.sleep(pause)
                sent += count
                achieved = count / (time.monotonic() - began)
                while rpc_client.call(ctx, 'received') < sent:
                    time.sleep(0.01)
                cpu = deployments.threads_cpu_seconds(receiver.pid) - cpu0
                results[rate] = stats.Result(
                    '5 floor', 'RPC cast received at %d/s, %s: receiver '
                    'CPU' % (rate, label), [], extra={
                        'CPU per cast': '%.2f ms' % (1000 * cpu / count),
                        'sent at': '%.0f/s' % achieved})
    finally:
        with contextlib.suppress(OSError):
            receiver.stdin.close()
        try:
            receiver.wait(15)
        except subprocess.TimeoutExpired:
            receiver.kill()
            receiver.wait(5)
    return results


def measure(workdir: str, samples: int, log, api_workers: int = 2,
            distributed: bool = True) -> dict[str, stats.Result]:
    """Every floor; keys name them for the scenarios' sums."""
    found: dict[str, stats.Result] = {}
    found['falcon_embedded'] = falcon_embedded(samples)
    call, cast = rpc_floors(workdir, None, 'inproc', samples)
    found['call_inproc'], found['cast_inproc'] = call, cast
    found['commit_sqlite'] = db_floor(
        backends.sqlite_url(workdir, 'floor-%s' % uuid.uuid4().hex[:6]),
        'SQLite', samples)
    if distributed and backends.rabbit_available():
        call, cast = rpc_floors(workdir, backends.RABBIT_URL, 'rabbit', samples)
        found['call_rabbit'], found['cast_rabbit'] = call, cast
        received = rpc_receive_cpu(workdir, backends.RABBIT_URL, 'rabbit')
        for rate, result in received.items():
            found['receive_rabbit_%d' % rate] = result
    if distributed and backends.postgres_available():
        with backends.postgres_database() as url:
            found['commit_postgresql'] = db_floor(url, 'PostgreSQL', samples)
    if distributed:
        found['falcon_gunicorn'] = falcon_gunicorn(samples, api_workers)
    for result in found.values():
        if result.samples:
            log('  %-48s p50 %.3f ms' % (result.label, 1000 * result.p(50)))
        else:
            log('  %-48s %s' % (result.label, stats.row(result)[-1]))
    return found
