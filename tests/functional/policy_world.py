"""The callers, the API calls and the resources of the policy tests."""

import dataclasses
import datetime
import itertools

import webtest
from oslo_utils import uuidutils

from migrator.api import app as api_app
from migrator.api import openapi
from migrator.db import models
from tests import fixtures
from tests.functional import hostile

# Keystone's personas, as noauth2 tokens (user:project[:role]; the roles a
# role implies are added, as Keystone adds them). Resources belong to
# project "proj"; "other" is another project.
ADMIN, MANAGER, MEMBER, READER = 'admin', 'manager', 'member', 'reader'
OTHER, OTHER_ADMIN, ANON = 'other', 'other-admin', 'anonymous'
PERSONAS = (ADMIN, MANAGER, MEMBER, READER, OTHER, OTHER_ADMIN, ANON)
ADMINS = (ADMIN, OTHER_ADMIN)
OWNER = 'alice:proj'
TOKENS = {ADMIN: 'root:proj:admin', MANAGER: 'mia:proj:manager', MEMBER: OWNER,
          READER: 'rita:proj:reader', OTHER: 'bob:other',
          OTHER_ADMIN: 'admin:admin'}


def _expect(status, allowed, refused=403, stranger=403) -> dict:
    """``status`` for the personas in ``allowed``, ``refused`` for the other
    personas of the owning project, ``stranger`` for the member of another
    project (404 where the resource is hidden from it), 401 anonymous."""
    expect = {p: status if p in allowed else refused for p in PERSONAS}
    expect[OTHER] = status if OTHER in allowed else stranger
    expect[ANON] = 401
    return expect


def every(status):
    """Anyone with a token (in their own project)."""
    return _expect(status, PERSONAS)


def admin_only(status):
    return _expect(status, ADMINS)


def writers(status):
    """Members of their own project, not readers."""
    return _expect(status, set(PERSONAS) - {READER})


def readers_of_owner(status):
    """Readers of the owning project; hidden from another project."""
    return _expect(status, ADMINS + (MANAGER, MEMBER, READER), stranger=404)


def members_of_owner(status):
    return _expect(status, ADMINS + (MANAGER, MEMBER), stranger=404)


def managers_of_owner(status):
    return _expect(status, ADMINS + (MANAGER,), stranger=404)


def admins_on_owner(status):
    return _expect(status, ADMINS, stranger=404)


def open_to_all(status):
    return dict.fromkeys(PERSONAS, status)


@dataclasses.dataclass
class Call:
    method: str
    path: str            # a route template from routes.py
    expect: dict
    body: object = None
    fresh: str | None = None  # what a call that succeeds needs of its own
    action: str | None = None
    query: str = ''


ACTIVE, STOPPED, LOCKED, RESIZED = 'active', 'stopped', 'locked', 'resized'
SERVER = '/v2.1/servers/{server_id}'
ACTION = SERVER + '/action'
AGGREGATE = '/v2.1/os-aggregates/{aggregate_id}'
SPEC = '/v2.1/flavors/{flavor_id}/os-extra_specs'
PRIVATE = '/v2.1/flavors/{flavor_id}/os-flavor-access'


