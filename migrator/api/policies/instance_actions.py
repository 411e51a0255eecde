from migrator.api.policies import base

PREFIX = 'os_compute_api:os-instance-actions:%s'

rules = [
    base.rule(PREFIX % 'list', base.ADMIN_OR_OWNER,
              'List the actions of a server.',
              'GET', '/servers/{server_id}/os-instance-actions'),
    base.rule(PREFIX % 'show', base.ADMIN_OR_OWNER,
              'Show an action of a server.',
              'GET', '/servers/{server_id}/os-instance-actions/{request_id}'),
    base.rule(PREFIX % 'events', base.ADMIN,
              'See events before 2.51, and event tracebacks at any version.',
              'GET', '/servers/{server_id}/os-instance-actions/{request_id}'),
]
