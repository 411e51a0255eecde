"""Policy defaults in code, one module per entity."""

import itertools

from migrator.api.policies import (
    aggregates,
    availability_zone,
    base,
    flavors,
    hypervisors,
    instance_actions,
    migrate_server,
    migrations,
    server_groups,
    servers,
    services,
)


def list_rules():
    return list(itertools.chain(
        base.rules, servers.rules, migrate_server.rules, flavors.rules,
        hypervisors.rules, services.rules, aggregates.rules,
        availability_zone.rules, server_groups.rules, migrations.rules,
        instance_actions.rules))
