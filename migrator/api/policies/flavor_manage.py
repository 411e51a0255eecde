"""Creating, changing and deleting flavors: they are the cloud's offer to
every project, so administrators only."""

from migrator.api.policies import base

PREFIX = 'os_compute_api:os-flavor-manage:%s'

CREATE = PREFIX % 'create'
UPDATE = PREFIX % 'update'
DELETE = PREFIX % 'delete'


def _rule(name, description, method, path):
    return base.rule(name, base.ADMIN, description, [(method, path)],
                     base.deprecated(name, base.LEGACY_ADMIN))


rules = [
    _rule(CREATE, 'Create a flavor.', 'POST', '/flavors'),
    _rule(UPDATE, 'Change the description of a flavor (2.55).', 'PUT',
          '/flavors/{flavor_id}'),
    _rule(DELETE, 'Delete a flavor.', 'DELETE', '/flavors/{flavor_id}'),
]
