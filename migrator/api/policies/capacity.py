"""migrator:capacity: the capacity of each host as the scheduler and the
claims see it (/migrator/capacity). It names hosts: administrators only."""

from migrator.api.policies import base

PREFIX = 'migrator:capacity:%s'

INDEX = PREFIX % 'index'
SHOW = PREFIX % 'show'

rules = [
    base.rule(INDEX, base.ADMIN,
              'List every host with its capacity per resource (total, '
              'reserved, allocation ratio, used, free). It names hosts: '
              'administrators only.', [('GET', '/migrator/capacity')]),
    base.rule(SHOW, base.ADMIN,
              "Show one host's capacity in detail: what holds it (servers "
              'and moves in progress) per resource. It names hosts: '
              'administrators only.', [('GET', '/migrator/capacity/{host}')]),
]
