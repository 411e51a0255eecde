"""A real Keystone for the integration tests, and migrator behind it.

``Keystone`` runs PyPI's keystone as a small deployment would: a generated
keystone.conf on SQLite, ``keystone-manage`` db_sync, fernet_setup,
credential_setup and bootstrap, then keystone's public WSGI application
under gunicorn on a free loopback port, a process of its own. It then
creates, through the Identity API, what the tests speak of: the projects
``demo``, ``other`` and ``service``, one user per persona (``PERSONAS``)
holding one role, a ``migrator`` service user for keystonemiddleware, and
the catalog.

``Cloud`` adds ``migrator-all`` with ``auth_strategy = keystone`` on a port
of its own, and registers it in the catalog: service type ``compute`` at
``<base>/v2.1`` and service type ``migrator`` at ``<base>/migrator``. The
``openstack`` and ``migrator`` commands then find migrator as an operator's
would, from the catalog (``Cloud.openstack``, ``Cloud.migrator_cli``).
The CLI's environment also names a clouds.yaml with one cloud per persona,
for ``--os-cloud NAME``.
"""

import atexit
import contextlib
import dataclasses
import grp
import importlib.util
import json
import os
import pwd
import secrets
import signal
import subprocess
import sys
import threading
import time

import requests
import yaml
from keystoneauth1 import adapter as ks_adapter
from keystoneauth1 import session as ks_session
from keystoneauth1.identity import v3

from tests import fixtures
from tests.integration import allinone
from tests.integration import cluster as cluster_mod

REGION = 'RegionOne'
DOMAIN = 'Default'
#: Keystone's default roles, each implying the next (as its bootstrap makes them).
ROLE_CHAIN = ('admin', 'manager', 'member', 'reader')

_live: set = set()  # started and not yet stopped (killed at interpreter exit)
_live_lock = threading.Lock()


@dataclasses.dataclass(frozen=True)
class Persona:
    """A user name, the project it works in and the one role it holds there."""
    name: str
    project: str
    role: str


PERSONAS = {persona.name: persona for persona in (
    Persona('admin', 'admin', 'admin'),  # keystone-manage bootstrap's
    Persona('demo-manager', 'demo', 'manager'),
    Persona('demo-member', 'demo', 'member'),
    Persona('demo-reader', 'demo', 'reader'),
    Persona('other-member', 'other', 'member'),
    Persona('other-admin', 'other', 'admin'),
)}
PROJECTS = ('demo', 'other', 'service')


@dataclasses.dataclass(frozen=True)
class Token:
    """A project-scoped token and what Keystone put in it."""
    id: str
    roles: tuple  # the roles the token carries, implied ones included
    user_id: str
    project_id: str


# keystone's public application under gunicorn; argv: BIND CONFIG_DIR.
# keystone hands sys.argv to oslo.config, which would refuse gunicorn's
# options, so the script keeps its own arguments to itself.
_SERVE = '''
import os
import sys

from gunicorn.app.base import BaseApplication

bind, config_dir = sys.argv[1:3]
del sys.argv[1:]
os.environ['OS_KEYSTONE_CONFIG_DIR'] = config_dir


class Keystone(BaseApplication):
    def load_config(self):
        options = {'bind': bind, 'workers': 1, 'worker_class': 'gthread',
                   'threads': 8, 'timeout': 60, 'graceful_timeout': 5,
                   'proc_name': 'keystone', 'control_socket_disable': True}
        for key, value in options.items():
            if key in self.cfg.settings:
                self.cfg.set(key, value)

    def load(self):
        from keystone.server import wsgi
        return wsgi.initialize_public_application()


Keystone().run()
'''

# keystone-manage's commands in one interpreter; argv: CONFIG COMMAND...,
# each COMMAND a JSON list. Each keystone-manage process spends seconds of
# CPU importing keystone, the bulk of the start-up on a small machine.
_MANAGE = '''
import json
import sys

from keystone import conf
from keystone.cmd import cli

config_file = sys.argv[1]
for command in sys.argv[2:]:
    cli.main(argv=['keystone-manage', '--config-file', config_file]
             + json.loads(command))
    conf.CONF.reset()  # the next command parses its command line afresh
'''


