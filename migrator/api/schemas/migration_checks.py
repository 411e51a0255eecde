"""migrator API: the body of a migration check."""

from migrator.api.schemas import types

create = {
    'type': 'object',
    'properties': {
        'migration_check': {
            'type': 'object',
            'properties': {
                'server_id': types.uuid,
                'hosts': {'type': 'array', 'items': types.hostname,
                          'minItems': 1, 'maxItems': 1000},
                'force': {'type': 'boolean'},
                'limit': {'type': 'integer', 'minimum': 1, 'maximum': 100000},
                'marker': types.hostname,
            },
            'required': ['server_id'],
            'additionalProperties': False,
        },
    },
    'required': ['migration_check'],
    'additionalProperties': False,
}
