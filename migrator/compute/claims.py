"""Resource claims: the one capacity arithmetic, and the transactions that
never overcommit.

A host's room for a resource class is ``floor((total - reserved) * ratio)
- used`` (``Inventory``). The claim, the scheduler's CapacityFilter, its SQL
pre-filter and ranking (``free_expression``) and the audit all read it from
here, and a refusal is a ``Shortfall`` value that names the numbers.

Allocations are rows keyed by consumer (an instance or a migration uuid) and
compute node. Every function that changes them runs inside one writer
transaction, locks the node rows it touches (in id order) and keeps the
node's ``*_used`` columns and ``generation`` in step with the rows.
"""

import dataclasses

import sqlalchemy as sa
from sqlalchemy import orm

from migrator import exception
from migrator.db import models

RESOURCE_CLASSES = ('VCPU', 'MEMORY_MB', 'DISK_GB')


@dataclasses.dataclass(frozen=True)
class Columns:
    """Where one resource class lives on a compute node row."""
    total: str
    reserved: str
    ratio: str
    used: str


COLUMNS = {
    'VCPU': Columns('vcpus', 'reserved_vcpus', 'cpu_allocation_ratio',
                    'vcpus_used'),
    'MEMORY_MB': Columns('memory_mb', 'reserved_memory_mb',
                         'ram_allocation_ratio', 'memory_mb_used'),
    'DISK_GB': Columns('local_gb', 'reserved_disk_gb', 'disk_allocation_ratio',
                       'local_gb_used'),
}
_ALLOCATION_FIELD = {'VCPU': 'vcpus', 'MEMORY_MB': 'memory_mb',
                     'DISK_GB': 'disk_gb'}
# Added before rounding down, so that 1000 * 1.3333 is not 1332.99... .
_EPSILON = 1e-9


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
    def from_allocation(cls, allocation) -> 'Resources':
        return cls(allocation.vcpus, allocation.memory_mb, allocation.disk_gb)

    def amount(self, resource_class: str) -> int:
        return getattr(self, _ALLOCATION_FIELD[resource_class])


@dataclasses.dataclass(slots=True)
class Inventory:
    """One resource class of one host, as the arithmetic reads it:
    ``capacity`` is ``(total - reserved) * ratio``, rounded down, never
    below 0; ``free`` is what a claim may still take.

    Read-only by convention, not frozen: the scheduler builds one per
    resource class of every host it reads, and a frozen dataclass's
    ``__init__`` costs several times a plain one's.
    """
    resource_class: str
    total: int
    reserved: int
    allocation_ratio: float
    used: int
    capacity: int = dataclasses.field(init=False)
    free: int = dataclasses.field(init=False)

    def __post_init__(self):
        # floor() of a non-negative value is int(); below 0 it is 0 anyway.
        capacity = int((self.total - self.reserved) * self.allocation_ratio + _EPSILON)
        self.capacity = capacity if capacity > 0 else 0
        self.free = self.capacity - self.used

    def shortfall(self, requested: int) -> 'Shortfall | None':
        """What is missing for ``requested``, or None when it fits."""
        if not requested or requested <= self.free:
            return None
        return Shortfall(self.resource_class, requested, self.free,
                         self.capacity, self.allocation_ratio, self.reserved)


@dataclasses.dataclass(frozen=True)
class Shortfall:
    """A resource class a host cannot fit, with the numbers that say so."""
    resource_class: str
    requested: int
    free: int
    capacity: int
    allocation_ratio: float
    reserved: int

    @property
    def message(self) -> str:
        return '%s needs %d, %d free of %d at ratio %g' % (
            self.resource_class, self.requested, self.free, self.capacity,
            self.allocation_ratio)

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, values: dict) -> 'Shortfall':
        return cls(**values)


def inventory(node, resource_class: str) -> Inventory:
    """The inventory of ``resource_class`` on a compute node row."""
    columns = COLUMNS[resource_class]
    return Inventory(resource_class, getattr(node, columns.total),
                     getattr(node, columns.reserved),
                     getattr(node, columns.ratio), getattr(node, columns.used))


def inventories(node) -> dict[str, Inventory]:
    return {rc: inventory(node, rc) for rc in RESOURCE_CLASSES}


def inventories_of(values) -> dict[str, Inventory]:
    """The inventories of a host from its columns' values, in the order of
    ``RESOURCE_CLASSES`` and, for each, of ``Columns``' fields (total,
    reserved, ratio, used): what the scheduler reads for every host."""
    return {rc: Inventory(rc, *values[at:at + 4])
            for at, rc in zip(range(0, 4 * len(RESOURCE_CLASSES), 4),
                              RESOURCE_CLASSES)}


