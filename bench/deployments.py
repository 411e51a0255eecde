"""The two deployments a migrate is measured on.

``Embedded``: the default, ``migrator-all`` in a process of its own (API +
conductor + scheduler + computes, ``inproc://`` and SQLite).
``Distributed``: migrator-api under gunicorn, migrator-conductor,
migrator-scheduler and one migrator-compute per host, each a process of
its own, over RabbitMQ and PostgreSQL.
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

    def __init__(self, workdir: str, env: dict | None = None):
        """``env``: the processes' environment (this process's when None)."""
        self.workdir = workdir
        self.env = env
        self.processes: list[subprocess.Popen] = []

    def _start(self, name: str, argv: list[str]) -> None:
        log = open(os.path.join(self.workdir, '%s.log' % name), 'ab')
        with log:
            process = subprocess.Popen(
                argv + ['--config-file', self.config_file], stdout=log,
                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                start_new_session=True, env=self.env)
        process.bench_name = name
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

    def __init__(self, workdir: str, hosts: list[str], api_workers: int = 2):
        super().__init__(workdir)
        self.hosts = hosts
        self._database = backends.postgres_database()
        self.db_url = self._database.__enter__()
        self.port = free_port()
        self.config_file = os.path.join(workdir, 'migrator.conf')
        with open(self.config_file, 'w') as out:
            out.write(ini({
                'DEFAULT': {'transport_url': backends.RABBIT_URL,
                            'control_exchange': 'migrator_bench_%s'
                            % uuid.uuid4().hex[:8],
                            'state_path': workdir, 'debug': 'false'},
                # A shared server has ~100 connection slots; a dozen
                # processes with the default pools would take them all.
                'database': {'connection': self.db_url, 'max_pool_size': 3,
                             'max_overflow': 5},
                'api': {'host': '127.0.0.1', 'port': self.port,
                        'workers': api_workers},
                'oslo_messaging_rabbit': {'amqp_auto_delete': 'true'},
                # Nobody consumes them here; they would pile up in the broker.
                'oslo_messaging_notifications': {'driver': 'noop'},
            }))
        try:
            subprocess.run(script('migrator-manage') + [
                '--config-file', self.config_file, 'db', 'sync'],
                check=True, capture_output=True, timeout=120)
            self._start('scheduler', script('migrator-scheduler'))
            self._start('conductor', script('migrator-conductor'))
            for host in hosts:
                self._start(host, script('migrator-compute') + ['--host', host])
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
