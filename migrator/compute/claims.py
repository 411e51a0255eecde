"""Resource claims: the arithmetic, and the transactions that never overcommit.

Allocations are rows keyed by consumer (an instance or a migration uuid) and
compute node. Every function that changes them runs inside one writer
transaction, locks the node rows it touches (in id order) and keeps the
node's ``*_used`` columns and ``generation`` in step with the rows.
"""

import dataclasses
import math

import sqlalchemy as sa
from sqlalchemy import orm

from migrator import exception
from migrator.db import api as db_api
from migrator.db import models

RESOURCE_CLASSES = ('VCPU', 'MEMORY_MB', 'DISK_GB')

# resource class -> (total column, reserved column, ratio column, used column)
_COLUMNS = {
    'VCPU': ('vcpus', 'reserved_vcpus', 'cpu_allocation_ratio', 'vcpus_used'),
    'MEMORY_MB': ('memory_mb', 'reserved_memory_mb', 'ram_allocation_ratio',
                  'memory_mb_used'),
    'DISK_GB': ('local_gb', 'reserved_disk_gb', 'disk_allocation_ratio',
                'local_gb_used'),
}
_ALLOCATION_FIELD = {'VCPU': 'vcpus', 'MEMORY_MB': 'memory_mb',
                     'DISK_GB': 'disk_gb'}


@dataclasses.dataclass(frozen=True)
class Resources:
    """What one server consumes on the host it runs on."""
    vcpus: int
    memory_mb: int
    disk_gb: int

    @classmethod
    def from_flavor(cls, flavor: dict) -> 'Resources':
        return cls(vcpus=int(flavor['vcpus']),
                   memory_mb=int(flavor['memory_mb']),
                   disk_gb=int(flavor.get('root_gb', 0))
                   + int(flavor.get('ephemeral_gb', 0)))

    @classmethod
    def from_allocation(cls, allocation: models.Allocation) -> 'Resources':
        return cls(allocation.vcpus, allocation.memory_mb, allocation.disk_gb)

    def amount(self, resource_class: str) -> int:
        return getattr(self, _ALLOCATION_FIELD[resource_class])


def capacity(node, resource_class: str) -> int:
    """``(total - reserved) * ratio``, rounded down."""
    total, reserved, ratio, _used = _COLUMNS[resource_class]
    value = (getattr(node, total) - getattr(node, reserved)) * getattr(node, ratio)
    return max(int(math.floor(value + 1e-9)), 0)


def used(node, resource_class: str) -> int:
    return getattr(node, _COLUMNS[resource_class][3])


def free(node, resource_class: str) -> int:
    return capacity(node, resource_class) - used(node, resource_class)


def ratio(node, resource_class: str) -> float:
    return getattr(node, _COLUMNS[resource_class][2])


def shortfalls(node, request: Resources) -> list[str]:
    """One reason per resource class the node cannot fit; empty if it fits."""
    reasons = []
    for rc in RESOURCE_CLASSES:
        wanted = request.amount(rc)
        if wanted and wanted > free(node, rc):
            reasons.append('%s needs %d, %d free of %d at ratio %g'
                           % (rc, wanted, free(node, rc), capacity(node, rc),
                              ratio(node, rc)))
    return reasons


def _apply(node: models.ComputeNode, delta: Resources, sign: int) -> None:
    node.vcpus_used += sign * delta.vcpus
    node.memory_mb_used += sign * delta.memory_mb
    node.local_gb_used += sign * delta.disk_gb
    node.generation += 1


def _node_by_host(session: orm.Session, host: str) -> models.ComputeNode:
    node = session.scalar(sa.select(models.ComputeNode.id)
                          .where(models.ComputeNode.host == host))
    if node is None:
        raise exception.ComputeHostNotFound(host=host)
    return node


def _holders(session: orm.Session, node_id: int) -> str:
    count, newest = session.execute(
        sa.select(sa.func.count(models.Allocation.id),
                  sa.func.max(models.Allocation.id))
        .where(models.Allocation.node_id == node_id)).one()
    if not count:
        return 'no allocations'
    consumer = session.scalar(sa.select(models.Allocation.consumer_uuid)
                              .where(models.Allocation.id == newest))
    return '%d allocation(s) hold it, the latest by %s' % (count, consumer)


