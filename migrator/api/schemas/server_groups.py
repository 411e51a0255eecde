"""os-server-groups create body (policies list, before 2.64)."""

from migrator.api.schemas import types

create = {
    'type': 'object',
    'properties': {'server_group': {
        'type': 'object',
        'properties': {
            'name': types.name,
            'policies': {'type': 'array', 'minItems': 1, 'maxItems': 1,
                         'items': {'type': 'string',
                                   'enum': ['affinity', 'anti-affinity']}},
        },
        'required': ['name', 'policies'], 'additionalProperties': False}},
    'required': ['server_group'], 'additionalProperties': False,
}

index_query = {
    'type': 'object',
    'properties': {'all_projects': {'type': 'string'},
                   'limit': types.non_negative_integer,
                   'offset': types.non_negative_integer},
    'additionalProperties': True,
}