def shortfalls(inventories_: dict, request: Resources) -> list[Shortfall]:
    """Every resource class ``request`` does not fit; empty when it fits."""
    found = []
    for rc in RESOURCE_CLASSES:
        missing = inventories_[rc].shortfall(request.amount(rc))
        if missing is not None:
            found.append(missing)
    return found


def free_expression(resource_class: str, dialect_name: str):
    """``Inventory.free`` of a compute node row, as a SQL expression."""
    columns = COLUMNS[resource_class]
    node = models.ComputeNode
    raw = ((getattr(node, columns.total) - getattr(node, columns.reserved))
           * getattr(node, columns.ratio) + _EPSILON)
    # SQLite's CAST truncates (floor, for what is not negative); PostgreSQL's
    # and MySQL's round, so they get floor().
    capacity = (sa.cast(raw, sa.Integer) if dialect_name == 'sqlite'
                else sa.func.floor(raw))
    return sa.case((raw < 0, 0), else_=capacity) - getattr(node, columns.used)


_NODES = models.ComputeNode.__table__
_ALLOCATIONS = models.Allocation.__table__
# Built once: a claim or a settle runs on every move.
_LOCK_NODES = (sa.select(_NODES)
               .where(_NODES.c.id.in_(sa.bindparam('b_ids', expanding=True)))
               .order_by(_NODES.c.id).with_for_update())
_LOCK_HOSTS = (sa.select(_NODES)
               .where(_NODES.c.host.in_(sa.bindparam('b_hosts', expanding=True)))
               .order_by(_NODES.c.id).with_for_update())
_HELD = sa.select(_ALLOCATIONS).where(_ALLOCATIONS.c.consumer_uuid.in_(
    sa.bindparam('b_consumers', expanding=True)))
_USAGE = _NODES.update().where(_NODES.c.id == sa.bindparam('b_id')).values(
    vcpus_used=_NODES.c.vcpus_used + sa.bindparam('b_vcpus'),
    memory_mb_used=_NODES.c.memory_mb_used + sa.bindparam('b_memory_mb'),
    local_gb_used=_NODES.c.local_gb_used + sa.bindparam('b_disk_gb'),
    generation=_NODES.c.generation + 1)
_NEW_GENERATION = _NODES.update().where(_NODES.c.id == sa.bindparam('b_id')).values(
    generation=_NODES.c.generation + 1)
_HAND_OVER = _ALLOCATIONS.update().where(_ALLOCATIONS.c.id == sa.bindparam('b_id'))
_DROP = _ALLOCATIONS.delete().where(_ALLOCATIONS.c.id == sa.bindparam('b_id'))
_ADD = _ALLOCATIONS.insert()


def lock_nodes(connection, node_ids) -> dict:
    """The compute node rows, locked for update in id order so lockers
    never deadlock.

    SQLite renders FOR UPDATE as nothing: its writer transaction already
    holds the database lock from BEGIN IMMEDIATE."""
    rows = connection.execute(_LOCK_NODES, {'b_ids': sorted(set(node_ids))})
    return {row.id: row for row in rows}


def lock_hosts(connection, hosts) -> dict:
    """``lock_nodes`` found by host name: host -> its node row, locked in
    the same order; a host with no node is missing from the answer."""
    rows = connection.execute(_LOCK_HOSTS, {'b_hosts': sorted(set(hosts))})
    return {row.host: row for row in rows}


def _locked_node(nodes: dict, host: str):
    """The row ``lock_hosts`` found for ``host``; a host deleted meanwhile
    is not found."""
    node = nodes.get(host)
    if node is None:
        raise exception.ComputeHostNotFound(host=host)
    return node


def _apply(connection, node_id: int, delta: Resources, sign: int) -> None:
    """The node's usage changed by ``delta`` (added or taken off), and its
    generation bumped; the node is locked."""
    connection.execute(_USAGE, {'b_id': node_id, 'b_vcpus': sign * delta.vcpus,
                                'b_memory_mb': sign * delta.memory_mb,
                                'b_disk_gb': sign * delta.disk_gb})


def _hand_over(connection, allocation, consumer_uuid: str, consumer_type: str):
    connection.execute(_HAND_OVER, {'b_id': allocation.id,
                                    'consumer_uuid': consumer_uuid,
                                    'consumer_type': consumer_type})
    connection.execute(_NEW_GENERATION, {'b_id': allocation.node_id})