def missing_packages() -> str | None:
    """Why Keystone cannot run here, or None."""
    for module, package in (('keystone', 'keystone'), ('gunicorn', 'gunicorn')):
        if importlib.util.find_spec(module) is None:
            return 'the %s package is not installed (pip install -e .[test])' % package
    return None


class Keystone:
    """keystone on SQLite under gunicorn, with personas and a catalog."""

    def __init__(self, workdir):
        self.workdir = str(workdir)
        os.makedirs(self.workdir, exist_ok=True)
        self.password = secrets.token_urlsafe(16)
        self.port = 0
        self.process: cluster_mod.Process | None = None
        self.startup_seconds: float | None = None
        self.timings: dict = {}  # seconds per start-up step
        self.clouds_yaml = os.path.join(self.workdir, 'clouds.yaml')
        self._admin: ks_adapter.Adapter | None = None

    @property
    def url(self) -> str:
        return 'http://127.0.0.1:%d' % self.port

    @property
    def auth_url(self) -> str:
        return self.url + '/v3'

    # -- start-up --------------------------------------------------------------

    def _write_config(self) -> None:
        path = self.workdir
        sections = {
            'DEFAULT': {'debug': 'false'},
            'database': {'connection': 'sqlite:///%s' % os.path.join(path, 'keystone.db')},
            'fernet_tokens': {'key_repository': os.path.join(path, 'fernet-keys')},
            'fernet_receipts': {'key_repository': os.path.join(path, 'fernet-keys')},
            'credential': {'key_repository': os.path.join(path, 'credential-keys')},
            # bcrypt's cheapest cost: each password check is a few milliseconds;
            # its own length limit (else a warning at every check).
            'identity': {'password_hash_rounds': 4, 'max_password_length': 72},
            # One worker process: its in-memory cache is never stale.
            'cache': {'enabled': 'true', 'backend': 'dogpile.cache.memory'},
        }
        with open(os.path.join(path, 'keystone.conf'), 'w') as conf:
            conf.write(cluster_mod._ini(sections))

    def _setup(self, timeout: float) -> None:
        """keystone-manage db_sync, fernet_setup, credential_setup and
        bootstrap (an ``admin`` user, admin of project ``admin``)."""
        user = pwd.getpwuid(os.getuid()).pw_name
        group = grp.getgrgid(os.getgid()).gr_name
        key_owner = ['--keystone-user', user, '--keystone-group', group]
        commands = [['db_sync'], ['fernet_setup'] + key_owner,
                    ['credential_setup'] + key_owner,
                    # The password joined to its option: one that starts
                    # with "-" (token_urlsafe gives one in 64) would be
                    # read as an option of its own.
                    ['bootstrap', '--bootstrap-username', 'admin',
                     '--bootstrap-password=' + self.password,
                     '--bootstrap-project-name', 'admin',
                     '--bootstrap-role-name', 'admin',
                     '--bootstrap-region-id', REGION]]
        argv = [sys.executable, '-c', _MANAGE,
                os.path.join(self.workdir, 'keystone.conf')]
        argv += [json.dumps(command) for command in commands]
        log_path = os.path.join(self.workdir, 'keystone-manage.log')
        try:
            with open(log_path, 'ab') as log:
                subprocess.run(argv, stdout=log, stderr=subprocess.STDOUT,
                               stdin=subprocess.DEVNULL, timeout=timeout, check=True)
        except subprocess.SubprocessError as error:
            raise RuntimeError('keystone-manage failed (%s):\n%s' % (
                error, self.manage_log()))

    def manage_log(self, lines: int = 40) -> str:
        with open(os.path.join(self.workdir, 'keystone-manage.log'), 'rb') as log:
            text = log.read().decode('utf-8', 'replace')
        return '\n'.join(text.splitlines()[-lines:])

    def start(self, timeout: float = 120) -> 'Keystone':
        """Set up and serve Keystone; personas and identity catalog entry
        included. ``startup_seconds`` says how long it took."""
        reason = missing_packages()
        if reason:
            fixtures.unavailable('Keystone', reason)
        started = time.monotonic()
        with _live_lock:
            _live.add(self)

        def step(name):
            self.timings[name] = round(time.monotonic() - started
                                       - sum(self.timings.values()), 2)

        self._write_config()
        # The server loads keystone while keystone-manage prepares the
        # database and keys: it reads neither before the first request.
        self._start_server()
        self._setup(timeout)
        step('keystone-manage')
        self._wait_server(timeout)
        step('serving')
        self._provision()
        step('projects, users, roles, catalog')
        self.startup_seconds = time.monotonic() - started
        return self

    def _start_server(self) -> None:
        self.port = cluster_mod.free_port()
        self.process = cluster_mod.Process(
            'keystone', [sys.executable, '-c', _SERVE,
                         '127.0.0.1:%d' % self.port, self.workdir],
            os.path.join(self.workdir, 'keystone.log'))
        self.process.start()

    def _wait_server(self, timeout: float) -> None:
        """Keystone answers, on another port if its first was taken."""
        for _attempt in range(3):
            deadline = time.monotonic() + timeout
            while self.process.running and time.monotonic() < deadline:
                with contextlib.suppress(requests.RequestException):
                    if requests.get(self.auth_url, timeout=5).status_code == 200:
                        return
                time.sleep(0.2)
            if self.process.running:
                raise RuntimeError('keystone did not answer within %ss\n%s'
                                   % (timeout, self.process.tail()))
            if 'Address already in use' not in self.process.tail():
                raise RuntimeError('keystone exited (%s)\n%s' % (
                    self.process.popen.returncode, self.process.tail()))
            self._start_server()
        raise RuntimeError('keystone found no free port')

    # -- the Identity API, as the cloud administrator ---------------------------

    @property
    def admin(self) -> ks_adapter.Adapter:
        """The Identity API as the cloud administrator (admin of project
        ``admin``; a system-scoped token costs Keystone 6x more per call)."""
        if self._admin is None:
            self._admin = ks_adapter.Adapter(
                ks_session.Session(auth=self._password('admin')),
                endpoint_override=self.auth_url)
        return self._admin

    def _ids(self, collection: str, **params) -> dict:
        body = self.admin.get('/%s' % collection, params=params).json()
        return {item['name']: item['id'] for item in body[collection]}

    def _create(self, collection: str, body: dict) -> str:
        key = collection[:-1]
        return self.admin.post('/%s' % collection, json={key: body}).json()[key]['id']

    def _provision(self) -> None:
        roles = self._ensure_roles()
        projects = self._ids('projects')
        for name in PROJECTS:
            if name not in projects:
                projects[name] = self._create('projects', {
                    'name': name, 'domain_id': 'default',
                    'description': 'integration tests'})
        users = self._ids('users')
        members = [(p.name, p.project, p.role) for p in PERSONAS.values()]
        # keystonemiddleware's own user, allowed to validate tokens.
        members.append(('migrator', 'service', 'service'))
        for user, project, role in members:
            if user not in users:
                users[user] = self._create('users', {
                    'name': user, 'domain_id': 'default', 'password': self.password,
                    'default_project_id': projects[project]})
            self.admin.put('/projects/%s/users/%s/roles/%s' % (
                projects[project], users[user], roles[role]))
        self.add_endpoint('identity', 'keystone', self.auth_url)
        self._write_clouds_yaml()

    def _ensure_roles(self) -> dict:
        """Keystone's default roles and implications; a recent bootstrap
        made them, an older one made some."""
        roles = self._ids('roles')
        for name in ROLE_CHAIN + ('service',):
            if name not in roles:
                roles[name] = self._create('roles', {'name': name})
        inferences = self.admin.get('/role_inferences').json()['role_inferences']
        implied = {(i['prior_role']['id'], r['id'])
                   for i in inferences for r in i['implies']}
        for prior, then in zip(ROLE_CHAIN, ROLE_CHAIN[1:]):
            if (roles[prior], roles[then]) not in implied:
                self.admin.put('/roles/%s/implies/%s' % (roles[prior], roles[then]))
        return roles

    def add_endpoint(self, service_type: str, name: str, url: str) -> None:
        """A service of that type, its public and internal endpoints at
        ``url`` (keystonemiddleware looks for the internal one)."""
        service_id = self._create('services', {'type': service_type, 'name': name,
                                               'enabled': True})
        for interface in ('public', 'internal'):
            self._create('endpoints', {'service_id': service_id,
                                       'interface': interface, 'region_id': REGION,
                                       'url': url, 'enabled': True})

    def catalog(self, persona: str = 'admin') -> dict:
        """``{service type: public URL}`` from a token's catalog."""
        auth = self._password(persona)
        access = auth.get_access(ks_session.Session(auth=auth))
        return {entry['type']: endpoint['url']
                for entry in access.service_catalog.catalog
                for endpoint in entry['endpoints']
                if endpoint['interface'] == 'public'}

    # -- what the tests use ----------------------------------------------------

    def _password(self, persona: str) -> v3.Password:
        who = PERSONAS[persona]
        return v3.Password(auth_url=self.auth_url, username=who.name,
                           password=self.password, project_name=who.project,
                           user_domain_name=DOMAIN, project_domain_name=DOMAIN)

    def token(self, persona: str) -> Token:
        """A fresh project-scoped token of a persona (password auth)."""
        auth = self._password(persona)
        access = auth.get_access(ks_session.Session(auth=auth))
        return Token(access.auth_token, tuple(sorted(access.role_names)),
                     access.user_id, access.project_id)

    def os_env(self, persona: str) -> dict:
        """The OS_* variables an operator exports to act as ``persona``."""
        who = PERSONAS[persona]
        return {'OS_AUTH_URL': self.auth_url, 'OS_USERNAME': who.name,
                'OS_PASSWORD': self.password, 'OS_PROJECT_NAME': who.project,
                'OS_USER_DOMAIN_NAME': DOMAIN, 'OS_PROJECT_DOMAIN_NAME': DOMAIN,
                'OS_IDENTITY_API_VERSION': '3', 'OS_REGION_NAME': REGION}

    def cli_env(self, persona: str | None = None, base: dict | None = None) -> dict:
        """A whole environment for a command: ``base`` (default: this
        process's) less its OS_* and MIGRATOR_* variables, this cloud's
        clouds.yaml (one cloud per persona), and the persona's OS_*."""
        env = allinone.without_os_variables(base)
        env['OS_CLIENT_CONFIG_FILE'] = self.clouds_yaml
        env['OS_CLIENT_SECURE_FILE'] = os.path.join(self.workdir, 'secure.yaml')
        if persona is not None:
            env.update(self.os_env(persona))
        return env

    def _write_clouds_yaml(self) -> None:
        clouds = {name: {'auth': {'auth_url': self.auth_url, 'username': name,
                                  'password': self.password,
                                  'project_name': who.project,
                                  'user_domain_name': DOMAIN,
                                  'project_domain_name': DOMAIN},
                         'region_name': REGION, 'identity_api_version': 3}
                  for name, who in PERSONAS.items()}
        with open(self.clouds_yaml, 'w') as out:
            yaml.safe_dump({'clouds': clouds}, out)
        with open(os.path.join(self.workdir, 'secure.yaml'), 'w') as out:
            yaml.safe_dump({'clouds': {}}, out)

    def authtoken_options(self) -> dict:
        """``[keystone_authtoken]`` of a service validating tokens here."""
        return {'www_authenticate_uri': self.auth_url, 'auth_url': self.auth_url,
                'auth_type': 'password', 'username': 'migrator',
                'password': self.password, 'project_name': 'service',
                'user_domain_name': DOMAIN, 'project_domain_name': DOMAIN,
                'region_name': REGION}

    def tail(self, lines: int = 40) -> str:
        if self.process is None:
            return '(keystone not started)'
        return '----- keystone (%s) -----\n%s' % (self.process.log_path,
                                                  self.process.tail(lines))

    def stop(self, timeout: float = 10) -> None:
        if self.process is not None:
            self.process.signal_group(signal.SIGTERM)
            if not self.process.wait(timeout):
                self.process.kill()
        with _live_lock:
            _live.discard(self)


