"""os-aggregates bodies."""

from migrator.api.schemas import types

_az = {'type': ['string', 'null'], 'minLength': 1, 'maxLength': 255,
       'pattern': r'^[^:\x00-\x1f\x7f]*$'}

create = {
    'type': 'object',
    'properties': {'aggregate': {
        'type': 'object',
        'properties': {'name': types.name, 'availability_zone': _az},
        'required': ['name'], 'additionalProperties': False}},
    'required': ['aggregate'], 'additionalProperties': False,
}

update = {
    'type': 'object',
    'properties': {'aggregate': {
        'type': 'object',
        'properties': {'name': types.name, 'availability_zone': _az},
        'additionalProperties': False, 'minProperties': 1}},
    'required': ['aggregate'], 'additionalProperties': False,
}

_host_action = {'type': 'object', 'properties': {'host': types.hostname},
                'required': ['host'], 'additionalProperties': False}

add_host = {'type': 'object', 'properties': {'add_host': _host_action},
            'required': ['add_host'], 'additionalProperties': False}
remove_host = {'type': 'object', 'properties': {'remove_host': _host_action},
               'required': ['remove_host'], 'additionalProperties': False}
set_metadata = {
    'type': 'object',
    'properties': {'set_metadata': {
        'type': 'object',
        'properties': {'metadata': {
            'type': 'object',
            'patternProperties': {r'^[a-zA-Z0-9-_:. ]{1,255}$': {
                'type': ['string', 'null'], 'maxLength': 255}},
            'additionalProperties': False}},
        'required': ['metadata'], 'additionalProperties': False}},
    'required': ['set_metadata'], 'additionalProperties': False,
}
