"""Flavor create/update and extra spec schemas."""

import copy

from migrator.api.schemas import types

create_v21 = {
    'type': 'object',
    'properties': {
        'flavor': {
            'type': 'object',
            'properties': {
                'name': types.name,
                'id': {'type': ['string', 'number', 'null'], 'minLength': 1,
                       'maxLength': 255, 'pattern': r'^(?! )[a-zA-Z0-9. _-]+(?<! )$'},
                'ram': {'type': ['integer', 'string'], 'pattern': '^[0-9]+$',
                        'minimum': 1, 'maximum': 2147483647},
                'vcpus': {'type': ['integer', 'string'], 'pattern': '^[0-9]+$',
                          'minimum': 1, 'maximum': 2147483647},
                'disk': {'type': ['integer', 'string'], 'pattern': '^[0-9]+$',
                         'minimum': 0, 'maximum': 2147483647},
                'OS-FLV-EXT-DATA:ephemeral': {'type': ['integer', 'string'],
                                              'pattern': '^[0-9]+$', 'minimum': 0,
                                              'maximum': 2147483647},
                'swap': {'type': ['integer', 'string'], 'pattern': '^[0-9]*$',
                         'minimum': 0, 'maximum': 2147483647},
                'rxtx_factor': {'type': ['number', 'string'],
                                'pattern': r'^[0-9]+(\.[0-9]+)?$',
                                'minimum': 0, 'exclusiveMinimum': True,
                                'maximum': 3.40282e+38},
                'os-flavor-access:is_public': types.boolean,
            },
            'required': ['name', 'ram', 'vcpus', 'disk'],
            'additionalProperties': False,
        },
    },
    'required': ['flavor'],
    'additionalProperties': False,
}

create_v255 = copy.deepcopy(create_v21)
create_v255['properties']['flavor']['properties']['description'] = types.description

update_v255 = {
    'type': 'object',
    'properties': {'flavor': {'type': 'object',
                              'properties': {'description': types.description},
                              'required': ['description'],
                              'additionalProperties': False}},
    'required': ['flavor'],
    'additionalProperties': False,
}

_spec_value = {'type': ['string', 'number', 'boolean'], 'minLength': 0,
               'maxLength': 255}
extra_specs_create = {
    'type': 'object',
    'properties': {'extra_specs': {
        'type': 'object',
        'patternProperties': {r'^[a-zA-Z0-9-_:. ]{1,255}$': _spec_value},
        'additionalProperties': False}},
    'required': ['extra_specs'],
    'additionalProperties': False,
}
extra_spec_update = {
    'type': 'object',
    'patternProperties': {r'^[a-zA-Z0-9-_:. ]{1,255}$': _spec_value},
    'additionalProperties': False,
    'minProperties': 1,
    'maxProperties': 1,
}

SORT_KEYS = ('created_at', 'description', 'disabled', 'ephemeral_gb',
             'flavorid', 'id', 'is_public', 'memory_mb', 'name', 'root_gb',
             'rxtx_factor', 'swap', 'updated_at', 'vcpus')

index_query = {
    'type': 'object',
    'properties': {
        'limit': types.non_negative_integer,
        'marker': {'type': 'string', 'maxLength': 255},
        'is_public': {'type': 'string'},
        'minRam': types.non_negative_integer,
        'minDisk': types.non_negative_integer,
        'sort_key': {'type': 'string', 'enum': list(SORT_KEYS)},
        'sort_dir': {'type': 'string', 'enum': ['asc', 'desc']},
    },
    # Nova (before 2.75) ignores query parameters it does not know.
    'additionalProperties': True,
}


def _tenant_action(name: str) -> dict:
    return {'type': 'object',
            'properties': {name: {
                'type': 'object',
                'properties': {'tenant': {'type': 'string', 'minLength': 1,
                                          'maxLength': 255}},
                'required': ['tenant'], 'additionalProperties': False}},
            'required': [name], 'additionalProperties': False}


add_tenant_access = _tenant_action('addTenantAccess')
remove_tenant_access = _tenant_action('removeTenantAccess')
