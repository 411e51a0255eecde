from migrator.api.policies import base

rules = [
    base.rule('os_compute_api:os-services:list', base.ADMIN, 'List services.',
              'GET', '/os-services'),
    base.rule('os_compute_api:os-services:update', base.ADMIN,
              'Enable, disable or force down a service.',
              'PUT', '/os-services/{service_id}'),
    base.rule('os_compute_api:os-services:delete', base.ADMIN,
              'Delete a service.', 'DELETE', '/os-services/{service_id}'),
]
