"""GET /limits: the caller's project's quotas and usage."""

from migrator.api.policies import base

SHOW = 'os_compute_api:limits'
OTHER_PROJECT = 'os_compute_api:limits:other_project'

rules = [
    base.rule(SHOW, base.ANY,
              "Show the limits and usage of the caller's own project: "
              'anyone.', [('GET', '/limits')]),
    base.rule(OTHER_PROJECT, base.ADMIN,
              "Show another project's limits (?tenant_id=); checked after "
              '%s. Crosses projects: administrators only.' % SHOW,
              [('GET', '/limits')]),
]
