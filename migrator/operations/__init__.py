"""The operations layer: what a boot, a move, a check and a drain are.

API resources, the conductor's tasks, drains and periodic jobs call these
with a RequestContext and get domain objects or domain errors back; the
layer knows nothing of HTTP. It reads and writes through ``migrator.db``
and ``migrator.objects`` (the state layer) and reaches other services
through their RPC clients.
"""

import dataclasses

from migrator.compute import rpcapi as compute_rpcapi
from migrator.conductor import rpcapi as conductor_rpcapi
from migrator.operations import (
    aggregates,
    checks,
    drains,
    flavors,
    hosts,
    instance_actions,
    limits,
    migrations,
    moves,
    server_groups,
    servers,
)
from migrator.scheduler import rpcapi as scheduler_rpcapi


@dataclasses.dataclass
class Operations:
    servers: servers.Servers
    moves: moves.Moves
    hosts: hosts.Hosts
    flavors: flavors.Flavors
    aggregates: aggregates.Aggregates
    server_groups: server_groups.ServerGroups
    migrations: migrations.Migrations
    instance_actions: instance_actions.InstanceActions
    checks: checks.MigrationChecks
    drains: drains.Drains
    limits: limits.Limits


def build(conf, db, messaging, call_timeout: int | None = None) -> Operations:
    """Every operation over one database and transport. ``call_timeout``
    bounds the conductor calls a move waits on."""
    conductor_api = conductor_rpcapi.ConductorAPI(messaging, conf,
                                                  timeout=call_timeout)
    compute_api = compute_rpcapi.ComputeAPI(messaging, conf)
    scheduler_api = scheduler_rpcapi.SchedulerAPI(messaging, conf)
    return Operations(
        servers=servers.Servers(conf, db, conductor_api, compute_api),
        moves=moves.Moves(conf, db, conductor_api, compute_api),
        hosts=hosts.Hosts(conf, db),
        flavors=flavors.Flavors(db),
        aggregates=aggregates.Aggregates(db),
        server_groups=server_groups.ServerGroups(db),
        migrations=migrations.Migrations(db),
        instance_actions=instance_actions.InstanceActions(db),
        checks=checks.MigrationChecks(conf, db, scheduler_api),
        drains=drains.Drains(conf, db, scheduler_api, messaging),
        limits=limits.Limits(db),
    )
