"""os-hypervisors: capacity, usage and free space of every compute host."""

import sqlalchemy as sa

from migrator import exception
from migrator.api import microversion as mv
from migrator.api.resources import base
from migrator.api.schemas import types
from migrator.compute import claims
from migrator.db import models
from migrator.scheduler import host_state

POLICY = 'os_compute_api:os-hypervisors'

index_query = {
    'type': 'object',
    'properties': {
        'limit': types.non_negative_integer,
        'marker': {'type': 'string'},
        'hypervisor_hostname_pattern': {'type': 'string', 'maxLength': 255},
        'with_servers': types.boolean,
    },
    'additionalProperties': True,
}


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
            .where(models.Instance.host.in_(hosts))):
        result.setdefault(host, []).append({'uuid': uuid, 'name': name})
    return result


def _serialize(req, node, running, down_time, detail, servers=None) -> dict:
    service = node.service
    uuid_ids = base.version_at_least(req, mv.UUID_IDS)
    body = {
        'id': node.uuid if uuid_ids else node.id,
        'hypervisor_hostname': node.host,
        'state': 'up' if host_state.service_is_up(service, down_time) else 'down',
        'status': 'disabled' if service and service.disabled else 'enabled',
    }
    if servers is not None:
        body['servers'] = servers
    if not detail:
        return body
    free_ram = node.memory_mb - node.memory_mb_used
    free_disk = node.local_gb - node.local_gb_used
    body.update({
        'hypervisor_type': node.hypervisor_type,
        'hypervisor_version': 1000,
        'host_ip': node.host_ip,
        'vcpus': node.vcpus, 'memory_mb': node.memory_mb, 'local_gb': node.local_gb,
        'vcpus_used': node.vcpus_used, 'memory_mb_used': node.memory_mb_used,
        'local_gb_used': node.local_gb_used,
        'free_ram_mb': free_ram, 'free_disk_gb': free_disk,
        'disk_available_least': free_disk,
        'current_workload': 0,
        'running_vms': running,
        'cpu_info': '{}',
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


class Collection:
    detail = False

    def __init__(self, deps):
        self.deps = deps

    def on_get(self, req, resp):
        self.deps.authorizer.authorize(base.context(req), POLICY)
        params = base.query(req, index_query)
        node_filter = None
        pattern = params.get('hypervisor_hostname_pattern')
        if pattern:
            node_filter = models.ComputeNode.host.contains(pattern)

        def run(session):
            nodes, counts = _rows(session, node_filter)
            if 'marker' in params:
                ids = [str(n.uuid if base.version_at_least(req, mv.UUID_IDS) else n.id)
                       for n in nodes]
                if params['marker'] not in ids:
                    raise exception.Invalid(reason='marker [%s] not found'
                                            % params['marker'])
                nodes = nodes[ids.index(params['marker']) + 1:]
            if 'limit' in params:
                nodes = nodes[:int(params['limit'])]
            servers = None
            if types.parse_bool(params.get('with_servers', False)):
                servers = _servers_on(session, [n.host for n in nodes])
            return nodes, counts, servers
        nodes, counts, servers = self.deps.db.read(run)
        if pattern and not nodes:
            raise exception.HypervisorNotFound(hypervisor_id=pattern)
        down_time = self.deps.conf.service_down_time
        resp.media = {'hypervisors': [
            _serialize(req, n, counts.get(n.id, 0), down_time, self.detail,
                       None if servers is None else servers.get(n.host, []))
            for n in nodes]}


class Detail(Collection):
    detail = True


class Statistics:
    def __init__(self, deps):
        self.deps = deps

    def on_get(self, req, resp):
        self.deps.authorizer.authorize(base.context(req), POLICY)
        nodes, counts = self.deps.db.read(_rows)
        total = {k: sum(getattr(n, k) for n in nodes) for k in (
            'vcpus', 'memory_mb', 'local_gb', 'vcpus_used', 'memory_mb_used',
            'local_gb_used')}
        total.update(count=len(nodes),
                     free_ram_mb=total['memory_mb'] - total['memory_mb_used'],
                     free_disk_gb=total['local_gb'] - total['local_gb_used'],
                     disk_available_least=total['local_gb'] - total['local_gb_used'],
                     current_workload=0, running_vms=sum(counts.values()))
        resp.media = {'hypervisor_statistics': total}


class Item:
    def __init__(self, deps):
        self.deps = deps

    def on_get(self, req, resp, hypervisor_id):
        self.deps.authorizer.authorize(base.context(req), POLICY)
        if base.version_at_least(req, mv.UUID_IDS):
            base.check_uuid(hypervisor_id, exception.HypervisorNotFound,
                            hypervisor_id=hypervisor_id)
            node_filter = models.ComputeNode.uuid == hypervisor_id
        else:
            if not hypervisor_id.isdigit():
                raise exception.HypervisorNotFound(hypervisor_id=hypervisor_id)
            node_filter = models.ComputeNode.id == int(hypervisor_id)
        nodes, counts = self.deps.db.read(_rows, node_filter)
        if not nodes:
            raise exception.HypervisorNotFound(hypervisor_id=hypervisor_id)
        node = nodes[0]
        resp.media = {'hypervisor': _serialize(req, node, counts.get(node.id, 0),
                                               self.deps.conf.service_down_time,
                                               True)}
