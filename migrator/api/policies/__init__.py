"""Policy defaults in code, one module per entity, rule names as constants.

The defaults are Nova's (nova/policies/), built from the personas of
``base``. Rules of the Nova API keep Nova's names (``os_compute_api:...``).
Rules of migrator's own API (under ``/migrator/``) are named

    migrator:<collection>:<action>[:<widening>]

``<collection>`` is the path segment under ``/migrator/`` (``capacity``,
``migrations``, ``migration-checks``, ``drains``); ``<action>`` is
``index`` (GET the collection), ``show`` (GET one), ``create`` (POST),
``update`` (PUT) or ``delete`` (DELETE); a ``<widening>`` suffix is a rule
checked after its action for what a stronger persona sees or reaches
beyond it (``host``: host names; ``all_projects``: other projects), as
Nova's ``os-migrations:index:host``.
"""

import itertools

from migrator.api.policies import (
    admin_actions,
    aggregates,
    availability_zone,
    base,
    capacity,
    drains,
    extended_server_attributes,
    flavor_access,
    flavor_extra_specs,
    flavor_manage,
    flavors,
    hypervisors,
    instance_actions,
    limits,
    lock_server,
    migrate_server,
    migration_checks,
    migration_records,
    migrations,
    server_groups,
    server_migrations,
    servers,
    services,
)

# In the order the sample file and the reference list them.
MODULES = (base, servers, extended_server_attributes, lock_server,
           admin_actions, migrate_server, server_migrations, migrations,
           instance_actions, flavors, flavor_manage, flavor_extra_specs,
           flavor_access, hypervisors, services, aggregates,
           availability_zone, server_groups, limits, capacity,
           migration_records, migration_checks, drains)


def list_rules():
    return list(itertools.chain.from_iterable(m.rules for m in MODULES))
