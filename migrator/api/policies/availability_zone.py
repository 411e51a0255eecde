"""os-availability-zone: the zones a server may ask for."""

from migrator.api.policies import base

PREFIX = 'os_compute_api:os-availability-zone:%s'

LIST = PREFIX % 'list'
DETAIL = PREFIX % 'detail'

rules = [
    base.rule(LIST, base.ANY,
              'List availability zones and whether they are available, '
              'without hosts: anyone choosing where to boot needs it.',
              [('GET', '/os-availability-zone')]),
    base.rule(DETAIL, base.ADMIN,
              'List availability zones with their hosts and services: '
              'administrators only.', [('GET', '/os-availability-zone/detail')],
              base.deprecated(DETAIL, base.LEGACY_ADMIN)),
]