def _calls() -> list:
    return [
        Call('GET', '/', open_to_all(200)),
        Call('GET', '/v2', open_to_all(200)),
        Call('GET', '/v2.1', open_to_all(200)),
        Call('GET', openapi.PATH, open_to_all(200)),
        Call('GET', '/v2.1/servers', every(200)),
        Call('POST', '/v2.1/servers', writers(202),
             {'server': {'name': 'matrix', 'flavorRef': '1'}}),
        Call('GET', '/v2.1/servers/detail', every(200)),
        Call('GET', SERVER, readers_of_owner(200)),
        Call('DELETE', SERVER, members_of_owner(204), fresh=ACTIVE),
        Call('POST', ACTION, members_of_owner(202), {'os-stop': None}, ACTIVE,
             'os-stop'),
        Call('POST', ACTION, members_of_owner(202), {'os-start': None}, STOPPED,
             'os-start'),
        Call('POST', ACTION, members_of_owner(202), {'lock': None}, ACTIVE, 'lock'),
        Call('POST', ACTION, members_of_owner(202), {'unlock': None}, LOCKED,
             'unlock'),
        Call('POST', ACTION, members_of_owner(202), {'reboot': {'type': 'SOFT'}},
             ACTIVE, 'reboot'),
        Call('POST', ACTION, admins_on_owner(202), {'os-resetState': {'state': 'error'}},
             ACTIVE, 'os-resetState'),
        Call('POST', ACTION, managers_of_owner(202), {'migrate': None}, ACTIVE,
             'migrate'),
        Call('POST', ACTION, admins_on_owner(202), {'migrate': {'host': '<other>'}},
             ACTIVE, 'migrate'),
        Call('POST', ACTION, admins_on_owner(202), {'migrate': {
            'host': '<other>', 'force': True}}, ACTIVE, 'migrate'),
        Call('POST', ACTION, members_of_owner(204), {'confirmResize': None}, RESIZED,
             'confirmResize'),
        Call('POST', ACTION, members_of_owner(202), {'revertResize': None}, RESIZED,
             'revertResize'),
        Call('GET', SERVER + '/migrations', managers_of_owner(200)),
        # The shared resized server's move has ended: an administrator passes
        # the policy and finds no move in progress.
        Call('GET', SERVER + '/migrations/{migration_id}', admins_on_owner(404)),
        # The project's manager may abort; the shared server has no move in
        # progress, so past the policy the migration is not found.
        Call('DELETE', SERVER + '/migrations/{migration_id}', managers_of_owner(404)),
        Call('GET', SERVER + '/os-instance-actions', readers_of_owner(200)),
        Call('GET', SERVER + '/os-instance-actions/{request_id}',
             readers_of_owner(200)),
        Call('GET', '/v2.1/limits', every(200)),
        # Another project's limits: administrators; its own: anyone in it.
        Call('GET', '/v2.1/limits', _expect(200, ADMINS + (MANAGER, MEMBER, READER)),
             query='tenant_id=proj'),
        Call('GET', '/v2.1/flavors', every(200)),
        Call('POST', '/v2.1/flavors', admin_only(200),
             {'flavor': {'name': '<unique>', 'ram': 1, 'vcpus': 1, 'disk': 1}}),
        Call('GET', '/v2.1/flavors/detail', every(200)),
        Call('GET', '/v2.1/flavors/{flavor_id}', every(200)),
        Call('PUT', '/v2.1/flavors/{flavor_id}', admin_only(200),
             {'flavor': {'description': 'matrix'}}),
        Call('DELETE', '/v2.1/flavors/{flavor_id}', admin_only(202), fresh='flavor'),
        Call('GET', PRIVATE, admin_only(200)),
        Call('POST', '/v2.1/flavors/{flavor_id}/action', admin_only(200),
             {'addTenantAccess': {'tenant': 'proj'}}, 'private', 'addTenantAccess'),
        Call('POST', '/v2.1/flavors/{flavor_id}/action', admin_only(200),
             {'removeTenantAccess': {'tenant': 'proj'}}, 'private+access',
             'removeTenantAccess'),
        Call('GET', SPEC, every(200)),
        Call('POST', SPEC, admin_only(200), {'extra_specs': {'k2': 'v'}}),
        Call('GET', SPEC + '/{key}', every(200)),
        Call('PUT', SPEC + '/{key}', admin_only(200), {'k': 'v2'}),
        Call('DELETE', SPEC + '/{key}', admin_only(200), fresh='flavor'),
        Call('GET', '/v2.1/os-hypervisors', admin_only(200)),
        Call('GET', '/v2.1/os-hypervisors/detail', admin_only(200)),
        Call('GET', '/v2.1/os-hypervisors/statistics', admin_only(200)),
        Call('GET', '/v2.1/os-hypervisors/{hypervisor_id}', admin_only(200)),
        Call('GET', '/v2.1/os-hypervisors/{hypervisor_id}/uptime', admin_only(200)),
        # Served before 2.53; at the matrix's 2.56 an administrator passes the
        # policy and finds the call gone.
        Call('GET', '/v2.1/os-hypervisors/{hypervisor_id}/search', admin_only(404)),
        Call('GET', '/v2.1/os-hypervisors/{hypervisor_id}/servers', admin_only(404)),
        Call('GET', '/v2.1/os-services', admin_only(200)),
        Call('PUT', '/v2.1/os-services/{service_id}', admin_only(200),
             {'status': 'enabled'}),
        Call('DELETE', '/v2.1/os-services/{service_id}', admin_only(204),
             fresh='service'),
        Call('GET', '/v2.1/os-aggregates', admin_only(200)),
        Call('POST', '/v2.1/os-aggregates', admin_only(200),
             {'aggregate': {'name': '<unique>'}}),
        Call('GET', AGGREGATE, admin_only(200)),
        Call('PUT', AGGREGATE, admin_only(200), {'aggregate': {'name': '<unique>'}}),
        Call('DELETE', AGGREGATE, admin_only(200), fresh='aggregate'),
        Call('POST', AGGREGATE + '/action', admin_only(200),
             {'add_host': {'host': 'compute3'}}, 'aggregate', 'add_host'),
        Call('POST', AGGREGATE + '/action', admin_only(200),
             {'remove_host': {'host': 'compute3'}}, 'aggregate+host', 'remove_host'),
        Call('POST', AGGREGATE + '/action', admin_only(200),
             {'set_metadata': {'metadata': {'k': 'v'}}}, 'aggregate', 'set_metadata'),
        Call('GET', '/v2.1/os-availability-zone', every(200)),
        Call('GET', '/v2.1/os-availability-zone/detail', admin_only(200)),
        Call('GET', '/v2.1/os-server-groups', every(200)),
        Call('POST', '/v2.1/os-server-groups', writers(200), {'server_group': {
            'name': 'matrix', 'policies': ['anti-affinity']}}),
        Call('GET', '/v2.1/os-server-groups/{group_id}', readers_of_owner(200)),
        Call('DELETE', '/v2.1/os-server-groups/{group_id}', members_of_owner(204),
             fresh='group'),
        # Every project's moves; then one project's, which its manager may list.
        Call('GET', '/v2.1/os-migrations', admin_only(200)),
        Call('GET', '/v2.1/os-migrations', _expect(200, ADMINS + (MANAGER,)),
             query='project_id=proj'),
        # migrator's own API.
        Call('GET', '/migrator', open_to_all(200)),
        Call('GET', '/migrator/openapi.json', open_to_all(200)),
        Call('GET', '/migrator/capacity', admin_only(200)),
        Call('GET', '/migrator/capacity/{host}', admin_only(200)),
        Call('GET', '/migrator/migrations', _expect(200, ADMINS + (MANAGER,))),
        Call('GET', '/migrator/migrations/{migration_id}', managers_of_owner(200)),
        Call('GET', '/migrator/servers/{server_id}/actions/{request_id}',
             admins_on_owner(200)),
        Call('POST', '/migrator/migration-checks', admins_on_owner(200),
             {'migration_check': {'server_id': '<server>'}}),
        Call('GET', '/migrator/drains', admin_only(200)),
        # A preview changes nothing; drains that move servers are journeys
        # of their own (test_drains).
        Call('POST', '/migrator/drains', admin_only(200),
             {'drain': {'host': 'compute3', 'dry_run': True}}),
        Call('GET', '/migrator/drains/{drain_id}', admin_only(200)),
        Call('DELETE', '/migrator/drains/{drain_id}', admin_only(202),
             fresh='drain'),
    ]


