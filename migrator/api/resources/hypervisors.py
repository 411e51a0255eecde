"""os-hypervisors: capacity, usage and free space of every compute host."""

import sqlalchemy as sa

from migrator import exception
from migrator.api import microversion as mv
from migrator.api.policies import hypervisors as hypervisor_policies
from migrator.api.resources import base
from migrator.api.schemas import types
from migrator.compute import claims
from migrator.db import models
from migrator.scheduler import host_state

_paging = {'limit': types.non_negative_integer,
           'marker': {'type': 'string', 'maxLength': 255}}
# Before 2.33 Nova ignores every query parameter of these lists.
index_query = {'type': 'object', 'additionalProperties': True}
index_query_v233 = {'type': 'object', 'properties': dict(_paging),
                    'additionalProperties': True}
index_query_v253 = {
    'type': 'object',
    'properties': dict(_paging, hypervisor_hostname_pattern={
        'type': 'string', 'minLength': 1, 'maxLength': 255},
        with_servers=types.boolean),
    'additionalProperties': False,
}
show_query_v253 = {'type': 'object',
                   'properties': {'with_servers': types.boolean},
                   'additionalProperties': False}


def _index_query(req) -> dict:
    if base.version_at_least(req, mv.UUID_IDS):
        return index_query_v253
    if base.version_at_least(req, mv.HYPERVISOR_PAGING):
        return index_query_v233
    return index_query


def _rows(session, node_filter=None):
    stmt = sa.select(models.ComputeNode).order_by(models.ComputeNode.id)
    if node_filter is not None:
        stmt = stmt.where(node_filter)
    nodes = list(session.scalars(stmt))
    counts = dict(session.execute(
        sa.select(models.Allocation.node_id, sa.func.count(models.Allocation.id))
        .where(models.Allocation.consumer_type == 'instance')
        .group_by(models.Allocation.node_id)).all())
    return nodes, counts


def _servers_on(session, hosts):
    result: dict = {}
    for uuid, name, host in session.execute(
            sa.select(models.Instance.uuid, models.Instance.display_name,
                      models.Instance.host)
            .where(models.Instance.host.in_(hosts))
            .order_by(models.Instance.id)):
        result.setdefault(host, []).append({'name': name, 'uuid': uuid})
    return result


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
    return node.uuid if base.version_at_least(req, mv.UUID_IDS) else node.id


def _serialize(req, node, running, down_time, detail, servers=None) -> dict:
    service = node.service
    uuid_ids = base.version_at_least(req, mv.UUID_IDS)
    body = {
        'id': _node_id(req, node),
        'hypervisor_hostname': node.host,
        'state': 'up' if host_state.service_is_up(service, down_time) else 'down',
        'status': 'disabled' if service and service.disabled else 'enabled',
    }
    # Before 2.75 Nova leaves "servers" out when the host runs none.
    if servers:
        body['servers'] = servers
    if not detail:
        return body
    usage = _usage(node)
    body.update({
        'hypervisor_type': node.hypervisor_type,
        'hypervisor_version': 1000,
        'host_ip': node.host_ip,
        'vcpus': node.vcpus, 'memory_mb': node.memory_mb, 'local_gb': node.local_gb,
        **usage,
        'current_workload': 0,
        'running_vms': running,
        'cpu_info': ({} if base.version_at_least(req, mv.HYPERVISOR_CPU_INFO_OBJECT)
                     else '{}'),
        'service': {'host': node.host,
                    'id': (service.uuid if uuid_ids else service.id) if service else None,
                    'disabled_reason': service.disabled_reason if service else None},
        # Beyond Nova: what the scheduler and the claims actually work with.
        'migrator:capacity': {
            rc: {'total': getattr(node, claims._COLUMNS[rc][0]),
                 'reserved': getattr(node, claims._COLUMNS[rc][1]),
                 'allocation_ratio': claims.ratio(node, rc),
                 'capacity': claims.capacity(node, rc),
                 'used': claims.used(node, rc),
                 'free': claims.free(node, rc)}
            for rc in claims.RESOURCE_CLASSES},
    })
    return body


def _page(req, nodes, params):
    """Nova's limit/marker paging (from 2.33): marker is the last id seen."""
    if not base.version_at_least(req, mv.HYPERVISOR_PAGING):
        return nodes, None
    if 'marker' in params:
        ids = [str(_node_id(req, n)) for n in nodes]
        if params['marker'] not in ids:
            raise exception.Invalid('marker [%s] not found' % params['marker'])
        nodes = nodes[ids.index(params['marker']) + 1:]
    limit = None
    if 'limit' in params:
        limit = base.bounded_int(params['limit'])
        nodes = nodes[:limit]
    return nodes, limit


