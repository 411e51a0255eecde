"""Shared test fixtures: a whole service in one process, driven over WebTest."""

import contextlib
import time
import uuid

import webtest
from oslo_config import fixture as config_fixture

from migrator import conf as migrator_conf
from migrator import deployment
from migrator import rpc
from migrator.cmd import all as all_cmd

ADMIN = {'X-Auth-Token': 'admin:admin'}


def headers(token='admin:admin', version=None, **extra) -> dict:
    result = {'X-Auth-Token': token}
    if version:
        result['OpenStack-API-Version'] = 'compute %s' % version
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
