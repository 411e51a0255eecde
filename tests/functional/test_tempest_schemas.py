"""Every call of Nova's API that migrator serves, made with tempest's own
compute clients and validated with tempest's own response schemas
(``tempest.lib.api_schema.response.compute``), at every microversion where
tempest's schema for that call changes, and at the first and last one the
call is served at.

One row of ``CALLS`` is one call. A call migrator answers differently from
Nova on purpose carries its exact error in ``FAILING`` and is marked
``xfail(strict=True)``: it turns into a failure the day it changes.

tempest validates success responses only: it has no schema for a fault body
(``RestClient.validate_response`` skips any status >= 400). ``ERRORS`` checks
what tempest's client does check of a fault: the status maps to its typed
exception and the body is JSON.

Calls of the route table tempest has no response schema for are listed in
``NO_TEMPEST_SCHEMA``, to be held to Nova's API reference samples instead;
migrator's own API (under /migrator) is not Nova's, so tempest has nothing
to say about it.
"""

import dataclasses
import re
import uuid

import jsonschema
import pytest
from tempest.lib import exceptions as lib_exc

from migrator.api import microversion as mv
from migrator.api import migrator_api, routes
from tests import fixtures
from tests.functional import tempest_adapter as tempest
from tests.functional.tempest_world import (
    ADMIN,
    DISABLED_REASON,
    HOSTS,
    MEMBER,
    Placeholder,
    World,
    unique,
)

FIRST, LAST = mv.MIN_VERSION_STRING, mv.MAX_VERSION_STRING


# -- the table: one row, one call ---------------------------------------------

@dataclasses.dataclass(frozen=True)
class Call:
    """One call of the API, made with tempest's ``client.method``."""
    method: str
    path: str  # as in the route table
    client: str
    call: str
    versions: tuple  # where tempest's schema changes, and first and last
    args: object = None  # (world, version) -> the client method's keyword args
    variant: str = ''  # the action, or what sets this call apart
    cleanup: object = None  # (world) -> None, after the call
    token: str = ADMIN

    @property
    def name(self) -> str:
        path = self.path.removeprefix('/v2.1') if self.path.startswith(
            '/v2.1/') else self.path
        return ' '.join(filter(None, (self.method, path, self.variant)))

    def kwargs(self, world, version) -> dict:
        return self.args(world, version) if self.args else {}


def _versions(text: str) -> tuple:
    return tuple(text.split())


def _at_least(version: str, feature: str) -> bool:
    return tuple(map(int, version.split('.'))) >= tuple(map(int, feature.split('.')))


# Where tempest's schemas change (test_each_call_is_made_where_its_schema_changes
# asks tempest and keeps these right).
SERVERS = _versions('2.1 2.3 2.9 2.16 2.19 2.26 2.47 2.56')
AGGREGATES = _versions('2.1 2.41 2.56')
GROUPS = _versions('2.1 2.13 2.56')
ENDS = (FIRST, LAST)
S = '/v2.1/servers/{server_id}'
ACTION = S + '/action'
AGGREGATE_ACTION = '/v2.1/os-aggregates/{aggregate_id}/action'
FLAVOR_ACTION = '/v2.1/flavors/{flavor_id}/action'
SERVICE = '/v2.1/os-services/{service_id}'
COMPUTE4 = {'host': 'compute4', 'binary': 'migrator-compute'}


def _server(key):
    return lambda w, v: {'server_id': getattr(w, key)}


def _fresh_server(make='server', **more):
    """A new server (made by ``World.<make>``) and the other arguments; a
    callable one is asked with (world, server)."""
    def args(w, v):
        server = getattr(w, make)()
        return dict(server_id=server, **{
            key: value(w, server) if callable(value) else value
            for key, value in more.items()})
    return args


def _to_other(w, server):
    return w.other_host(server)


