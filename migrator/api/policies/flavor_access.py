"""Which projects may use a private flavor: administrators only, since the
list names other projects."""

from migrator.api.policies import base

LIST = 'os_compute_api:os-flavor-access'
PREFIX = 'os_compute_api:os-flavor-access:%s'
ADD_TENANT_ACCESS = PREFIX % 'add_tenant_access'
REMOVE_TENANT_ACCESS = PREFIX % 'remove_tenant_access'

_ACTION = '/flavors/{flavor_id}/action (%s)'

rules = [
    base.rule(LIST, base.ADMIN,
              'List the projects that may use a private flavor.',
              [('GET', '/flavors/{flavor_id}/os-flavor-access')]),
    base.rule(ADD_TENANT_ACCESS, base.ADMIN,
              'Let a project use a private flavor.',
              [('POST', _ACTION % 'addTenantAccess')]),
    base.rule(REMOVE_TENANT_ACCESS, base.ADMIN,
              'Take a private flavor away from a project.',
              [('POST', _ACTION % 'removeTenantAccess')]),
]
