"""os-services update bodies: the legacy action URLs and the 2.53 PUT."""

import copy

from migrator.api.schemas import types

legacy_action_v21 = {
    'type': 'object',
    'properties': {
        'host': types.hostname,
        'binary': {'type': 'string', 'minLength': 1, 'maxLength': 255},
        'disabled_reason': {'type': 'string', 'minLength': 1, 'maxLength': 255},
    },
    'required': ['host', 'binary'],
    'additionalProperties': False,
}

legacy_action_v211 = copy.deepcopy(legacy_action_v21)
legacy_action_v211['properties']['forced_down'] = types.boolean

update_v253 = {
    'type': 'object',
    'properties': {
        'status': {'type': 'string', 'enum': ['enabled', 'disabled']},
        'disabled_reason': {'type': 'string', 'minLength': 1, 'maxLength': 255},
        'forced_down': types.boolean,
    },
    'additionalProperties': False,
    'minProperties': 1,
}

index_query = {
    'type': 'object',
    'properties': {'host': {'type': 'string', 'maxLength': 255},
                   'binary': {'type': 'string', 'maxLength': 255}},
    'additionalProperties': True,
}