class Collection:
    """GET /os-hypervisors (and /detail): every compute node."""

    detail = False

    def __init__(self, deps):
        self.deps = deps

    def on_get(self, req, resp):
        self.deps.authorizer.authorize(base.context(req), hypervisor_policies.LIST_DETAIL
                                       if self.detail else hypervisor_policies.LIST)
        params = base.query(req, _index_query(req))
        since_253 = base.version_at_least(req, mv.UUID_IDS)
        pattern = params.get('hypervisor_hostname_pattern') if since_253 else None
        with_servers = since_253 and types.strict_bool(
            'with_servers', params.get('with_servers', False))
        if pattern and ('limit' in params or 'marker' in params):
            raise exception.Invalid('Paging over hypervisors with the '
                                    'hypervisor_hostname_pattern query '
                                    'parameter is not supported.')
        node_filter = models.ComputeNode.host.contains(pattern, autoescape=True) \
            if pattern else None

        def run(session):
            nodes, counts = _rows(session, node_filter)
            nodes, limit = _page(req, nodes, {} if pattern else params)
            servers = (_servers_on(session, [n.host for n in nodes])
                       if with_servers else {})
            return nodes, counts, servers, limit
        nodes, counts, servers, limit = self.deps.db.read(run)
        if pattern and not nodes:
            raise exception.HypervisorNotFound(
                "No hypervisor matching '%s' could be found." % pattern)
        down_time = self.deps.conf.service_down_time
        resp.media = {'hypervisors': [
            _serialize(req, n, counts.get(n.id, 0), down_time, self.detail,
                       servers.get(n.host))
            for n in nodes]}
        collection = 'os-hypervisors/detail' if self.detail else 'os-hypervisors'
        page_links = base.next_link(req, collection, resp.media['hypervisors'], limit)
        if page_links:
            resp.media['hypervisors_links'] = page_links


class Detail(Collection):
    detail = True


class Statistics:
    """GET /os-hypervisors/statistics: the sums over every node."""

    def __init__(self, deps):
        self.deps = deps

    def on_get(self, req, resp):
        self.deps.authorizer.authorize(base.context(req), hypervisor_policies.STATISTICS)
        nodes, counts = self.deps.db.read(_rows)
        total = {k: sum(getattr(n, k) for n in nodes)
                 for k in ('vcpus', 'memory_mb', 'local_gb')}
        usages = [_usage(n) for n in nodes]
        for key in ('vcpus_used', 'memory_mb_used', 'local_gb_used', 'free_ram_mb',
                    'free_disk_gb', 'disk_available_least'):
            total[key] = sum(u[key] for u in usages)
        total.update(count=len(nodes), current_workload=0,
                     running_vms=sum(counts.values()))
        resp.media = {'hypervisor_statistics': total}


class Item:
    """GET /os-hypervisors/{id}: an integer id before 2.53, a uuid from it."""

    def __init__(self, deps):
        self.deps = deps

    def on_get(self, req, resp, hypervisor_id):
        self.deps.authorizer.authorize(base.context(req), hypervisor_policies.SHOW)
        with_servers = False
        if base.version_at_least(req, mv.UUID_IDS):
            params = base.query(req, show_query_v253)
            with_servers = types.strict_bool('with_servers',
                                             params.get('with_servers', False))
            base.require_uuid(hypervisor_id)
            node_filter = models.ComputeNode.uuid == hypervisor_id
        else:
            number = (int(hypervisor_id) if hypervisor_id.isascii()
                      and hypervisor_id.isdigit() else None)
            if number is None or number > base.DB_INT_MAX:
                raise exception.HypervisorNotFound(hypervisor_id=hypervisor_id)
            node_filter = models.ComputeNode.id == number

        def run(session):
            nodes, counts = _rows(session, node_filter)
            servers = (_servers_on(session, [n.host for n in nodes])
                       if with_servers else {})
            return nodes, counts, servers
        nodes, counts, servers = self.deps.db.read(run)
        if not nodes:
            raise exception.HypervisorNotFound(hypervisor_id=hypervisor_id)
        node = nodes[0]
        resp.media = {'hypervisor': _serialize(req, node, counts.get(node.id, 0),
                                               self.deps.conf.service_down_time,
                                               True, servers.get(node.host))}
