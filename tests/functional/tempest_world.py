"""The small cloud the tempest schema tests read: built through the API,
with servers in several states, finished, confirmed, reverted and forced
moves, an aggregate with a zone and metadata, a server group and a disabled
service; and fresh resources for the calls that change or consume one."""

import uuid

from migrator.api import microversion as mv
from tests.fixtures import headers

LAST = mv.MAX_VERSION_STRING
HOSTS = ('compute1', 'compute2', 'compute3', 'compute4')
MOVABLE = HOSTS[:3]  # compute4 is the disabled one
DISABLED_REASON = 'maintenance window'
ADMIN, MEMBER = 'admin:admin', 'demo:demo'  # noauth2 tokens: user:project


def unique(prefix: str) -> str:
    """A name no other resource of the run has."""
    return '%s-%s' % (prefix, uuid.uuid4().hex[:8])


class World:
    """A small cloud, built through the API: flavors, servers in several
    states, moves finished, confirmed, reverted and forced, an aggregate with
    a zone and metadata, a server group, a disabled service. Rows take what
    they read from here and ask it for fresh resources to change."""

    def __init__(self, svc):
        self.svc = svc
        self.update_service('compute4', status='disabled',
                            disabled_reason=DISABLED_REASON)
        self.flavor = self._post('/v2.1/flavors', {'flavor': {
            'name': 'described', 'ram': 256, 'vcpus': 1, 'disk': 1,
            'description': 'a flavor with a description'}},
            version='2.55')['flavor']['id']
        self._post('/v2.1/flavors/%s/os-extra_specs' % self.flavor,
                   {'extra_specs': {'hw:cpu_policy': 'shared',
                                    'quota:cpu_shares': '1024'}})
        self._post('/v2.1/flavors', {'flavor': {
            'name': 'too-big', 'ram': 1048576, 'vcpus': 1, 'disk': 1, 'id': 'big'}})
        self.aggregate = self._post('/v2.1/os-aggregates', {'aggregate': {
            'name': 'zone-a', 'availability_zone': 'zone-a'}})['aggregate']['id']
        self.aggregate_action('add_host', host='compute3')
        self.aggregate_action('set_metadata', metadata={'ssd': 'true'})
        self._post('/v2.1/os-aggregates', {'aggregate': {'name': 'empty'}})
        self.group = self._post('/v2.1/os-server-groups', {'server_group': {
            'name': 'apart', 'policies': ['anti-affinity']}})['server_group']['id']

        self.active = self._post('/v2.1/servers', {
            'server': {'name': 'in-group', 'flavorRef': '1',
                       'description': 'a server in a group'},
            'os:scheduler_hints': {'group': self.group}})['server']['id']
        svc.wait_status(self.active, 'ACTIVE')
        self.shutoff_server = self.shutoff()
        self.locked_server = self.locked()
        self.resized = self.verify_resize()  # a migration 'finished'
        confirmed = self.verify_resize()
        self.act(confirmed, 'confirmResize')
        reverted = self.verify_resize()
        self.act(reverted, 'revertResize')
        forced = svc.boot(name='forced')
        self.act(forced, 'migrate', {'host': self.other_host(forced), 'force': True})
        svc.wait_status(forced, 'VERIFY_RESIZE')
        self.errored = svc.boot(name='no-room', flavor='big', wait='ERROR')
        # A project member's servers, one moved by an admin, one in ERROR.
        self.members = svc.boot(name='members', token=MEMBER)
        self.act(self.members, 'migrate', {'host': self.other_host(self.members)})
        svc.wait_status(self.members, 'VERIFY_RESIZE')
        self.act(self.members, 'confirmResize')
        self.members_errored = svc.boot(name='members-no-room', flavor='big',
                                        token=MEMBER, wait='ERROR')
        for server in (confirmed, reverted, self.members):
            svc.wait_status(server, 'ACTIVE')

    # -- through the API, as an operator would -------------------------------

    def _post(self, url, body, version=LAST, token=ADMIN):
        return self.svc.app.post_json(url, body, headers=headers(token, version)).json

    def _get(self, url, version=LAST):
        return self.svc.app.get(url, headers=headers(version=version)).json

    def act(self, server_id, action, value=None):
        self.svc.action(server_id, {action: value})

    def aggregate_action(self, action, aggregate=None, **value):
        self._post('/v2.1/os-aggregates/%s/action' % (aggregate or self.aggregate),
                   {action: value})

    def service_id(self, host, version=LAST):
        (found,) = self._get('/v2.1/os-services?host=%s' % host, version)['services']
        return found['id']

    def update_service(self, host, **body):
        self.svc.app.put_json('/v2.1/os-services/%s' % self.service_id(host),
                              body, headers=headers(version=LAST))

    def host_of(self, server_id):
        return self.svc.show(server_id)['OS-EXT-SRV-ATTR:host']

    def other_host(self, server_id):
        source = self.host_of(server_id)
        return next(host for host in MOVABLE if host != source)

    def hypervisor_id(self, version):
        return self._get('/v2.1/os-hypervisors', version)['hypervisors'][0]['id']

    def instance_action(self, server_id, action):
        actions = self._get('/v2.1/servers/%s/os-instance-actions'
                            % server_id)['instanceActions']
        return next(a['request_id'] for a in actions if a['action'] == action)

    # -- fresh resources, for the calls that change or consume one -----------

    def server(self):
        return self.svc.boot(name=unique('fresh'))

    def shutoff(self):
        server = self.server()
        self.act(server, 'os-stop')
        self.svc.wait_status(server, 'SHUTOFF')
        return server

    def locked(self):
        server = self.server()
        self.act(server, 'lock')
        return server

    def verify_resize(self):
        server = self.server()
        self.act(server, 'migrate', {'host': self.other_host(server)})
        self.svc.wait_status(server, 'VERIFY_RESIZE')
        return server

    def new_flavor(self):
        return self._post('/v2.1/flavors', {'flavor': {
            'name': unique('flavor'), 'ram': 128, 'vcpus': 1,
            'disk': 1}})['flavor']['id']

    def new_private_flavor(self, project=None):
        flavor_id = self._post('/v2.1/flavors', {'flavor': {
            'name': unique('private'), 'ram': 128, 'vcpus': 1, 'disk': 1,
            'os-flavor-access:is_public': False}})['flavor']['id']
        if project:
            self._post('/v2.1/flavors/%s/action' % flavor_id,
                       {'addTenantAccess': {'tenant': project}})
        return flavor_id

    def new_extra_spec(self):
        key = unique('spec')
        self._post('/v2.1/flavors/%s/os-extra_specs' % self.flavor,
                   {'extra_specs': {key: 'on'}})
        return key

    def new_aggregate(self, host=None):
        aggregate = self._post('/v2.1/os-aggregates', {'aggregate': {
            'name': unique('aggregate')}})['aggregate']['id']
        if host:
            self.aggregate_action('add_host', aggregate, host=host)
        return aggregate

    def new_group(self):
        return self._post('/v2.1/os-server-groups', {'server_group': {
            'name': unique('group'), 'policies': ['affinity']}})['server_group']['id']

    def restore_compute4(self):
        self.update_service('compute4', status='disabled',
                            disabled_reason=DISABLED_REASON, forced_down=False)


class Placeholder(str):
    """Stands in for the world when only the schema a call would be
    validated with is asked for: every attribute and call is 'x'."""

    def __call__(self, *args, **kwargs):
        return self

    def __getattr__(self, name):
        return self