class Cloud:
    """Keystone, and migrator-all behind it with ``auth_strategy =
    keystone``, registered in the catalog: service type ``compute`` at
    ``<base>/v2.1``, service type ``migrator`` at ``<base>/migrator``."""

    def __init__(self, workdir, hosts=('kc1', 'kc2')):
        self.workdir = str(workdir)
        self.keystone = Keystone(os.path.join(self.workdir, 'keystone'))
        self.migrator = allinone.MigratorAll(os.path.join(self.workdir, 'migrator'),
                                             hosts)

    def start(self, timeout: float = 120) -> 'Cloud':
        self.keystone.start(timeout)
        self.migrator.extra_conf = {
            'api': {'auth_strategy': 'keystone'},
            # A 1 GB disk copies in a second: long enough to abort a move
            # of a bigger flavor from the command line.
            'compute': {'disk_copy_rate_mb': 1024},
            'keystone_authtoken': self.keystone.authtoken_options()}
        # The port is known once migrator-all listens: then the catalog.
        self.migrator.start(timeout)
        self.keystone.add_endpoint('compute', 'migrator-compute',
                                   self.migrator.url('/v2.1'))
        self.keystone.add_endpoint('migrator', 'migrator',
                                   self.migrator.url('/migrator'))
        self.migrator.wait_computes(self.keystone.token('admin').id, timeout)
        return self

    def url(self, path: str = '') -> str:
        return self.migrator.url(path)

    def get(self, path: str, **kwargs):
        """GET ``/v2.1`` + path on migrator (``token=`` a Keystone token)."""
        return self.migrator.get(path, **kwargs)

    def request(self, method: str, path: str, **kwargs):
        return self.migrator.request(method, path, **kwargs)

    def openstack(self, persona: str, *args: str) -> subprocess.CompletedProcess:
        """``openstack ARGS`` with the persona's OS_* variables: password
        auth, every endpoint from the catalog."""
        return allinone.run_command('openstack', args, self.keystone.cli_env(persona))

    def migrator_cli(self, persona: str, *args: str) -> subprocess.CompletedProcess:
        """``migrator ARGS`` with the persona's OS_* variables."""
        return allinone.run_command('migrator', args, self.keystone.cli_env(persona))

    def wait_status(self, server_id: str, persona: str, status: str,
                    timeout: float = 60) -> dict:
        """The server as ``persona`` sees it once it is ``status`` with no
        task under way."""
        token = self.keystone.token(persona).id
        deadline = time.monotonic() + timeout
        while True:
            server = self.get('/servers/%s' % server_id, token=token).json()['server']
            if server['status'] == status and server['OS-EXT-STS:task_state'] is None:
                return server
            assert time.monotonic() < deadline, (server['status'],
                                                 server['OS-EXT-STS:task_state'])
            time.sleep(0.1)

    def wait_gone(self, server_id: str, persona: str, timeout: float = 60) -> None:
        token = self.keystone.token(persona).id
        deadline = time.monotonic() + timeout
        while self.get('/servers/%s' % server_id, token=token).status_code != 404:
            assert time.monotonic() < deadline, 'server %s not deleted' % server_id
            time.sleep(0.1)

    def tails(self, lines: int = 40) -> str:
        return '%s\n%s' % (self.keystone.tail(lines), self.migrator.tail(lines))

    def stop(self) -> None:
        self.migrator.stop()
        self.keystone.stop()


@contextlib.contextmanager
def running_cloud(workdir, **kwargs):
    """A started ``Cloud``; stopped on the way out, even on failure."""
    cloud = Cloud(workdir, **kwargs)
    try:
        cloud.start()
        yield cloud
    finally:
        cloud.stop()


def live_tails() -> str:
    """The tails of the logs of every Keystone not yet stopped."""
    with _live_lock:
        return '\n'.join(keystone.tail() for keystone in _live)


@atexit.register
def _kill_leftovers() -> None:
    with _live_lock:
        running = list(_live)
    for keystone in running:
        if keystone.process is not None:
            keystone.process.signal_group(signal.SIGKILL)