CALLS = (
    Call('GET', '/', 'versions', 'list_versions', ENDS),
    Call('GET', '/v2', 'versions', 'get_version_by_url', ENDS,
         lambda w, v: {'version_url': tempest.PREFIX + '/v2/'}),
    Call('GET', '/v2.1', 'versions', 'get_version_by_url', ENDS,
         lambda w, v: {'version_url': tempest.BASE_URL + '/'}),
    # servers
    Call('GET', '/v2.1/servers', 'servers', 'list_servers', ENDS),
    Call('GET', '/v2.1/servers', 'servers', 'list_servers', ENDS,
         lambda w, v: {'limit': 2}, variant='paged'),
    Call('POST', '/v2.1/servers', 'servers', 'create_server', ENDS,
         lambda w, v: {'name': unique('created'), 'flavorRef': '1',
                       'imageRef': '70a599e0-31e7-49b7-b260-868f441e862b'}),
    Call('GET', '/v2.1/servers/detail', 'servers', 'list_servers', SERVERS,
         lambda w, v: {'detail': True}),
    Call('GET', '/v2.1/servers/detail', 'servers', 'list_servers', SERVERS,
         lambda w, v: {'detail': True, 'limit': 2}, variant='paged'),
    Call('GET', '/v2.1/servers/detail', 'servers', 'list_servers', SERVERS,
         lambda w, v: {'detail': True, 'all_tenants': 'true'},
         variant='all_tenants'),
    Call('GET', '/v2.1/servers/detail', 'servers', 'list_servers', SERVERS,
         lambda w, v: {'detail': True}, variant='as member', token=MEMBER),
    Call('GET', S, 'servers', 'show_server', SERVERS, _server('resized')),
    Call('GET', S, 'servers', 'show_server', SERVERS, _server('members_errored'),
         variant='ERROR as member', token=MEMBER),
    Call('GET', S, 'servers', 'show_server', SERVERS, _server('errored'),
         variant='ERROR'),
    Call('DELETE', S, 'servers', 'delete_server', ENDS, _fresh_server()),
    Call('POST', ACTION, 'servers', 'migrate_server', ENDS, _fresh_server(),
         variant='migrate {}'),
    Call('POST', ACTION, 'servers', 'migrate_server', ENDS,
         _fresh_server(body={'migrate': None}), variant='migrate null'),
    Call('POST', ACTION, 'servers', 'migrate_server', (LAST,),
         _fresh_server(host=_to_other), variant='migrate host'),
    Call('POST', ACTION, 'servers', 'migrate_server', (LAST,),
         _fresh_server(host=_to_other, force=True), variant='migrate host force'),
    Call('POST', ACTION, 'servers', 'confirm_resize_server', ENDS,
         _fresh_server('verify_resize'), variant='confirmResize'),
    Call('POST', ACTION, 'servers', 'revert_resize_server', ENDS,
         _fresh_server('verify_resize'), variant='revertResize'),
    Call('POST', ACTION, 'servers', 'stop_server', ENDS, _fresh_server(),
         variant='os-stop'),
    Call('POST', ACTION, 'servers', 'start_server', ENDS,
         _fresh_server('shutoff'), variant='os-start'),
    Call('POST', ACTION, 'servers', 'lock_server', ENDS, _fresh_server(),
         variant='lock'),
    Call('POST', ACTION, 'servers', 'unlock_server', ENDS,
         _fresh_server('locked'), variant='unlock'),
    Call('POST', ACTION, 'servers', 'reboot_server', ENDS,
         _fresh_server(type='HARD'), variant='reboot'),
    Call('POST', ACTION, 'servers', 'reset_state', ENDS,
         _fresh_server(state='error'), variant='os-resetState'),
    Call('GET', S + '/migrations', 'servers', 'list_in_progress_live_migration',
         _versions('2.23 2.56'), _server('resized')),
    Call('GET', S + '/os-instance-actions', 'servers', 'list_instance_actions',
         ENDS, _server('resized')),
    Call('GET', S + '/os-instance-actions/{request_id}', 'servers',
         'show_instance_action', _versions('2.1 2.51 2.56'),
         lambda w, v: {'server_id': w.resized,
                       'request_id': w.instance_action(w.resized, 'migrate')}),
    Call('GET', S + '/os-instance-actions/{request_id}', 'servers',
         'show_instance_action', _versions('2.1 2.51 2.56'),
         lambda w, v: {'server_id': w.errored,
                       'request_id': w.instance_action(w.errored, 'create')},
         variant='failed'),
    Call('GET', S + '/os-instance-actions/{request_id}', 'servers',
         'show_instance_action', _versions('2.1 2.51 2.56'),
         lambda w, v: {'server_id': w.members,
                       'request_id': w.instance_action(w.members, 'migrate')},
         variant='as member', token=MEMBER),
    # flavors
    Call('GET', '/v2.1/flavors', 'flavors', 'list_flavors', _versions('2.1 2.55 2.56')),
    Call('POST', '/v2.1/flavors', 'flavors', 'create_flavor',
         _versions('2.1 2.55 2.56'),
         lambda w, v: dict({'name': unique('flavor'), 'ram': 64, 'vcpus': 1,
                            'disk': 0},
                           **({'description': 'new'} if _at_least(v, '2.55') else {}))),
    Call('GET', '/v2.1/flavors/detail', 'flavors', 'list_flavors',
         _versions('2.1 2.55 2.56'), lambda w, v: {'detail': True}),
    Call('GET', '/v2.1/flavors/{flavor_id}', 'flavors', 'show_flavor',
         _versions('2.1 2.55 2.56'), lambda w, v: {'flavor_id': w.flavor}),
    Call('PUT', '/v2.1/flavors/{flavor_id}', 'flavors', 'update_flavor',
         _versions('2.55 2.56'),
         lambda w, v: {'flavor_id': w.new_flavor(), 'description': 'changed'}),
    Call('GET', '/v2.1/flavors/{flavor_id}/os-flavor-access', 'flavors',
         'list_flavor_access', ENDS,
         lambda w, v: {'flavor_id': w.new_private_flavor('someone')}),
    Call('POST', FLAVOR_ACTION, 'flavors', 'add_flavor_access',
         ENDS, lambda w, v: {'flavor_id': w.new_private_flavor(),
                             'tenant_id': 'someone'}, variant='addTenantAccess'),
    Call('POST', FLAVOR_ACTION, 'flavors',
         'remove_flavor_access', ENDS,
         lambda w, v: {'flavor_id': w.new_private_flavor('someone'),
                       'tenant_id': 'someone'}, variant='removeTenantAccess'),
    Call('DELETE', '/v2.1/flavors/{flavor_id}', 'flavors', 'delete_flavor', ENDS,
         lambda w, v: {'flavor_id': w.new_flavor()}),
    Call('GET', '/v2.1/flavors/{flavor_id}/os-extra_specs', 'flavors',
         'list_flavor_extra_specs', ENDS, lambda w, v: {'flavor_id': w.flavor}),
    Call('POST', '/v2.1/flavors/{flavor_id}/os-extra_specs', 'flavors',
         'set_flavor_extra_spec', ENDS,
         lambda w, v: {'flavor_id': w.flavor, 'hw:mem_page_size': 'small'}),
    Call('GET', '/v2.1/flavors/{flavor_id}/os-extra_specs/{key}', 'flavors',
         'show_flavor_extra_spec', ENDS,
         lambda w, v: {'flavor_id': w.flavor, 'key': 'hw:cpu_policy'}),
    Call('PUT', '/v2.1/flavors/{flavor_id}/os-extra_specs/{key}', 'flavors',
         'update_flavor_extra_spec', ENDS,
         lambda w, v: {'flavor_id': w.flavor, 'key': 'quota:cpu_shares',
                       'quota:cpu_shares': '2048'}),
    Call('DELETE', '/v2.1/flavors/{flavor_id}/os-extra_specs/{key}', 'flavors',
         'unset_flavor_extra_spec', ENDS,
         lambda w, v: {'flavor_id': w.flavor, 'key': w.new_extra_spec()}),
    # os-hypervisors
    Call('GET', '/v2.1/os-hypervisors', 'hypervisors', 'list_hypervisors',
         _versions('2.1 2.33 2.53 2.56')),
    Call('GET', '/v2.1/os-hypervisors', 'hypervisors', 'list_hypervisors',
         _versions('2.33 2.53 2.56'), lambda w, v: {'limit': 2}, variant='paged'),
    Call('GET', '/v2.1/os-hypervisors/detail', 'hypervisors', 'list_hypervisors',
         _versions('2.1 2.28 2.33 2.53 2.56'), lambda w, v: {'detail': True}),
    Call('GET', '/v2.1/os-hypervisors/detail', 'hypervisors', 'list_hypervisors',
         _versions('2.33 2.53 2.56'), lambda w, v: {'detail': True, 'limit': 2},
         variant='paged'),
    Call('GET', '/v2.1/os-hypervisors/statistics', 'hypervisors',
         'show_hypervisor_statistics', ENDS),
    Call('GET', '/v2.1/os-hypervisors/{hypervisor_id}', 'hypervisors',
         'show_hypervisor', _versions('2.1 2.28 2.53 2.56'),
         lambda w, v: {'hypervisor_id': w.hypervisor_id(v)}),
    Call('GET', '/v2.1/limits', 'limits', 'show_limits', _versions('2.1 2.36 2.39 2.56')),
    Call('GET', '/v2.1/os-hypervisors/{hypervisor_id}/uptime', 'hypervisors',
         'show_hypervisor_uptime', _versions('2.1 2.53 2.56'),
         lambda w, v: {'hypervisor_id': w.hypervisor_id(v)}),
    # Served before 2.53 only (then: the list's hypervisor_hostname_pattern).
    Call('GET', '/v2.1/os-hypervisors/{hypervisor_id}/search', 'hypervisors',
         'search_hypervisor', _versions('2.1 2.33 2.52'),
         lambda w, v: {'hypervisor_name': 'compute'}),
    Call('GET', '/v2.1/os-hypervisors/{hypervisor_id}/servers', 'hypervisors',
         'list_servers_on_hypervisor', _versions('2.1 2.33 2.52'),
         lambda w, v: {'hypervisor_name': w.host_of(w.active)}),
    # os-services
    Call('GET', '/v2.1/os-services', 'services', 'list_services',
         _versions('2.1 2.11 2.53 2.56')),
    Call('PUT', SERVICE, 'services', 'enable_service', ENDS[:1] + ('2.52',),
         lambda w, v: COMPUTE4, variant='enable', cleanup=World.restore_compute4),
    Call('PUT', SERVICE, 'services', 'disable_service', ENDS[:1] + ('2.52',),
         lambda w, v: COMPUTE4, variant='disable', cleanup=World.restore_compute4),
    Call('PUT', SERVICE, 'services', 'disable_log_reason', ENDS[:1] + ('2.52',),
         lambda w, v: dict(COMPUTE4, disabled_reason=DISABLED_REASON),
         variant='disable-log-reason', cleanup=World.restore_compute4),
    Call('PUT', SERVICE, 'services', 'update_forced_down', _versions('2.11 2.52'),
         lambda w, v: dict(COMPUTE4, forced_down=True), variant='force-down',
         cleanup=World.restore_compute4),
    Call('PUT', SERVICE, 'services', 'update_service', _versions('2.53 2.56'),
         lambda w, v: {'service_id': w.service_id('compute4', v),
                       'status': 'disabled', 'disabled_reason': 'changed'},
         variant='status', cleanup=World.restore_compute4),
    Call('PUT', SERVICE, 'services', 'update_service', _versions('2.53 2.56'),
         lambda w, v: {'service_id': w.service_id('compute4', v),
                       'forced_down': True},
         variant='forced_down', cleanup=World.restore_compute4),
    # os-aggregates
    Call('GET', '/v2.1/os-aggregates', 'aggregates', 'list_aggregates', AGGREGATES),
    Call('POST', '/v2.1/os-aggregates', 'aggregates', 'create_aggregate',
         AGGREGATES, lambda w, v: {'name': unique('aggregate'),
                                   'availability_zone': 'zone-b'}),
    Call('GET', '/v2.1/os-aggregates/{aggregate_id}', 'aggregates',
         'show_aggregate', AGGREGATES, lambda w, v: {'aggregate_id': w.aggregate}),
    Call('PUT', '/v2.1/os-aggregates/{aggregate_id}', 'aggregates',
         'update_aggregate', AGGREGATES,
         lambda w, v: {'aggregate_id': w.new_aggregate(), 'name': unique('renamed')}),
    Call('DELETE', '/v2.1/os-aggregates/{aggregate_id}', 'aggregates',
         'delete_aggregate', ENDS,
         lambda w, v: {'aggregate_id': w.new_aggregate()}),
    Call('POST', AGGREGATE_ACTION, 'aggregates', 'add_host', AGGREGATES,
         lambda w, v: {'aggregate_id': w.new_aggregate(), 'host': 'compute1'},
         variant='add_host'),
    Call('POST', AGGREGATE_ACTION, 'aggregates', 'remove_host', AGGREGATES,
         lambda w, v: {'aggregate_id': w.new_aggregate('compute2'),
                       'host': 'compute2'}, variant='remove_host'),
    Call('POST', AGGREGATE_ACTION, 'aggregates', 'set_metadata', AGGREGATES,
         lambda w, v: {'aggregate_id': w.new_aggregate(),
                       'metadata': {'ssd': 'false'}}, variant='set_metadata'),
    # os-availability-zone
    Call('GET', '/v2.1/os-availability-zone', 'availability_zones',
         'list_availability_zones', ENDS),
    Call('GET', '/v2.1/os-availability-zone/detail', 'availability_zones',
         'list_availability_zones', ENDS, lambda w, v: {'detail': True}),
    # os-server-groups
    Call('GET', '/v2.1/os-server-groups', 'server_groups', 'list_server_groups',
         GROUPS),
    Call('POST', '/v2.1/os-server-groups', 'server_groups', 'create_server_group',
         GROUPS, lambda w, v: {'name': unique('group'),
                               'policies': ['anti-affinity']}),
    Call('GET', '/v2.1/os-server-groups/{group_id}', 'server_groups',
         'show_server_group', GROUPS, lambda w, v: {'server_group_id': w.group}),
    Call('DELETE', '/v2.1/os-server-groups/{group_id}', 'server_groups',
         'delete_server_group', ENDS,
         lambda w, v: {'server_group_id': w.new_group()}),
    # os-migrations
    Call('GET', '/v2.1/os-migrations', 'migrations', 'list_migrations',
         _versions('2.1 2.23 2.56')),
)