CALLS = _calls()


class World:
    """The shared resources every refused call targets (and must not change),
    and fresh ones for each call expected to succeed."""

    def __init__(self, svc):
        self.svc = svc
        self.counter = itertools.count()
        self.servers = {state: self.server(state) for state in
                        (ACTIVE, STOPPED, LOCKED, RESIZED)}
        actions = svc.app.get('/v2.1/servers/%s/os-instance-actions'
                              % self.servers[RESIZED], headers=fixtures.headers()).json
        self.migrate_request = [a['request_id'] for a in actions['instanceActions']
                                if a['action'] == 'migrate'][0]
        self.migration = svc.record(self.servers[RESIZED])['uuid']
        self.error_server = self._error_server()
        self.shared = {'flavor': self.flavor(), 'private': self.private_flavor(),
                       'aggregate': self.aggregate(),
                       'aggregate+host': self.aggregate(with_host=True),
                       'group': self.group(), 'service': self.service_row(),
                       'drain': self.drain()}

    def unique(self, prefix='matrix') -> str:
        return '%s-%d' % (prefix, next(self.counter))

    def server(self, state) -> str:
        svc = self.svc
        server_id = svc.boot(name=self.unique(), token=OWNER)
        if state == STOPPED:
            svc.action(server_id, {'os-stop': None}, token=OWNER)
            svc.wait_status(server_id, 'SHUTOFF')
        elif state == LOCKED:
            svc.action(server_id, {'lock': None}, token=OWNER)
        elif state == RESIZED:
            svc.action(server_id, {'migrate': None})
            svc.wait_status(server_id, 'VERIFY_RESIZE')
        return server_id

    def _error_server(self) -> str:
        huge = self.admin_post('/v2.1/flavors', {'flavor': {
            'name': 'too-big', 'ram': 10 ** 7, 'vcpus': 1, 'disk': 1}})['flavor']['id']
        return self.svc.boot(name='failed', flavor=huge, token=OWNER, wait='ERROR')

    def admin_post(self, path, body) -> dict:
        return self.svc.app.post_json(path, body, headers=fixtures.headers()).json

    def flavor(self) -> str:
        flavor_id = self.admin_post('/v2.1/flavors', {'flavor': {
            'name': self.unique(), 'ram': 1, 'vcpus': 1, 'disk': 1}})['flavor']['id']
        self.admin_post('/v2.1/flavors/%s/os-extra_specs' % flavor_id,
                        {'extra_specs': {'k': 'v'}})
        return flavor_id

    def private_flavor(self, access=False) -> str:
        flavor_id = self.admin_post('/v2.1/flavors', {'flavor': {
            'name': self.unique(), 'ram': 1, 'vcpus': 1, 'disk': 1,
            'os-flavor-access:is_public': False}})['flavor']['id']
        if access:
            self.admin_post('/v2.1/flavors/%s/action' % flavor_id,
                            {'addTenantAccess': {'tenant': 'proj'}})
        return flavor_id

    def aggregate(self, with_host=False) -> str:
        aggregate_id = self.admin_post('/v2.1/os-aggregates', {'aggregate': {
            'name': self.unique()}})['aggregate']['id']
        if with_host:
            self.admin_post('/v2.1/os-aggregates/%s/action' % aggregate_id,
                            {'add_host': {'host': 'compute3'}})
        return str(aggregate_id)

    def group(self) -> str:
        return self.svc.app.post_json('/v2.1/os-server-groups', {'server_group': {
            'name': self.unique(), 'policies': ['affinity']}},
            headers=fixtures.headers(OWNER)).json['server_group']['id']

    def service_row(self) -> str:
        """A compute service that never ran: deleting it harms nobody."""
        service_uuid = uuidutils.generate_uuid()
        self.svc.db.write(lambda s: s.add(models.Service(
            uuid=service_uuid, host=self.unique('gone'), binary='migrator-compute',
            topic='compute')))
        return service_uuid

    def drain(self) -> str:
        """A running drain of a compute host that never ran, held by a
        conductor that is not there: nothing moves, nothing ends it, and a
        cancel can always act on a fresh one."""
        drain_uuid = uuidutils.generate_uuid()
        host = self.unique('drained')

        def create(session):
            _compute_without_node(session, host)
            session.add(models.Drain(
                uuid=drain_uuid, host=host, status='running', reason='matrix',
                max_parallel=2, max_attempts=3, confirm=True, abort_on_cancel=False,
                options={}, owner='elsewhere',
                lease_expires_at=models.utcnow() + datetime.timedelta(hours=1)))
        self.svc.db.write(create)
        return drain_uuid

    def fresh(self, need) -> dict:
        if need in (ACTIVE, STOPPED, LOCKED, RESIZED):
            return {'server_id': self.server(need)}
        if need in ('aggregate', 'aggregate+host'):
            return {'aggregate_id': self.aggregate(need == 'aggregate+host')}
        if need in ('private', 'private+access'):
            return {'flavor_id': self.private_flavor(need == 'private+access')}
        maker = {'flavor': self.flavor, 'group': self.group,
                 'service': self.service_row, 'drain': self.drain}[need]
        key = {'flavor': 'flavor_id', 'group': 'group_id', 'service': 'service_id',
               'drain': 'drain_id'}[need]
        return {key: maker()}

    def ids(self, call: Call, succeeds: bool) -> dict:
        state = call.fresh if call.fresh in self.servers else (
            RESIZED if '{request_id}' in call.path else ACTIVE)
        ids = {'server_id': self.servers[state],
               'flavor_id': self.shared['private' if call.path == PRIVATE or (
                   call.fresh or '').startswith('private') else 'flavor'],
               'key': 'k',
               'hypervisor_id': self.hypervisor, 'request_id': self.migrate_request,
               'aggregate_id': self.shared[call.fresh if call.fresh in (
                   'aggregate', 'aggregate+host') else 'aggregate'],
               'group_id': self.shared['group'], 'host': 'compute1',
               'migration_id': self.migration, 'drain_id': self.shared['drain'],
               'service_id': (self.shared['service'] if call.method == 'DELETE'
                              else self.compute3)}
        if succeeds and call.fresh:
            ids.update(self.fresh(call.fresh))
        return ids

    @property
    def hypervisor(self) -> str:
        return self.svc.app.get('/v2.1/os-hypervisors', headers=fixtures.headers(
            version='2.56')).json['hypervisors'][0]['id']

    @property
    def compute3(self) -> str:
        return [s['id'] for s in self.svc.app.get('/v2.1/os-services', headers=(
            fixtures.headers(version='2.56'))).json['services']
            if s['host'] == 'compute3'][0]


