"""Invariants of the whole database, checked by ``migrator-manage audit``
and by the tests after every race and every injected failure.

* no host is over capacity, and each node's usage columns equal the sum of
  its allocation rows;
* a server holds exactly one allocation (two while a move is in flight or
  waits in VERIFY_RESIZE: the instance on the destination, the migration
  on the source), on the host it runs on;
* no allocation belongs to a consumer that is gone or finished;
* no migration sits in a non-terminal status past ``migration_timeout``.
"""

import collections
import dataclasses
import datetime

import sqlalchemy as sa

from migrator.compute import claims, states
from migrator.db import models


@dataclasses.dataclass
class Problem:
    kind: str
    subject: str
    detail: str
    fixable: bool = False

    def __str__(self) -> str:
        return '%s %s: %s' % (self.kind, self.subject, self.detail)


def find_problems(session, migration_timeout: int | None = None) -> list[Problem]:
    problems: list[Problem] = []
    nodes = {n.id: n for n in session.scalars(sa.select(models.ComputeNode))}
    allocations = list(session.scalars(sa.select(models.Allocation)))
    instances = {i.uuid: i for i in session.scalars(sa.select(models.Instance))}
    migrations = {m.uuid: m for m in session.scalars(sa.select(models.Migration))}

    sums: dict = collections.defaultdict(lambda: [0, 0, 0])
    by_consumer: dict = collections.defaultdict(list)
    for allocation in allocations:
        total = sums[allocation.node_id]
        total[0] += allocation.vcpus
        total[1] += allocation.memory_mb
        total[2] += allocation.disk_gb
        by_consumer[allocation.consumer_uuid].append(allocation)

    for node in nodes.values():
        counted = sums.get(node.id, [0, 0, 0])
        recorded = [node.vcpus_used, node.memory_mb_used, node.local_gb_used]
        if counted != recorded:
            problems.append(Problem(
                'usage-mismatch', node.host,
                'usage columns say VCPU/MEMORY_MB/DISK_GB %s, allocation rows '
                'sum to %s' % (recorded, counted), fixable=True))
        inventories = claims.inventories(node)
        for rc, used in zip(claims.RESOURCE_CLASSES, counted):
            capacity = inventories[rc].capacity
            if used > capacity:
                problems.append(Problem(
                    'over-capacity', node.host, '%s used %d > capacity %d'
                    % (rc, used, capacity)))

    in_flight = {m.instance_uuid: m for m in migrations.values()
                 if m.status not in states.MIGRATION_TERMINAL}
    for uuid, instance in instances.items():
        held = by_consumer.get(uuid, [])
        if instance.vm_state in (states.BUILDING, states.ERROR) and not instance.host:
            if held:
                problems.append(Problem('unexpected-allocation', uuid,
                                        'server without a host holds %d '
                                        'allocation(s)' % len(held)))
            continue
        if instance.vm_state == states.BUILDING and not held:
            continue
        if len(held) != 1:
            problems.append(Problem('allocation-count', uuid,
                                    'server holds %d allocations, expected 1'
                                    % len(held)))
            continue
        move = in_flight.get(uuid)
        node = nodes.get(held[0].node_id)
        expected_host = instance.host
        if move is not None and move.status in (states.PRE_MIGRATING,
                                                states.MIGRATING,
                                                states.POST_MIGRATING):
            expected_host = move.dest_compute
        if node is not None and node.host != expected_host:
            problems.append(Problem('allocation-host', uuid,
                                    'allocation on %s, server on %s'
                                    % (node.host, expected_host)))
        if move is not None:
            held_by_move = by_consumer.get(move.uuid, [])
            hosts = [nodes[a.node_id].host for a in held_by_move if a.node_id in nodes]
            if hosts != [move.source_compute]:
                problems.append(Problem('allocation-count', move.uuid,
                                        'in-flight migration holds %s, '
                                        'expected one allocation on %s' % (
                                            hosts or 'nothing',
                                            move.source_compute)))

    for consumer, held in by_consumer.items():
        if consumer in instances:
            continue
        migration = migrations.get(consumer)
        if migration is not None and migration.status not in states.MIGRATION_TERMINAL \
                and migration.instance_uuid in instances:
            continue
        problems.append(Problem(
            'orphan-allocation', consumer,
            '%d allocation(s) on %s belong to %s' % (
                len(held), ', '.join(sorted(nodes[a.node_id].host for a in held)),
                'migration %s' % migration.status if migration else
                'no server or migration'), fixable=True))

    if migration_timeout is not None:
        cutoff = models.utcnow() - datetime.timedelta(seconds=migration_timeout)
        for migration in migrations.values():
            if migration.status in states.MIGRATION_IN_PROGRESS and \
                    migration.last_progress_at and migration.last_progress_at < cutoff:
                problems.append(Problem(
                    'stuck-migration', migration.uuid,
                    'status %s with no progress since %s' % (
                        migration.status, migration.last_progress_at.isoformat()),
                    fixable=True))
    return problems


def repair(session, problems: list[Problem]) -> list[str]:
    """Repair what is safe to repair; return what was done.

    Stuck migrations are failed (their claims settle where the server runs),
    orphan allocations are deleted, and usage columns are recomputed from
    the allocation rows. Over-capacity and wrong allocation counts need an
    operator's decision and are only reported.
    """
    from migrator import exception
    from migrator.objects import migration as migration_mod

    done = []
    for problem in problems:
        if problem.kind == 'stuck-migration':
            migration = migration_mod.get_migration(session, problem.subject)
            reason = 'failed by migrator-manage audit --fix: %s' % problem.detail
            migration_mod.fail_migration(session, migration.instance_uuid,
                                         migration.uuid, reason,
                                         exception.MigratorException(reason), None)
            done.append('migration %s set to error, claims settled' % problem.subject)
    session.flush()
    for problem in problems:
        if problem.kind == 'orphan-allocation':
            session.execute(sa.delete(models.Allocation)
                            .where(models.Allocation.consumer_uuid == problem.subject))
            done.append('deleted allocations of %s' % problem.subject)
    session.flush()
    for node in session.scalars(sa.select(models.ComputeNode)):
        vcpus, memory, disk = session.execute(
            sa.select(sa.func.coalesce(sa.func.sum(models.Allocation.vcpus), 0),
                      sa.func.coalesce(sa.func.sum(models.Allocation.memory_mb), 0),
                      sa.func.coalesce(sa.func.sum(models.Allocation.disk_gb), 0))
            .where(models.Allocation.node_id == node.id)).one()
        if [node.vcpus_used, node.memory_mb_used, node.local_gb_used] != \
                [vcpus, memory, disk]:
            node.vcpus_used, node.memory_mb_used, node.local_gb_used = vcpus, memory, disk
            node.generation += 1
            done.append('recomputed usage of %s' % node.host)
    return done