# Calls of the route table that tempest has no response schema for.
NO_TEMPEST_SCHEMA = {
    ('DELETE', SERVICE): "tempest's ServicesClient cannot delete a service",
    ('GET', routes.OPENAPI_PATH): "migrator's OpenAPI document, not Nova's API",
    ('GET', S + '/migrations/{migration_id}'):
        "tempest shows no server migration (its client lists them only)",
    ('DELETE', S + '/migrations/{migration_id}'):
        "tempest's ServersClient has no abort of a server's migration",
}

# (call, microversion) -> the error tempest raises, exactly: migrator's own
# rules where they differ from Nova's on purpose.
FAILING = {
    # tempest (and python-novaclient at 2.56) send {"migrate": {}} for "let
    # the scheduler choose". Below 2.56 migrator accepts any value, as Nova;
    # from 2.56 the seed specification (cold migration with a target host)
    # requires "host" in an object body, where Nova takes an object without
    # it. The 400 tells the client what to send instead.
    ('POST /servers/{server_id}/action migrate {}', '2.56'):
        'HTTP 400: Invalid input for field/attribute migrate. At microversion '
        '2.56 and later an object body must name the target host: send '
        '{"migrate": {"host": "<compute host>"}} (optionally with "force": '
        'true), or {"migrate": null} to let the scheduler choose.',
}


