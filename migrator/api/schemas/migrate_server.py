"""The migrate action body per microversion (DESIGN §3)."""

import copy

from migrator.api.schemas import types

# 2.1 - 2.55: the scheduler always chooses. As Nova, the value of
# "migrate" is not validated and never read: {}, {"host": ...} and null all
# mean "move it where the scheduler sends it" (tempest sends {}).
migrate_v21 = {
    'type': 'object',
    'properties': {'migrate': {}},
    'required': ['migrate'],
    'additionalProperties': False,
}

# 2.56: {"migrate": null} still works; an object must name "host" (it may be
# null) and may carry "force".
migrate_v256 = copy.deepcopy(migrate_v21)
migrate_v256['properties']['migrate'] = {
    'type': ['object', 'null'],
    'properties': {
        'host': types.nullable_hostname,
        'force': types.strict_boolean_or_null,
    },
    'required': ['host'],
    'additionalProperties': False,
}
