"""A distributed deployment as real processes, for the integration tests.

``Cluster`` writes one configuration file, creates the schema with
``migrator-manage db sync``, then starts migrator-scheduler, conductors,
``migrator-compute --host NAME`` per simulated hypervisor and migrator-api
(gunicorn), each a process of its own in its own process group, with its
output in a log file. RPC goes over RabbitMQ; each cluster has its own
``control_exchange``, which also names its queues, so clusters of
concurrent test runs never take each other's messages.
"""

import atexit
import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid

import requests
import sqlalchemy as sa

from migrator.api.views import services as service_names
from tests.journey import Journey

BIN = os.path.dirname(sys.executable)
ADMIN_TOKEN = 'admin:admin'
MICROVERSION = '2.56'

_live: set = set()  # clusters not yet stopped (killed at interpreter exit)
_live_lock = threading.Lock()


def _script(name: str) -> list[str]:
    path = os.path.join(BIN, name)
    if os.path.exists(path):
        return [path]
    module = 'migrator.cmd.%s' % name.split('-', 1)[1]
    return [sys.executable, '-m', module]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def _ini(sections: dict) -> str:
    lines = []
    for section, options in sections.items():
        lines.append('[%s]' % section)
        lines.extend('%s = %s' % (key, value) for key, value in options.items())
        lines.append('')
    return '\n'.join(lines)


class Process:
    """One service process, in its own process group, logging to a file."""

    def __init__(self, name: str, argv: list[str], log_path: str):
        self.name = name
        self.argv = argv
        self.log_path = log_path
        self.popen: subprocess.Popen | None = None

    def start(self) -> None:
        # PGAPPNAME names the process's PostgreSQL sessions in
        # pg_stat_activity, so a test can tell whose backend is whose.
        env = dict(os.environ, PGAPPNAME=self.name)
        with open(self.log_path, 'ab') as log:
            self.popen = subprocess.Popen(
                self.argv, stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True, env=env)

    @property
    def running(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def signal_group(self, signum: int) -> None:
        if self.popen is None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.popen.pid, signum)

    def wait(self, timeout: float) -> bool:
        if self.popen is None:
            return True
        try:
            self.popen.wait(timeout)
            return True
        except subprocess.TimeoutExpired:
            return False

    def kill(self) -> None:
        """SIGKILL the whole group (gunicorn workers included)."""
        self.signal_group(signal.SIGKILL)
        self.wait(10)

    def log_text(self) -> str:
        with open(self.log_path, 'rb') as log:
            return log.read().decode('utf-8', 'replace')

    def tail(self, lines: int = 40) -> str:
        try:
            text = self.log_text()
        except OSError as error:
            return '(no log: %s)' % error
        return '\n'.join(text.splitlines()[-lines:])