# -- the tests ----------------------------------------------------------------

@pytest.fixture(scope='module')
def world(tmp_path_factory):
    svc = fixtures.Service(tmp_path_factory.mktemp('tempest'), hosts=HOSTS)
    try:
        yield World(svc)
    finally:
        svc.stop()


@pytest.fixture(scope='module')
def clients(world):
    return {token: tempest.clients(world.svc.app, token) for token in (ADMIN, MEMBER)}


def _cases():
    for row in CALLS:
        for version in row.versions:
            reason = FAILING.get((row.name, version))
            marks = (pytest.mark.xfail(strict=True, reason=reason,
                                       raises=KnownFailure) if reason else ())
            yield pytest.param(row, version, marks=marks,
                               id='%s @%s' % (row.name, version))


class KnownFailure(Exception):
    """The failure recorded in FAILING, exactly as recorded."""


def describe(error: Exception) -> str:
    """The one line that says why tempest refused a response."""
    cause = error.__context__
    if isinstance(cause, jsonschema.ValidationError):
        where = ''.join('[%d]' % p if isinstance(p, int) else '.%s' % p
                        for p in cause.absolute_path)
        return 'body $%s: %s' % (where, cause.message)
    if isinstance(error, lib_exc.RestClientException) and error.resp is not None:
        body = error.resp_body
        message = body.get('message', body) if isinstance(body, dict) else body
        return 'HTTP %s: %s' % (error.resp.status, message)
    return '%s: %s' % (type(error).__name__, str(error).strip().splitlines()[0])


