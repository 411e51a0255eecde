"""Shared test fixtures: a whole service in one process, driven over WebTest."""

import contextlib
import os
import uuid

import pytest
import webtest
from oslo_config import fixture as config_fixture

from migrator import conf as migrator_conf
from migrator import deployment, rpc
from migrator.cmd import all as all_cmd
from tests import journey

ADMIN = {'X-Auth-Token': 'admin:admin'}


def headers(token='admin:admin', version=None, **extra) -> dict:
    result = {'X-Auth-Token': token}
    if version:
        # "2.56" is a compute version; "migrator 1.1" names its API.
        result['OpenStack-API-Version'] = (version if ' ' in version
                                           else 'compute %s' % version)
    result.update(extra)
    return result


class Service(journey.Journey):
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

    # -- the transport of tests.journey.Journey's steps ------------------------

    def _get(self, path, token, version=None, params=None):
        resp = self.app.get(path, params=params or {}, headers=headers(token, version),
                            expect_errors=True)
        return resp.status_int, _parsed(resp), resp.text

    def _post(self, path, body, token, version=None):
        resp = self.app.post_json(path, body, headers=headers(token, version),
                                  expect_errors=True)
        return resp.status_int, _parsed(resp), resp.text

    def action(self, server_id, body, version='2.56', status=None, token='admin:admin'):
        return self.app.post_json('/v2.1/servers/%s/action' % server_id, body,
                                  headers=headers(token, version), status=status)


def _parsed(resp):
    return resp.json if resp.content_type == 'application/json' else None


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
