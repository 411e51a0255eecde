"""os-hypervisors: capacity, usage and free space of every compute host."""

from oslo_utils import timeutils

from migrator import exception
from migrator.api import common
from migrator.api import microversion as mv
from migrator.api.policies import hypervisors as hypervisor_policies
from migrator.api.schemas import types


def _usage(node) -> dict:
    """Nova's usage fields: the host's reserved RAM and disk count as used."""
    memory_used = node.memory_mb_used + node.reserved_memory_mb
    disk_used = node.local_gb_used + node.reserved_disk_gb
    return {'vcpus_used': node.vcpus_used, 'memory_mb_used': memory_used,
            'local_gb_used': disk_used,
            'free_ram_mb': node.memory_mb - memory_used,
            'free_disk_gb': node.local_gb - disk_used,
            'disk_available_least': node.local_gb - disk_used}


def _node_id(req, node):
    return node.uuid if common.version_at_least(req, mv.UUID_IDS) else node.id


def _serialize(req, hypervisor, detail) -> dict:
    node, service = hypervisor.node, hypervisor.service
    uuid_ids = common.version_at_least(req, mv.UUID_IDS)
    body = {
        'id': _node_id(req, node),
        'hypervisor_hostname': node.host,
        'state': 'up' if hypervisor.up else 'down',
        'status': 'disabled' if service and service.disabled else 'enabled',
    }
    # Before 2.75 Nova leaves "servers" out when the host runs none.
    if hypervisor.servers:
        body['servers'] = hypervisor.servers
    if not detail:
        return body
    body.update({
        'hypervisor_type': node.hypervisor_type,
        'hypervisor_version': 1000,
        'host_ip': node.host_ip,
        'vcpus': node.vcpus, 'memory_mb': node.memory_mb, 'local_gb': node.local_gb,
        **_usage(node),
        'current_workload': 0,
        'running_vms': hypervisor.running_vms,
        'cpu_info': ({} if common.version_at_least(req, mv.HYPERVISOR_CPU_INFO_OBJECT)
                     else '{}'),
        'service': {'host': node.host,
                    'id': (service.uuid if uuid_ids else service.id) if service else None,
                    'disabled_reason': service.disabled_reason if service else None},
    })
    return body


def _page(req, hypervisors, params):
    """Nova's limit/marker paging (from 2.33): marker is the last id seen."""
    if not common.version_at_least(req, mv.HYPERVISOR_PAGING):
        return hypervisors, None
    if 'marker' in params:
        ids = [str(_node_id(req, h.node)) for h in hypervisors]
        if params['marker'] not in ids:
            raise exception.Invalid('marker [%s] not found' % params['marker'])
        hypervisors = hypervisors[ids.index(params['marker']) + 1:]
    limit = None
    if 'limit' in params:
        limit = common.bounded_int(params['limit'])
        hypervisors = hypervisors[:limit]
    return hypervisors, limit


class Collection:
    """GET /os-hypervisors (and /detail): every compute node."""

    detail = False

    def __init__(self, deps):
        self.deps = deps

    def on_get(self, req, resp):
        self.deps.authorizer.authorize(
            common.context(req),
            hypervisor_policies.LIST_DETAIL if self.detail else hypervisor_policies.LIST)
        params = common.params(req)
        since_253 = common.version_at_least(req, mv.UUID_IDS)
        pattern = params.get('hypervisor_hostname_pattern') if since_253 else None
        with_servers = since_253 and types.strict_bool(
            'with_servers', params.get('with_servers', False))
        if pattern and ('limit' in params or 'marker' in params):
            raise exception.Invalid('Paging over hypervisors with the '
                                    'hypervisor_hostname_pattern query '
                                    'parameter is not supported.')
        found = self.deps.ops.hosts.hypervisors(hostname_contains=pattern,
                                                with_servers=with_servers)
        if pattern and not found:
            raise exception.HypervisorNotFound(
                "No hypervisor matching '%s' could be found." % pattern)
        found, limit = _page(req, found, {} if pattern else params)
        resp.media = {'hypervisors': [_serialize(req, h, self.detail)
                                      for h in found]}
        collection = 'os-hypervisors/detail' if self.detail else 'os-hypervisors'
        page_links = common.next_link(req, collection, resp.media['hypervisors'],
                                      limit)
        if page_links:
            resp.media['hypervisors_links'] = page_links


class Detail(Collection):
    detail = True