def _add(connection, consumer_uuid, consumer_type, node_id, request) -> None:
    connection.execute(_ADD, {'consumer_uuid': consumer_uuid,
                              'consumer_type': consumer_type, 'node_id': node_id,
                              'vcpus': request.vcpus,
                              'memory_mb': request.memory_mb,
                              'disk_gb': request.disk_gb,
                              'created_at': models.utcnow()})


def _held(connection, consumers: list) -> list:
    return connection.execute(_HELD, {'b_consumers': consumers}).all()


def _holders(connection, node_id: int) -> str:
    count, newest = connection.execute(
        sa.select(sa.func.count(models.Allocation.id),
                  sa.func.max(models.Allocation.id))
        .where(models.Allocation.node_id == node_id)).one()
    if not count:
        return 'no allocations'
    consumer = connection.scalar(sa.select(models.Allocation.consumer_uuid)
                                 .where(models.Allocation.id == newest))
    return '%d allocation(s) hold it, the latest by %s' % (count, consumer)


def _check_fits(connection, node, request: Resources) -> None:
    missing = shortfalls(inventories(node), request)
    if missing:
        raise exception.InsufficientResources(
            host=node.host,
            reason='; '.join(s.message for s in missing)
            + ' (%s)' % _holders(connection, node.id))


# Every function below takes the writer's session (or ``db.api.Rows``)
# and works on its connection with Core statements: it neither reads nor
# leaves mapped objects, so what it changes is never shadowed by a stale
# one.

def claim(session: orm.Session, host: str, consumer_uuid: str,
          request: Resources, consumer_type: str = 'instance') -> None:
    """Allocate ``request`` on ``host`` for a consumer (a boot)."""
    connection = session.connection()
    node = _locked_node(lock_hosts(connection, [host]), host)
    _check_fits(connection, node, request)
    _add(connection, consumer_uuid, consumer_type, node.id, request)
    _apply(connection, node.id, request, +1)


def claim_for_migration(session: orm.Session, instance_uuid: str,
                        migration_uuid: str, source_host: str, dest_host: str,
                        request: Resources) -> None:
    """Move the instance's claim to ``dest_host`` and let the migration hold
    the source: instance consumer on the destination, migration on the source.
    """
    connection = session.connection()
    nodes = lock_hosts(connection, [source_host, dest_host])
    source_id = _locked_node(nodes, source_host).id
    dest = _locked_node(nodes, dest_host)
    dest_id = dest.id
    _check_fits(connection, dest, request)
    held = _held(connection, [instance_uuid])
    if any(allocation.node_id != source_id for allocation in held):
        raise exception.InstanceStateChanged(
            instance_id=instance_uuid, state='holding resources on another host')
    for allocation in held:
        _hand_over(connection, allocation, migration_uuid, 'migration')
    _add(connection, instance_uuid, 'instance', dest_id, request)
    _apply(connection, dest_id, request, +1)


def settle(session: orm.Session, instance_uuid: str, migration_uuid: str,
           home_host: str | None) -> None:
    """End a move: the instance keeps one allocation, on ``home_host``.

    Confirm settles on the destination, revert and failure on the source.
    The allocation kept is one that already exists (the instance's own if it
    is on ``home_host``, else the migration's, handed back to the instance),
    so settling never adds usage to a host and cannot overcommit it.
    """
    connection = session.connection()
    rows = _held(connection, [instance_uuid, migration_uuid])
    if not rows:
        return
    # The home host, when it holds any of them, is one of the nodes locked.
    locked = lock_nodes(connection, [r.node_id for r in rows])
    home_id = next((node.id for node in locked.values()
                    if node.host == home_host), None)
    on_home = [r for r in rows if r.node_id == home_id]
    keep = None
    if on_home:
        keep = min(on_home, key=lambda r: r.consumer_uuid != instance_uuid)
    for row in rows:
        if row is keep:
            continue
        _apply(connection, row.node_id, Resources.from_allocation(row), -1)
        connection.execute(_DROP, {'b_id': row.id})
    if keep is not None and keep.consumer_uuid != instance_uuid:
        _hand_over(connection, keep, instance_uuid, 'instance')


def release(session: orm.Session, consumer_uuid: str) -> None:
    """Free everything a consumer holds (a deleted server)."""
    connection = session.connection()
    rows = _held(connection, [consumer_uuid])
    if not rows:
        return
    lock_nodes(connection, [r.node_id for r in rows])
    for row in rows:
        _apply(connection, row.node_id, Resources.from_allocation(row), -1)
        connection.execute(_DROP, {'b_id': row.id})