def _template(path: str) -> re.Pattern:
    return re.compile('^%s%s/?$' % (re.escape(tempest.PREFIX),
                                    re.sub(r'\\\{\w+\\\}', '[^/]+', re.escape(path))))


@pytest.mark.parametrize('row,version', list(_cases()))
def test_tempest_validates_the_response(world, clients, row, version):
    client = clients[row.token][row.client]
    kwargs = row.kwargs(world, version)
    sent = len(client.http_obj.exchanges)
    try:
        with tempest.microversion(version):
            getattr(client, row.call)(**kwargs)
    except Exception as error:
        recorded = FAILING.get((row.name, version))
        if recorded is None:
            raise
        assert describe(error) == recorded, 'it fails otherwise than recorded'
        raise KnownFailure(recorded) from error
    finally:
        if row.cleanup:
            row.cleanup(world)
    method, url = client.http_obj.exchanges[sent][:2]
    assert method == row.method and _template(row.path).match(url.split('?')[0]), (
        'tempest sent %s %s, not %s %s' % (method, url, row.method, row.path))


def test_every_call_of_the_route_table_is_in_a_table():
    """Each method of each route, and each action of an action route, has
    a row in CALLS or a line in NO_TEMPEST_SCHEMA; and nothing else has."""
    declared = {(name, route.path, action) for route in routes.ROUTES
                if not migrator_api.API.serves(route.path)
                for name, method in route.methods.items()
                for action in (method.actions or [''])}
    actions = (ACTION, AGGREGATE_ACTION, FLAVOR_ACTION)
    tabled = {(row.method, row.path,
               row.variant.split(' ')[0] if row.path in actions else '')
              for row in CALLS}
    tabled |= {(method, path, '') for method, path in NO_TEMPEST_SCHEMA}
    assert sorted(declared - tabled) == []
    assert sorted(tabled - declared) == []


