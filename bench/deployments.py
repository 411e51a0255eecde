"""The two deployments a migrate is measured on.

``Embedded``: the default, ``migrator-all`` in a process of its own (API +
conductor + scheduler + computes, ``inproc://`` and SQLite).
``Distributed``: migrator-api under gunicorn, migrator-conductor,
migrator-scheduler and one migrator-compute per host, each a process of
its own (the API and the conductor with their workers), over RabbitMQ and
PostgreSQL.

Both say what CPU their processes used (``cpu_by_role``), so that a round
can be charged to each part of the service.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid

from bench import backends, client

BIN = os.path.dirname(sys.executable)


TICKS = os.sysconf('SC_CLK_TCK')


def cpu_seconds(pid: int, reaped: bool = False) -> float:
    """User + system CPU time of a process so far (all its threads); with
    ``reaped``, also that of the children it has waited for."""
    with open('/proc/%d/stat' % pid) as stat:
        fields = stat.read().rsplit(')', 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])
    if reaped:
        ticks += int(fields[13]) + int(fields[14])
    return ticks / TICKS


def threads_cpu_seconds(pid: int) -> float:
    """The CPU time of a process's running threads to the nanosecond (the
    scheduler's account), where ``cpu_seconds`` counts clock ticks;
    threads that have ended are not counted."""
    total = 0
    for task in os.listdir('/proc/%d/task' % pid):
        with contextlib.suppress(OSError), \
                open('/proc/%d/task/%s/schedstat' % (pid, task)) as stat:
            total += int(stat.read().split()[0])
    return total / 1e9


def _children(pid: int) -> list[int]:
    found = []
    with contextlib.suppress(OSError):
        for task in os.listdir('/proc/%d/task' % pid):
            with open('/proc/%d/task/%s/children' % (pid, task)) as kids:
                found.extend(int(k) for k in kids.read().split())
    return found


def tree_cpu_seconds(pid: int) -> float:
    """CPU time of a process and of the processes it forked (workers) that
    are still running."""
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        with contextlib.suppress(OSError):
            total += cpu_seconds(current)
            todo.extend(_children(current))
    return total


def servers_cpu_seconds(names: tuple[str, ...]) -> float:
    """CPU time of every process whose command is one of ``names`` (a
    database or broker server this machine runs for the deployment),
    counting the processes they have reaped: PostgreSQL's backend for a
    connection exits with it, and its time would be lost otherwise."""
    total = 0.0
    for entry in os.listdir('/proc'):
        if not entry.isdigit():
            continue
        with contextlib.suppress(OSError, ValueError):
            with open('/proc/%s/comm' % entry) as comm:
                if comm.read().strip() not in names:
                    continue
            total += cpu_seconds(int(entry), reaped=True)
    return total


def script(name: str) -> list[str]:
    path = os.path.join(BIN, name)
    if os.path.exists(path):
        return [path]
    return [sys.executable, '-m', 'migrator.cmd.%s' % name.split('-', 1)[1]]


def free_port() -> int:
    import socket
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def wait_until_up(http: client.HTTP, hosts, timeout: float = 120,
                  alive=lambda: None) -> None:
    """Every compute service up and every host's node reported."""
    deadline = time.monotonic() + timeout
    while True:
        alive()
        with contextlib.suppress(OSError):
            status, body = http.get('/os-services')
            if status == 200:
                up = {s['host'] for s in body['services']
                      if s['binary'] == 'nova-compute' and s['state'] == 'up'}
                _, nodes = http.get('/os-hypervisors')
                names = {n['hypervisor_hostname'] for n in nodes['hypervisors']}
                if set(hosts) <= up and set(hosts) <= names:
                    return
        if time.monotonic() > deadline:
            raise RuntimeError('compute services not up within %ss' % timeout)
        time.sleep(0.3)


def merged(*configs: dict) -> dict:
    """``{section: {option: value}}`` configurations, later ones winning
    option by option."""
    sections: dict = {}
    for config in configs:
        for section, options in config.items():
            sections.setdefault(section, {}).update(options)
    return sections


def ini(sections: dict) -> str:
    lines = []
    for section, options in sections.items():
        lines.append('[%s]' % section)
        lines.extend('%s = %s' % item for item in options.items())
        lines.append('')
    return '\n'.join(lines)


