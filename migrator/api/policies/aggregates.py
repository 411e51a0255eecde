from migrator.api.policies import base

PREFIX = 'os_compute_api:os-aggregates:%s'

rules = [
    base.rule(PREFIX % 'index', base.ADMIN, 'List aggregates.',
              'GET', '/os-aggregates'),
    base.rule(PREFIX % 'create', base.ADMIN, 'Create an aggregate.',
              'POST', '/os-aggregates'),
    base.rule(PREFIX % 'show', base.ADMIN, 'Show an aggregate.',
              'GET', '/os-aggregates/{aggregate_id}'),
    base.rule(PREFIX % 'update', base.ADMIN, 'Rename an aggregate or change '
              'its zone.', 'PUT', '/os-aggregates/{aggregate_id}'),
    base.rule(PREFIX % 'delete', base.ADMIN, 'Delete an aggregate.',
              'DELETE', '/os-aggregates/{aggregate_id}'),
    base.rule(PREFIX % 'add_host', base.ADMIN, 'Add a host to an aggregate.',
              'POST', '/os-aggregates/{aggregate_id}/action (add_host)'),
    base.rule(PREFIX % 'remove_host', base.ADMIN,
              'Remove a host from an aggregate.',
              'POST', '/os-aggregates/{aggregate_id}/action (remove_host)'),
    base.rule(PREFIX % 'set_metadata', base.ADMIN,
              'Set aggregate metadata.',
              'POST', '/os-aggregates/{aggregate_id}/action (set_metadata)'),
]