def test_each_call_is_made_where_its_schema_changes():
    """A row's microversions hold its first and last one and every one where
    tempest's schema for that call changes (asked of tempest itself)."""
    numbers = ['2.%d' % minor for minor in range(1, mv.MAX_VERSION[1] + 1)]
    for row in CALLS:
        served = numbers[numbers.index(row.versions[0]):
                         numbers.index(row.versions[-1]) + 1]
        needed, previous = {served[0], served[-1]}, None
        for version in served:
            key = tempest.schema_key(tempest.chosen_schema(
                row.client, row.call, version, row.kwargs(Placeholder('x'), version)))
            if previous is not None and key != previous:
                needed.add(version)
            previous = key
        assert needed <= set(row.versions), (row.name, sorted(
            needed - set(row.versions), key=lambda v: int(v.split('.')[1])))


# -- faults: tempest has no schema, only a typed exception per status ----------

ERRORS = (
    ('servers', 'show_server', lambda w: {'server_id': str(uuid.uuid4())},
     lib_exc.NotFound),
    ('servers', 'confirm_resize_server', lambda w: {'server_id': w.active},
     lib_exc.Conflict),
    ('servers', 'migrate_server',
     lambda w: {'server_id': w.active, 'host': w.host_of(w.active)},
     lib_exc.BadRequest),
    ('flavors', 'show_flavor', lambda w: {'flavor_id': 'missing'}, lib_exc.NotFound),
    ('aggregates', 'show_aggregate', lambda w: {'aggregate_id': 'x'},
     lib_exc.BadRequest),
    ('server_groups', 'show_server_group',
     lambda w: {'server_group_id': str(uuid.uuid4())}, lib_exc.NotFound),
)


@pytest.mark.parametrize('client,call,args,expected', ERRORS,
                         ids=['%s %s' % (e[1], e[3].__name__) for e in ERRORS])
def test_faults_are_what_tempest_expects(world, clients, client, call, args,
                                         expected):
    with tempest.microversion(LAST), pytest.raises(expected) as raised:
        getattr(clients[ADMIN][client], call)(**args(world))
    fault = raised.value.resp_body
    assert fault['code'] == raised.value.resp.status
    assert isinstance(fault['message'], str) and fault['message']
