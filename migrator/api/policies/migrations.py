from migrator.api.policies import base

rules = [
    base.rule('os_compute_api:os-migrations:index', base.ADMIN,
              'List migrations, with forced-placement details.',
              'GET', '/os-migrations'),
]