def _check_fits(session, node, request: Resources) -> None:
    reasons = shortfalls(node, request)
    if reasons:
        raise exception.InsufficientResources(
            host=node.host,
            reason='; '.join(reasons) + ' (%s)' % _holders(session, node.id))


def claim(session: orm.Session, locks_rows: bool, host: str, consumer_uuid: str,
          request: Resources, consumer_type: str = 'instance') -> models.ComputeNode:
    """Allocate ``request`` on ``host`` for a consumer (a boot)."""
    node_id = _node_by_host(session, host)
    node = db_api.lock_nodes(session, [node_id], locks_rows)[node_id]
    _check_fits(session, node, request)
    session.add(models.Allocation(consumer_uuid=consumer_uuid,
                                  consumer_type=consumer_type, node_id=node.id,
                                  vcpus=request.vcpus,
                                  memory_mb=request.memory_mb,
                                  disk_gb=request.disk_gb))
    _apply(node, request, +1)
    return node


def claim_for_migration(session: orm.Session, locks_rows: bool,
                        instance_uuid: str, migration_uuid: str,
                        source_host: str, dest_host: str,
                        request: Resources) -> models.ComputeNode:
    """Move the instance's claim to ``dest_host`` and let the migration hold
    the source: instance consumer on the destination, migration on the source.
    """
    source_id = _node_by_host(session, source_host)
    dest_id = _node_by_host(session, dest_host)
    nodes = db_api.lock_nodes(session, [source_id, dest_id], locks_rows)
    dest = nodes[dest_id]
    _check_fits(session, dest, request)
    held = session.scalars(
        sa.select(models.Allocation)
        .where(models.Allocation.consumer_uuid == instance_uuid)).all()
    for allocation in held:
        if allocation.node_id != source_id:
            raise exception.InstanceStateChanged(
                instance_id=instance_uuid,
                state='holding resources on another host')
        allocation.consumer_uuid = migration_uuid
        allocation.consumer_type = 'migration'
        nodes[source_id].generation += 1
    session.flush()
    session.add(models.Allocation(consumer_uuid=instance_uuid,
                                  consumer_type='instance', node_id=dest.id,
                                  vcpus=request.vcpus,
                                  memory_mb=request.memory_mb,
                                  disk_gb=request.disk_gb))
    _apply(dest, request, +1)
    return dest


def settle(session: orm.Session, locks_rows: bool, instance_uuid: str,
           migration_uuid: str, home_host: str | None) -> None:
    """End a move: the instance keeps one allocation, on ``home_host``.

    Confirm settles on the destination, revert and failure on the source.
    The allocation kept is one that already exists (the instance's own if it
    is on ``home_host``, else the migration's, handed back to the instance),
    so settling never adds usage to a host and cannot overcommit it.
    """
    rows = session.scalars(
        sa.select(models.Allocation)
        .where(models.Allocation.consumer_uuid.in_([instance_uuid,
                                                     migration_uuid]))).all()
    if not rows:
        return
    home_id = None
    if home_host is not None:
        home_id = session.scalar(sa.select(models.ComputeNode.id)
                                 .where(models.ComputeNode.host == home_host))
    nodes = db_api.lock_nodes(session, [r.node_id for r in rows], locks_rows)
    on_home = [r for r in rows if r.node_id == home_id]
    keep = None
    if on_home:
        keep = min(on_home, key=lambda r: r.consumer_uuid != instance_uuid)
    for row in rows:
        if row is keep:
            continue
        _apply(nodes[row.node_id], Resources.from_allocation(row), -1)
        session.delete(row)
    if keep is not None and keep.consumer_uuid != instance_uuid:
        session.flush()
        keep.consumer_uuid = instance_uuid
        keep.consumer_type = 'instance'
        nodes[keep.node_id].generation += 1


def release(session: orm.Session, locks_rows: bool, consumer_uuid: str) -> None:
    """Free everything a consumer holds (a deleted server)."""
    rows = session.scalars(sa.select(models.Allocation)
                           .where(models.Allocation.consumer_uuid
                                  == consumer_uuid)).all()
    if not rows:
        return
    nodes = db_api.lock_nodes(session, [r.node_id for r in rows], locks_rows)
    for row in rows:
        _apply(nodes[row.node_id], Resources.from_allocation(row), -1)
        session.delete(row)
