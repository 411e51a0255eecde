from migrator.api.policies import base

rules = [
    base.rule('os_compute_api:os-availability-zone:list', base.ANY,
              'List availability zones.', 'GET', '/os-availability-zone'),
    base.rule('os_compute_api:os-availability-zone:detail', base.ADMIN,
              'List availability zones with their hosts.',
              'GET', '/os-availability-zone/detail'),
]