class Cluster(Journey):
    """migrator-api + conductors + scheduler + computes, on real services."""

    settle_timeout = 60
    poll_interval = 0.1
    admin_token = ADMIN_TOKEN

    def __init__(self, workdir, db_url: str, transport_url: str,
                 hosts=('c1', 'c2', 'c3'), conductors: int = 2,
                 api_workers: int = 2, conf: dict | None = None,
                 host_conf: dict | None = None):
        self.workdir = str(workdir)
        os.makedirs(self.workdir, exist_ok=True)
        self.db_url = db_url
        self.transport_url = transport_url
        self.hosts = list(hosts)
        self.conductor_hosts = ['conductor%d' % (i + 1) for i in range(conductors)]
        self.api_workers = api_workers
        self.exchange = 'migrator_test_%s' % uuid.uuid4().hex[:10]
        self.extra_conf = conf or {}
        self.host_conf = host_conf or {}
        self.processes: dict[str, Process] = {}
        self.port = 0
        self.config_file = os.path.join(self.workdir, 'migrator.conf')
        self._engine: sa.Engine | None = None
        self._local = threading.local()
        self._sessions: list[requests.Session] = []

    # -- configuration ---------------------------------------------------------

    def _sections(self, port: int) -> dict:
        sections = {
            'DEFAULT': {'transport_url': self.transport_url,
                        'control_exchange': self.exchange,
                        'state_path': self.workdir, 'host': 'controller',
                        'report_interval': 1, 'service_down_time': 10,
                        'debug': 'false'},
            # PostgreSQL's 100 connections are shared with other test runs:
            # at most 3 per process here.
            'database': {'connection': self.db_url, 'max_pool_size': 1,
                         'max_overflow': 2},
            'api': {'host': '127.0.0.1', 'port': port,
                    'workers': self.api_workers},
            # Queues go away with their consumers: nothing piles up on a
            # broker shared with other test runs.
            'oslo_messaging_rabbit': {'amqp_auto_delete': 'true'},
            'oslo_messaging_notifications': {'driver': 'noop'},
        }
        for section, options in self.extra_conf.items():
            sections.setdefault(section, {}).update(options)
        return sections

    def write_config(self, port: int) -> None:
        with open(self.config_file, 'w') as conf:
            conf.write(_ini(self._sections(port)))
        for host, sections in self.host_conf.items():
            with open(self._host_file(host), 'w') as conf:
                conf.write(_ini(sections))

    def _host_file(self, host: str) -> str:
        return os.path.join(self.workdir, 'compute-%s.conf' % host)

    def _argv(self, script: str, host: str | None = None) -> list[str]:
        # As an operator would type it: migrator-compute --host c1 --config-file
        # FILE, where FILE also sets a [DEFAULT] host that --host must beat.
        argv = _script(script)
        if host is not None:
            argv += ['--host', host]
        argv += ['--config-file', self.config_file]
        if host in self.host_conf:
            argv += ['--config-file', self._host_file(host)]
        return argv

    def _log(self, name: str) -> str:
        return os.path.join(self.workdir, '%s.log' % name)

    # -- life cycle ------------------------------------------------------------

    def db_sync(self) -> str:
        result = subprocess.run(
            _script('migrator-manage') + ['--config-file', self.config_file,
                                          'db', 'sync'],
            capture_output=True, text=True, timeout=120)
        if result.returncode:
            raise RuntimeError('migrator-manage db sync failed (%d): %s%s' % (
                result.returncode, result.stdout, result.stderr))
        return result.stdout

    def start(self, timeout: float = 90) -> 'Cluster':
        with _live_lock:
            _live.add(self)
        self.port = free_port()
        self.write_config(self.port)
        self.db_sync()
        self.add('scheduler', self._argv('migrator-scheduler', 'scheduler'))
        for host in self.conductor_hosts:
            self.add(host, self._argv('migrator-conductor', host))
        for host in self.hosts:
            self.add(host, self._argv('migrator-compute', host))
        self._start_api(timeout)
        self.wait_services_up(timeout)
        return self

    def add(self, name: str, argv: list[str]) -> Process:
        process = Process(name, argv, self._log(name))
        self.processes[name] = process
        process.start()
        return process

    def _start_api(self, timeout: float) -> None:
        for _attempt in range(3):
            api = self.add('api', self._argv('migrator-api'))
            deadline = time.monotonic() + timeout
            while api.running and time.monotonic() < deadline:
                with contextlib.suppress(requests.RequestException):
                    if requests.get(self.url('/'), timeout=5).status_code == 200:
                        return
                time.sleep(0.2)
            if api.running:
                raise RuntimeError('migrator-api did not answer within %ss\n%s'
                                   % (timeout, api.tail()))
            if 'Address already in use' not in api.tail():
                raise RuntimeError('migrator-api exited (%s)\n%s' % (
                    api.popen.returncode, api.tail()))
            # Another process took the port between choosing and binding it.
            self.port = free_port()
            self.write_config(self.port)
        raise RuntimeError('migrator-api found no free port')

    def expected_services(self) -> set:
        return ({('migrator-scheduler', 'scheduler')}
                | {('migrator-conductor', h) for h in self.conductor_hosts}
                | {('migrator-compute', h) for h in self.hosts})

    def wait_services_up(self, timeout: float = 90) -> None:
        """Every service heartbeats and every compute reported its node."""
        deadline = time.monotonic() + timeout
        expected = self.expected_services()
        while True:
            dead = [p.name for p in self.processes.values() if not p.running]
            if dead:
                raise RuntimeError('exited during start-up: %s\n%s' % (
                    ', '.join(dead), self.tails(dead)))
            services = self.get('/os-services')
            nodes = self.get('/os-hypervisors')
            for resp in (services, nodes):
                if resp.status_code != 200:
                    raise RuntimeError('GET %s answered %d: %s' % (
                        resp.request.path_url, resp.status_code, resp.text))
            up = {(service_names.own_binary(s['binary']), s['host'])
                  for s in services.json()['services']
                  if s['state'] == 'up'}
            names = {n['hypervisor_hostname']
                     for n in nodes.json()['hypervisors']}
            if expected <= up and set(self.hosts) <= names:
                return
            if time.monotonic() > deadline:
                raise RuntimeError('services not up within %ss: missing %s\n%s'
                                   % (timeout, sorted(expected - up),
                                      self.tails()))
            time.sleep(0.3)

    def kill(self, name: str) -> None:
        """SIGKILL one service: no goodbye, its heartbeats just stop."""
        self.processes[name].kill()

    def restart(self, name: str) -> Process:
        """Start a killed (or running) service again, logging to the same file."""
        old = self.processes[name]
        old.kill()
        return self.add(name, old.argv)

    def freeze(self, name: str) -> None:
        """SIGSTOP one service: it holds what it was given and does nothing."""
        self.processes[name].signal_group(signal.SIGSTOP)

    def thaw(self, name: str) -> None:
        self.processes[name].signal_group(signal.SIGCONT)

    def manage(self, *args: str) -> subprocess.CompletedProcess:
        """Run ``migrator-manage --config-file <this cluster's file> ARGS``."""
        return subprocess.run(
            _script('migrator-manage') + ['--config-file', self.config_file]
            + list(args), capture_output=True, text=True, timeout=120)

    def stop(self, timeout: float = 15) -> None:
        """SIGTERM every group, then SIGKILL what is left: always returns."""
        for process in self.processes.values():
            process.signal_group(signal.SIGCONT)  # a frozen one cannot stop
            process.signal_group(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for process in self.processes.values():
            process.wait(max(0.1, deadline - time.monotonic()))
            process.signal_group(signal.SIGKILL)
            process.wait(10)
        for session in self._sessions:
            session.close()
        if not self._queues_auto_delete():
            self._delete_queues()
        if self._engine is not None:
            self._engine.dispose()
        with _live_lock:
            _live.discard(self)

    def _queues_auto_delete(self) -> bool:
        value = self._sections(self.port)['oslo_messaging_rabbit'].get(
            'amqp_auto_delete', 'true')
        return str(value).lower() == 'true'

    def _delete_queues(self) -> None:
        """Queues that outlive their consumers (amqp_auto_delete false, as
        in production) are deleted here, with the cluster's exchange."""
        import kombu
        servers = {'conductor': self.conductor_hosts, 'scheduler': ['scheduler'],
                   'compute': self.hosts}
        url = self.transport_url.replace('rabbit://', 'amqp://', 1)
        with contextlib.suppress(Exception), kombu.Connection(
                url, connect_timeout=5) as conn:
            channel = conn.channel()
            for topic, names in servers.items():
                for name in [None] + list(names):
                    queue = '%s.%s' % (self.exchange, topic)
                    channel.queue_delete(queue + ('.%s' % name if name else ''))
            channel.exchange_delete(self.exchange)

    def tails(self, names=None, lines: int = 40) -> str:
        names = names or list(self.processes)
        return '\n'.join('----- %s (%s) -----\n%s' % (
            name, self.processes[name].log_path,
            self.processes[name].tail(lines)) for name in names)

    # -- HTTP ------------------------------------------------------------------

    def url(self, path: str) -> str:
        return 'http://127.0.0.1:%d%s' % (self.port, path)

    def _session(self) -> requests.Session:
        session = getattr(self._local, 'session', None)
        if session is None:
            session = self._local.session = requests.Session()
            with _live_lock:
                self._sessions.append(session)
        return session

    def request(self, method: str, path: str, body=None, token=ADMIN_TOKEN,
                version=MICROVERSION, timeout: float = 90) -> requests.Response:
        headers = {'X-Auth-Token': token}
        if version:
            headers['OpenStack-API-Version'] = 'compute %s' % version
        return self._session().request(method, self.url('/v2.1' + path),
                                       json=body, headers=headers,
                                       timeout=timeout)

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.request('GET', path, **kwargs)

    # The transport of tests.journey.Journey's steps (paths from the root).
    def _get(self, path, token, version=None, params=None):
        headers = {'X-Auth-Token': token,
                   'OpenStack-API-Version': 'compute %s' % (version or MICROVERSION)}
        resp = self._session().get(self.url(path), params=params, headers=headers,
                                   timeout=90)
        return resp.status_code, _parsed(resp), resp.text

    def _post(self, path, body, token, version=None):
        headers = {'X-Auth-Token': token,
                   'OpenStack-API-Version': 'compute %s' % (version or MICROVERSION)}
        resp = self._session().post(self.url(path), json=body, headers=headers,
                                    timeout=90)
        return resp.status_code, _parsed(resp), resp.text

    def get_migrator(self, path: str, token=ADMIN_TOKEN,
                     timeout: float = 90) -> requests.Response:
        """GET on migrator's own API (/migrator), at its first version."""
        return self._session().get(self.url('/migrator' + path), timeout=timeout,
                                   headers={'X-Auth-Token': token})

    def post(self, path: str, body, **kwargs) -> requests.Response:
        return self.request('POST', path, body, **kwargs)

    def put(self, path: str, body, **kwargs) -> requests.Response:
        return self.request('PUT', path, body, **kwargs)

    # -- database --------------------------------------------------------------

    @property
    def engine(self) -> sa.Engine:
        if self._engine is None:
            self._engine = sa.create_engine(self.db_url, poolclass=sa.pool.NullPool)
        return self._engine


def _parsed(resp: requests.Response):
    try:
        return resp.json()
    except ValueError:
        return None


@atexit.register
def _kill_leftovers() -> None:
    with _live_lock:
        clusters = list(_live)
    for cluster in clusters:
        for process in cluster.processes.values():
            process.signal_group(signal.SIGKILL)
