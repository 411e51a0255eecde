"""Shared test fixtures: a whole service in one process, driven over WebTest."""

import contextlib
import os
import time
import uuid

import pytest
import webtest
from oslo_config import fixture as config_fixture

from migrator import conf as migrator_conf
from migrator import deployment, rpc
from migrator.cmd import all as all_cmd

ADMIN = {'X-Auth-Token': 'admin:admin'}


def headers(token='admin:admin', version=None, **extra) -> dict:
    result = {'X-Auth-Token': token}
    if version:
        # "2.56" is a compute version; "migrator 1.1" names its API.
        result['OpenStack-API-Version'] = (version if ' ' in version
                                           else 'compute %s' % version)
    result.update(extra)
    return result


class Service:
    """An embedded deployment on a private SQLite file and inproc vhost."""

    def __init__(self, tmp_path, hosts=('compute1', 'compute2', 'compute3'),
                 connection=None, **overrides):
        self.fixture = config_fixture.Config(migrator_conf.CONF)
        self.fixture.setUp()
        self.conf = self.fixture.conf
        rpc.set_defaults(self.conf)
        self.conf([], project='migrator', default_config_files=[])
        self.conf.set_override('state_path', str(tmp_path))
        self.conf.set_override('host', 'controller')
        self.conf.set_override('transport_url', 'inproc://%s/' % uuid.uuid4().hex)
        self.conf.set_override('compute_hosts', list(hosts), group='all_in_one')
        if connection:
            self.conf.set_override('connection', connection, group='database')
        for key, value in overrides.items():
            group, _, name = key.rpartition('__')
            self.conf.set_override(name, value, group=group or None)
        self.dep = all_cmd.build(self.conf)
        deployment.create_default_flavors(self.dep.db)
        self.dep.start()
        self.app = webtest.TestApp(self.dep.wsgi_app())

    @property
    def db(self):
        return self.dep.db

    def compute(self, host):
        for service in self.dep.services:
            if service.binary == 'migrator-compute' and service.host == host:
                return service
        raise KeyError(host)

    def stop(self):
        with contextlib.suppress(Exception):
            self.dep.stop()
        self.fixture.cleanUp()

    # -- user-level helpers --------------------------------------------------

    def boot(self, name='vm', flavor='1', token='admin:admin', wait='ACTIVE',
             hints=None, **server):
        body = {'server': dict(name=name, flavorRef=flavor, **server)}
        if hints:
            body['os:scheduler_hints'] = hints
        resp = self.app.post_json('/v2.1/servers', body, headers=headers(token))
        server_id = resp.json['server']['id']
        if wait:
            self.wait_status(server_id, wait, token=token)
        return server_id

    def show(self, server_id, token='admin:admin', version='2.56'):
        return self.app.get('/v2.1/servers/%s' % server_id,
                            headers=headers(token, version)).json['server']

    def wait_status(self, server_id, status, token='admin:admin', timeout=10):
        deadline = time.monotonic() + timeout
        while True:
            server = self.show(server_id, token)
            if server['status'] == status and server['OS-EXT-STS:task_state'] is None:
                return server
            if time.monotonic() > deadline:
                raise AssertionError('server %s is %s/%s, not %s' % (
                    server_id, server['status'], server['OS-EXT-STS:task_state'],
                    status))
            time.sleep(0.01)

    def action(self, server_id, body, version='2.56', status=None, token='admin:admin'):
        return self.app.post_json('/v2.1/servers/%s/action' % server_id, body,
                                  headers=headers(token, version), status=status)

    def migrations(self, **params):
        return self.app.get('/v2.1/os-migrations', params=params,
                            headers=headers(version='2.56')).json['migrations']

    def records(self, token='admin:admin', **params):
        """The records of moves, from migrator's own API, newest first."""
        return self.app.get('/migrator/migrations', params=params,
                            headers={'X-Auth-Token': token}).json['migrations']

    def record(self, server_id, token='admin:admin'):
        """The record of the newest move of a server."""
        return self.records(token=token, server_id=server_id)[0]

    def wait_migration(self, server_id, statuses, timeout=10):
        deadline = time.monotonic() + timeout
        while True:
            found = self.migrations(instance_uuid=server_id)
            if found and found[0]['status'] in statuses:
                return found[0]
            if time.monotonic() > deadline:
                raise AssertionError('migration of %s is %s' % (
                    server_id, found and found[0]['status']))
            time.sleep(0.01)


# -- real backing services (integration tests, and the PostgreSQL variants) --

REQUIRE_SERVICES = os.environ.get('MIGRATOR_REQUIRE_SERVICES') == '1'
PG_HOST = os.environ.get('MIGRATOR_TEST_PG_HOST', '127.0.0.1')
MYSQL_HOST = os.environ.get('MIGRATOR_TEST_MYSQL_HOST', '127.0.0.1')
RABBIT_URL = os.environ.get('MIGRATOR_TEST_RABBIT_URL',
                            'rabbit://guest:guest@127.0.0.1:5672/')


def unavailable(what: str, error) -> None:
    """Skip, or fail when CI said the services must be there."""
    message = '%s is unreachable: %s' % (what, error)
    if REQUIRE_SERVICES:
        pytest.fail(message + ' (MIGRATOR_REQUIRE_SERVICES=1)')
    pytest.skip(message)


@contextlib.contextmanager
def postgres_database():
    """A fresh PostgreSQL database for one test; dropped afterwards."""
    try:
        import psycopg
        admin = psycopg.connect(host=PG_HOST, user='postgres', dbname='postgres',
                                autocommit=True, connect_timeout=5)
    except Exception as error:  # noqa: BLE001 - any failure means unreachable
        unavailable('PostgreSQL on %s:5432' % PG_HOST, error)
    name = 'migrator_test_%s' % uuid.uuid4().hex[:12]
    admin.execute('CREATE DATABASE %s' % name)
    try:
        yield 'postgresql+psycopg://postgres@%s:5432/%s' % (PG_HOST, name)
    finally:
        admin.execute('DROP DATABASE IF EXISTS %s WITH (FORCE)' % name)
        admin.close()


@contextlib.contextmanager
def mysql_database():
    """A fresh MariaDB/MySQL database for one test; dropped afterwards."""
    try:
        import pymysql
        admin = pymysql.connect(host=MYSQL_HOST, user='root', autocommit=True,
                                connect_timeout=5)
    except Exception as error:  # noqa: BLE001
        unavailable('MariaDB on %s:3306' % MYSQL_HOST, error)
    name = 'migrator_test_%s' % uuid.uuid4().hex[:12]
    with admin.cursor() as cursor:
        cursor.execute('CREATE DATABASE %s' % name)
    try:
        yield 'mysql+pymysql://root@%s:3306/%s' % (MYSQL_HOST, name)
    finally:
        with admin.cursor() as cursor:
            cursor.execute('DROP DATABASE IF EXISTS %s' % name)
        admin.close()


def rabbit_url() -> str:
    """The RabbitMQ URL, after checking something listens there."""
    import socket
    try:
        socket.create_connection(('127.0.0.1', 5672), 3).close()
    except OSError as error:
        unavailable('RabbitMQ on 127.0.0.1:5672', error)
    return RABBIT_URL
