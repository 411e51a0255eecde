from migrator.api.policies import base

PREFIX = 'os_compute_api:os-server-groups:%s'

rules = [
    base.rule(PREFIX % 'index', base.ADMIN_OR_OWNER, 'List server groups.',
              'GET', '/os-server-groups'),
    base.rule(PREFIX % 'index:all_projects', base.ADMIN,
              'List server groups of every project.', 'GET', '/os-server-groups'),
    base.rule(PREFIX % 'create', base.ADMIN_OR_OWNER, 'Create a server group.',
              'POST', '/os-server-groups'),
    base.rule(PREFIX % 'show', base.ADMIN_OR_OWNER, 'Show a server group.',
              'GET', '/os-server-groups/{server_group_id}'),
    base.rule(PREFIX % 'delete', base.ADMIN_OR_OWNER, 'Delete a server group.',
              'DELETE', '/os-server-groups/{server_group_id}'),
]