def _compute_without_node(session, host):
    """A compute service row whose process never ran: no node, no servers."""
    session.add(models.Service(uuid=uuidutils.generate_uuid(), host=host,
                               binary='migrator-compute', topic='compute'))


class Clients:
    """The personas' noauth2 tokens, sent to ``app`` (the service's own, or
    one built with a deployer's policy)."""

    def __init__(self, app, tokens=None):
        self.app = app
        self.tokens = dict(TOKENS, **(tokens or {}))

    def request(self, persona, method, url, body=None, version='2.56'):
        headers = {'OpenStack-API-Version': 'compute %s, migrator latest' % version}
        if persona != ANON:
            headers['X-Auth-Token'] = self.tokens[persona]
        if body is None:
            return self.app.request(url, method=method, headers=headers,
                                    expect_errors=True)
        return self.app.request(url, method=method, json=body, headers=headers,
                                expect_errors=True)


def app_with(svc, enforcer) -> webtest.TestApp:
    """The service's API (noauth2) enforcing ``enforcer``'s rules."""
    return webtest.TestApp(api_app.create_app(svc.conf, svc.db, svc.dep.messaging,
                                              enforcer=enforcer))


def _fill(value, replacements: dict):
    if isinstance(value, dict):
        return {k: _fill(v, replacements) for k, v in value.items()}
    if isinstance(value, str):
        return replacements.get(value, value)
    return value


def send(call: Call, persona: str, world: World, clients: Clients):
    """Make ``call`` as ``persona`` on fresh or shared resources."""
    succeeds = 200 <= call.expect[persona] < 300
    ids = world.ids(call, succeeds)
    path = call.path
    for name, value in ids.items():
        path = path.replace('{%s}' % name, str(value))
    source = world.svc.show(ids['server_id'])['OS-EXT-SRV-ATTR:host']
    other = next(h for h in ('compute1', 'compute2', 'compute3') if h != source)
    body = _fill(call.body, {'<unique>': world.unique(), '<other>': other,
                             '<server>': ids['server_id']})
    if call.query:
        path += '?' + call.query
    return clients.request(persona, call.method, path, body)


def assert_no_admin_details(resp, persona, what) -> None:
    """What only an administrator may read never reaches anyone else."""
    if persona in ADMINS:
        return
    found = hostile.ADMIN_ONLY.search(resp.text)
    assert found is None, (persona, found and found.group(0), what)
    assert 'Traceback' not in resp.text
