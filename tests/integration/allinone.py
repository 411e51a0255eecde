"""migrator-all as a process of its own, and commands run against it.

``MigratorAll`` starts the embedded default (API, conductor, scheduler and
simulated computes in one process, on SQLite and the in-process transport)
from a configuration file, on a free loopback port, as an operator would
type it. ``run_command`` runs a console script of this environment
(``openstack``, ``migrator``) with a given environment; ``openstack_noauth``
gives ``openstack`` what it needs to reach a noauth2 API, which has no
Keystone.
"""

import atexit
import contextlib
import json
import os
import shutil
import signal
import subprocess
import threading
import time

import requests

from tests import fixtures
from tests.integration import cluster as cluster_mod

MICROVERSION = '2.56'

_live: set = set()  # started and not yet stopped (killed at interpreter exit)
_live_lock = threading.Lock()


class MigratorAll:
    """``migrator-all --config-file FILE`` with [api] on a free port."""

    def __init__(self, workdir, hosts=('a1', 'a2'), conf: dict | None = None):
        self.workdir = str(workdir)
        os.makedirs(self.workdir, exist_ok=True)
        self.hosts = list(hosts)
        self.extra_conf = conf or {}
        self.port = 0
        self.config_file = os.path.join(self.workdir, 'migrator.conf')
        self.process: cluster_mod.Process | None = None

    def url(self, path: str = '') -> str:
        return 'http://127.0.0.1:%d%s' % (self.port, path)

    def _write_config(self) -> None:
        sections = {
            'DEFAULT': {'state_path': self.workdir, 'host': 'controller',
                        'debug': 'false'},
            'api': {'host': '127.0.0.1', 'port': self.port},
            'all_in_one': {'compute_hosts': ','.join(self.hosts)},
            'oslo_messaging_notifications': {'driver': 'noop'},
        }
        for section, options in self.extra_conf.items():
            sections.setdefault(section, {}).update(options)
        with open(self.config_file, 'w') as conf:
            conf.write(cluster_mod._ini(sections))

    def start(self, timeout: float = 120) -> 'MigratorAll':
        """Started and answering its version document (computes may still
        be reporting: see ``wait_computes``)."""
        with _live_lock:
            _live.add(self)
        for _attempt in range(3):
            self.port = cluster_mod.free_port()
            self._write_config()
            self.process = cluster_mod.Process(
                'migrator-all',
                cluster_mod._script('migrator-all') + ['--config-file', self.config_file],
                os.path.join(self.workdir, 'migrator-all.log'))
            self.process.start()
            if self._answers(timeout):
                return self
            if self.process.running:
                raise RuntimeError('migrator-all did not answer within %ss\n%s'
                                   % (timeout, self.tail()))
            if 'Address already in use' not in self.tail():
                raise RuntimeError('migrator-all exited (%s)\n%s' % (
                    self.process.popen.returncode, self.tail()))
            # Another process took the port between choosing and binding it.
        raise RuntimeError('migrator-all found no free port')

    def _answers(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while self.process.running and time.monotonic() < deadline:
            with contextlib.suppress(requests.RequestException):
                if requests.get(self.url('/'), timeout=5).status_code == 200:
                    return True
            time.sleep(0.2)
        return False

    def wait_computes(self, token: str, timeout: float = 60) -> None:
        """Every simulated compute reported its node, as an admin sees it."""
        deadline = time.monotonic() + timeout
        while True:
            resp = self.get('/os-hypervisors', token=token)
            if resp.status_code != 200:
                raise RuntimeError('GET /os-hypervisors as an admin answered %d: '
                                   '%s\n%s' % (resp.status_code, resp.text, self.tail()))
            names = {h['hypervisor_hostname'] for h in resp.json()['hypervisors']}
            if set(self.hosts) <= names:
                return
            if time.monotonic() > deadline:
                raise RuntimeError('computes %s not up within %ss\n%s' % (
                    sorted(set(self.hosts) - names), timeout, self.tail()))
            time.sleep(0.2)

    def request(self, method: str, path: str, token: str | None = None, body=None,
                version: str | None = MICROVERSION) -> requests.Response:
        """``/v2.1`` + path with that token (None: no X-Auth-Token at all)."""
        headers = {}
        if token is not None:
            headers['X-Auth-Token'] = token
        if version:
            headers['OpenStack-API-Version'] = 'compute %s' % version
        return requests.request(method, self.url('/v2.1' + path), json=body,
                                headers=headers, timeout=60)

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.request('GET', path, **kwargs)

    def tail(self, lines: int = 40) -> str:
        if self.process is None:
            return '(not started)'
        return '----- migrator-all (%s) -----\n%s' % (self.process.log_path,
                                                      self.process.tail(lines))

    def stop(self, timeout: float = 15) -> None:
        if self.process is not None:
            self.process.signal_group(signal.SIGTERM)
            if not self.process.wait(timeout):
                self.process.kill()
        with _live_lock:
            _live.discard(self)


@contextlib.contextmanager
def running(workdir, **kwargs):
    """A started ``MigratorAll`` whose computes are up (noauth2 unless
    ``conf`` says otherwise); stopped on the way out, even on failure."""
    service = MigratorAll(workdir, **kwargs)
    try:
        service.start()
        service.wait_computes(cluster_mod.ADMIN_TOKEN)
        yield service
    finally:
        service.stop()


def live_tails() -> str:
    with _live_lock:
        return '\n'.join(service.tail() for service in _live)


# -- console scripts -------------------------------------------------------------

def without_os_variables(base: dict | None = None) -> dict:
    """The environment (default: this process's) less any OS_* or
    MIGRATOR_* of the person running the tests: only what a test sets
    reaches its commands."""
    base = os.environ if base is None else base
    return {key: value for key, value in base.items()
            if not key.startswith(('OS_', 'MIGRATOR_'))}


def command(name: str) -> list[str]:
    """The console script beside this interpreter; unavailable when the
    package that brings it is not installed."""
    path = os.path.join(cluster_mod.BIN, name)
    if os.path.exists(path):
        return [path]
    found = shutil.which(name)
    if found is None:
        package = {'openstack': 'python-openstackclient'}.get(name, name)
        fixtures.unavailable('The %s command' % name,
                             '%s is not installed (pip install -e .[test])' % package)
    return [found]


def run_command(name: str, args, env: dict, timeout: float = 120
                ) -> subprocess.CompletedProcess:
    """``name ARGS`` with exactly ``env``; output captured as text."""
    return subprocess.run(command(name) + list(args), env=env, text=True,
                          capture_output=True, timeout=timeout,
                          stdin=subprocess.DEVNULL)


def ok(result: subprocess.CompletedProcess) -> str:
    """The standard output of a command that must have succeeded."""
    assert result.returncode == 0, (result.args, result.stdout, result.stderr)
    return result.stdout


def json_of(result: subprocess.CompletedProcess):
    """The parsed output of a command run with ``-f json``."""
    return json.loads(ok(result))


def openstack_noauth(endpoint: str, token: str = cluster_mod.ADMIN_TOKEN) -> tuple:
    """(global options, environment) for ``openstack`` against a noauth2
    compute API at ``endpoint`` (``http://HOST:PORT/v2.1``).

    keystoneauth's ``admin_token`` plugin sends ``token`` (noauth2's
    ``user:project``) as X-Auth-Token to ``--os-endpoint``. That endpoint
    stands for every service, so openstacksdk would ask the compute API
    which identity version it is, find 2 (from v2.1), and ``server list``
    would stop with "Service requires API version '3' but the configured
    version is '2'". Naming identity version 3 and an identity endpoint of
    its own skips that discovery; no identity call is made unless a command
    is given a project or a user to look up.
    """
    argv = ['--os-auth-type', 'admin_token', '--os-endpoint', endpoint,
            '--os-token', token]
    env = without_os_variables()
    env.update({'OS_IDENTITY_API_VERSION': '3',
                'OS_IDENTITY_ENDPOINT_OVERRIDE': endpoint,
                # No clouds.yaml of the person running the tests.
                'OS_CLIENT_CONFIG_FILE': os.devnull})
    return argv, env


@atexit.register
def _kill_leftovers() -> None:
    with _live_lock:
        services = list(_live)
    for service in services:
        if service.process is not None:
            service.process.signal_group(signal.SIGKILL)
