"""The migrate action. Three rules, checked in this order, so that a
deployer can open each step separately:

* ``migrate``: move a server, the scheduler picks the host. Nova opens it
  to the project manager: moving a server (for example off a host the
  project knows is busy) is a project decision, not a placement one.
* ``migrate:host``: name the destination. Choosing a host needs knowing the
  hosts, so administrators only.
* ``migrate:force``: migrator's own, past the scheduler's filters (capacity,
  host up and not-the-source still hold). Overriding the scheduler is the
  administrator's call.

Nova checks only ``migrate:host`` when a host is named; migrator checks
``migrate`` too, so that no override of one rule grants more than the other
allows. With the defaults the decisions are the same.
"""

from migrator.api.policies import base

PREFIX = 'os_compute_api:os-migrate-server:%s'

MIGRATE = PREFIX % 'migrate'
MIGRATE_HOST = PREFIX % 'migrate:host'
MIGRATE_FORCE = PREFIX % 'migrate:force'

_MIGRATE = [('POST', '/servers/{server_id}/action (migrate)')]

rules = [
    base.rule(MIGRATE, base.PROJECT_MANAGER_OR_ADMIN,
              'Cold migrate a server; the scheduler picks the host. The '
              "project manager may move its project's servers.", _MIGRATE,
              base.deprecated(MIGRATE, base.LEGACY_ADMIN)),
    base.rule(MIGRATE_HOST, base.ADMIN,
              'Cold migrate a server to a named host (2.56); checked after '
              '%s. Naming a host needs knowing the hosts: administrators '
              'only.' % MIGRATE, _MIGRATE,
              base.deprecated(MIGRATE_HOST, base.LEGACY_ADMIN)),
    base.rule(MIGRATE_FORCE, base.ADMIN,
              'Cold migrate a server to a named host past the scheduler '
              'filters (2.56, "force": true); checked after %s. Capacity, '
              'host up and not-the-source still hold. Overriding the '
              'scheduler is for administrators.' % MIGRATE_HOST, _MIGRATE,
              base.deprecated(MIGRATE_FORCE, base.LEGACY_ADMIN)),
]