class Statistics:
    """GET /os-hypervisors/statistics: the sums over every node."""

    def __init__(self, deps):
        self.deps = deps

    def on_get(self, req, resp):
        self.deps.authorizer.authorize(common.context(req),
                                       hypervisor_policies.STATISTICS)
        found = self.deps.ops.hosts.hypervisors()
        nodes = [h.node for h in found]
        total = {k: sum(getattr(n, k) for n in nodes)
                 for k in ('vcpus', 'memory_mb', 'local_gb')}
        usages = [_usage(n) for n in nodes]
        for key in ('vcpus_used', 'memory_mb_used', 'local_gb_used', 'free_ram_mb',
                    'free_disk_gb', 'disk_available_least'):
            total[key] = sum(u[key] for u in usages)
        total.update(count=len(nodes), current_workload=0,
                     running_vms=sum(h.running_vms for h in found))
        resp.media = {'hypervisor_statistics': total}


def _one(deps, req, hypervisor_id):
    """The hypervisor of a path id: an integer before 2.53, a uuid from it."""
    if common.version_at_least(req, mv.UUID_IDS):
        params = common.params(req)
        with_servers = types.strict_bool('with_servers',
                                         params.get('with_servers', False))
        common.require_uuid(hypervisor_id)
        found = deps.ops.hosts.hypervisors(node_uuid=hypervisor_id,
                                           with_servers=with_servers)
    else:
        number = (int(hypervisor_id) if hypervisor_id.isascii()
                  and hypervisor_id.isdigit() else None)
        if number is None or number > common.DB_INT_MAX:
            raise exception.HypervisorNotFound(hypervisor_id=hypervisor_id)
        found = deps.ops.hosts.hypervisors(node_id=number)
    if not found:
        raise exception.HypervisorNotFound(hypervisor_id=hypervisor_id)
    return found[0]


class Item:
    """GET /os-hypervisors/{id}: an integer id before 2.53, a uuid from it."""

    def __init__(self, deps):
        self.deps = deps

    def on_get(self, req, resp, hypervisor_id):
        self.deps.authorizer.authorize(common.context(req), hypervisor_policies.SHOW)
        resp.media = {'hypervisor': _serialize(req, _one(self.deps, req, hypervisor_id),
                                               True)}


def _uptime(since, now) -> str:
    """``uptime``'s line, as Nova relays the host's: a simulated host has
    been up since its compute node registered, and carries no load."""
    up = now - since
    hours, rest = divmod(up.seconds, 3600)
    return ' %s up %d days, %2d:%02d,  0 users,  load average: 0.00, 0.00, 0.00' % (
        now.strftime('%H:%M:%S'), up.days, hours, rest // 60)


class Uptime:
    """GET /os-hypervisors/{id}/uptime."""

    def __init__(self, deps):
        self.deps = deps

    def on_get(self, req, resp, hypervisor_id):
        self.deps.authorizer.authorize(common.context(req), hypervisor_policies.UPTIME)
        hypervisor = _one(self.deps, req, hypervisor_id)
        if not hypervisor.up:
            # Nova answers 400 with this message (the compute cannot be asked).
            raise exception.Invalid(exception.ComputeServiceUnavailable(
                host=hypervisor.node.host).format_message())
        body = _serialize(req, hypervisor, False)
        body.pop('servers', None)
        body['uptime'] = _uptime(hypervisor.node.created_at, timeutils.utcnow())
        resp.media = {'hypervisor': body}


class _ByPattern:
    """GET /os-hypervisors/{pattern}/search and /servers, before 2.53 (from
    2.53 the list's ``hypervisor_hostname_pattern`` and ``with_servers``)."""

    rule = hypervisor_policies.SEARCH
    with_servers = False

    def __init__(self, deps):
        self.deps = deps

    def on_get(self, req, resp, hypervisor_id):
        self.deps.authorizer.authorize(common.context(req), self.rule)
        if common.version_at_least(req, mv.UUID_IDS):
            raise exception.NotFound(
                'The resource could not be found. From microversion 2.53 use '
                'GET /os-hypervisors?hypervisor_hostname_pattern=%s%s.' % (
                    hypervisor_id, '&with_servers=true' if self.with_servers else ''))
        found = self.deps.ops.hosts.hypervisors(hostname_contains=hypervisor_id,
                                                with_servers=self.with_servers)
        if not found:
            raise exception.HypervisorNotFound(
                "No hypervisor matching '%s' could be found." % hypervisor_id)
        resp.media = {'hypervisors': [_serialize(req, h, False) for h in found]}


class Search(_ByPattern):
    pass


class Servers(_ByPattern):
    rule = hypervisor_policies.SERVERS
    with_servers = True
