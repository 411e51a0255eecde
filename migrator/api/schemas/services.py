"""os-services update bodies: the legacy action URLs and the 2.53 PUT."""

from migrator.api.schemas import types

legacy_action = {
    'type': 'object',
    'properties': {
        'host': types.hostname,
        'binary': {'type': 'string', 'minLength': 1, 'maxLength': 255},
        'disabled_reason': {'type': 'string', 'minLength': 1, 'maxLength': 255},
        'forced_down': types.boolean,
    },
    'required': ['host', 'binary'],
    'additionalProperties': False,
}

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