class _Processes:
    """The service processes of a deployment, each logged to
    ``<workdir>/<name>.log`` and stopped with its process group."""

    # The servers a deployment talks to, by command name: {role: names}.
    servers: dict[str, tuple[str, ...]] = {}

    def __init__(self, workdir: str, env: dict | None = None):
        """``env``: the processes' environment (this process's when None)."""
        self.workdir = workdir
        self.env = env
        self.processes: list[subprocess.Popen] = []

    def cpu_by_role(self) -> dict[str, float]:
        """CPU seconds used so far, by role: each service process with its
        workers (computes summed as one role), and the database and broker
        servers. Differences of two readings charge a round to each part."""
        used: dict[str, float] = {}
        for process in self.processes:
            role = getattr(process, 'bench_role', process.bench_name)
            used[role] = used.get(role, 0.0) + tree_cpu_seconds(process.pid)
        for role, names in self.servers.items():
            used[role] = servers_cpu_seconds(names)
        return used

    def _start(self, name: str, argv: list[str], role: str | None = None) -> None:
        log = open(os.path.join(self.workdir, '%s.log' % name), 'ab')
        with log:
            process = subprocess.Popen(
                argv + ['--config-file', self.config_file], stdout=log,
                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                start_new_session=True, env=self.env)
        process.bench_name = name
        process.bench_role = role or name
        self.processes.append(process)

    def _check_alive(self) -> None:
        dead = [p.bench_name for p in self.processes if p.poll() is not None]
        if dead:
            tail = ''
            with contextlib.suppress(OSError), open(os.path.join(
                    self.workdir, '%s.log' % dead[0]), 'rb') as log:
                tail = log.read()[-2000:].decode('utf-8', 'replace')
            raise RuntimeError('exited during start-up: %s\n%s' % (
                ', '.join(dead), tail))

    def stop(self) -> None:
        for process in self.processes:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for process in self.processes:
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(10)
        self.processes = []


class Embedded(_Processes):
    """``migrator-all`` as a user runs it: a process of its own. The
    clients and the watcher run in the bench's process, so their work is
    not charged to the service's interpreter."""

    label = 'embedded'
    transport = 'inproc'
    database = 'SQLite'

    def __init__(self, workdir: str, hosts: list[str], extra: dict | None = None,
                 env: dict | None = None):
        """``extra``: more configuration, ``{section: {option: value}}``;
        ``env``: the process's environment."""
        super().__init__(workdir, env)
        self.hosts = hosts
        self.port = free_port()
        self.config_file = os.path.join(workdir, 'migrator.conf')
        with open(self.config_file, 'w') as out:
            out.write(ini(merged({
                'DEFAULT': {'state_path': workdir, 'debug': 'false'},
                'api': {'host': '127.0.0.1', 'port': self.port},
                'all_in_one': {'compute_hosts': ','.join(hosts)},
            }, extra or {})))
        self.db_url = 'sqlite:///%s' % os.path.join(workdir, 'migrator.sqlite')
        try:
            self._start('migrator-all', script('migrator-all'))
            self.http = client.HTTP(self.port)
            wait_until_up(self.http, hosts, alive=self._check_alive)
        except BaseException:
            self.stop()
            raise

    @property
    def pid(self) -> int:
        return self.processes[0].pid


class Distributed(_Processes):
    label = 'distributed'
    transport = 'rabbit'
    database = 'PostgreSQL'
    servers = {'PostgreSQL': ('postgres',), 'RabbitMQ': ('beam.smp',)}
    # A pool smaller than the threads that use it at once opens and closes
    # a connection (a PostgreSQL backend) for each one beyond it: 1.3 new
    # sessions per move with 3. An API worker has 8 threads; a server's
    # ~100 connection slots hold 8 processes' pools.
    pool_size, max_overflow = 8, 4

    def __init__(self, workdir: str, hosts: list[str], api_workers: int = 2,
                 conductor_workers: int = 1, extra: dict | None = None):
        """``extra``: more configuration, ``{section: {option: value}}``."""
        super().__init__(workdir)
        self.hosts = hosts
        self._database = backends.postgres_database()
        self.db_url = self._database.__enter__()
        self.port = free_port()
        self.config_file = os.path.join(workdir, 'migrator.conf')
        with open(self.config_file, 'w') as out:
            out.write(ini(merged({
                'DEFAULT': {'transport_url': backends.RABBIT_URL,
                            'control_exchange': 'migrator_bench_%s'
                            % uuid.uuid4().hex[:8],
                            'state_path': workdir, 'debug': 'false'},
                'database': {'connection': self.db_url,
                             'max_pool_size': self.pool_size,
                             'max_overflow': self.max_overflow},
                'api': {'host': '127.0.0.1', 'port': self.port,
                        'workers': api_workers},
                'conductor': {'workers': conductor_workers},
                'oslo_messaging_rabbit': {'amqp_auto_delete': 'true'},
                # Nobody consumes them here; they would pile up in the broker.
                'oslo_messaging_notifications': {'driver': 'noop'},
            }, extra or {})))
        try:
            subprocess.run(script('migrator-manage') + [
                '--config-file', self.config_file, 'db', 'sync'],
                check=True, capture_output=True, timeout=120)
            self._start('scheduler', script('migrator-scheduler'))
            self._start('conductor', script('migrator-conductor'))
            for host in hosts:
                self._start(host, script('migrator-compute') + ['--host', host],
                            role='compute')
            self._start('api', script('migrator-api'))
            self.http = client.HTTP(self.port)
            wait_until_up(self.http, hosts, alive=self._check_alive)
            from migrator import deployment
            from migrator.db import api as db_api
            db = db_api.Database(self.db_url)
            deployment.create_default_flavors(db)
            db.dispose()
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        super().stop()
        self._database.__exit__(None, None, None)
