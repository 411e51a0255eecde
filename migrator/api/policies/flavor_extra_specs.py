"""Flavor extra specs: what AggregateInstanceExtraSpecsFilter matches.
Reading them is for every reader; changing them changes the cloud's offer,
so administrators only."""

from migrator.api.policies import base

PREFIX = 'os_compute_api:os-flavor-extra-specs:%s'

INDEX = PREFIX % 'index'
SHOW = PREFIX % 'show'
CREATE = PREFIX % 'create'
UPDATE = PREFIX % 'update'
DELETE = PREFIX % 'delete'

_SPECS = '/flavors/{flavor_id}/os-extra_specs'
_SPEC = _SPECS + '/{flavor_extra_spec_key}'

rules = [
    base.rule(INDEX, base.PROJECT_READER_OR_ADMIN,
              'List the extra specs of a flavor: any reader (of its own '
              'project).', [('GET', _SPECS)],
              base.deprecated(INDEX, base.ANY)),
    base.rule(SHOW, base.PROJECT_READER_OR_ADMIN,
              'Show one extra spec of a flavor: any reader (of its own '
              'project).', [('GET', _SPEC)], base.deprecated(SHOW, base.ANY)),
    base.rule(CREATE, base.ADMIN, 'Add or replace extra specs of a flavor.',
              [('POST', _SPECS)], base.deprecated(CREATE, base.LEGACY_ADMIN)),
    base.rule(UPDATE, base.ADMIN, 'Change one extra spec of a flavor.',
              [('PUT', _SPEC)], base.deprecated(UPDATE, base.LEGACY_ADMIN)),
    base.rule(DELETE, base.ADMIN, 'Delete one extra spec of a flavor.',
              [('DELETE', _SPEC)], base.deprecated(DELETE, base.LEGACY_ADMIN)),
]
