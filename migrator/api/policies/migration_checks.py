"""migrator:migration-checks: the dry run of a move (/migrator/migration-checks).

The answer is per host: each filter's verdict with its numbers, whether
the host is up and enabled, what force would change. That is the hosts'
state in detail: administrators only, like naming a host to migrate to.
"""

from migrator.api.policies import base

CREATE = 'migrator:migration-checks:create'

rules = [
    base.rule(CREATE, base.ADMIN,
              'Ask whether a server could move to a host (or to any host) '
              "and why not, claiming nothing. The answer gives every host's "
              'verdicts and capacity: administrators only.',
              [('POST', '/migrator/migration-checks')]),
]
