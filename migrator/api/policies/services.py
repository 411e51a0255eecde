"""os-services: the services of the cloud and the hosts they run on;
disabling a host takes it out of scheduling. Administrators only."""

from migrator.api.policies import base

PREFIX = 'os_compute_api:os-services:%s'

LIST = PREFIX % 'list'
UPDATE = PREFIX % 'update'
DELETE = PREFIX % 'delete'

rules = [
    base.rule(LIST, base.ADMIN, 'List the services and their hosts.',
              [('GET', '/os-services')],
              base.deprecated(LIST, base.LEGACY_ADMIN)),
    base.rule(UPDATE, base.ADMIN,
              'Enable, disable (with a reason) or force down a compute '
              'service.', [('PUT', '/os-services/{service_id}')],
              base.deprecated(UPDATE, base.LEGACY_ADMIN)),
    base.rule(DELETE, base.ADMIN, 'Delete a service.',
              [('DELETE', '/os-services/{service_id}')],
              base.deprecated(DELETE, base.LEGACY_ADMIN)),
]
