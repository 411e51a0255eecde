"""migrator API: query parameters of the records of moves."""

from migrator.api.schemas import types

index_query = {
    'type': 'object',
    'properties': {
        'server_id': types.uuid,
        'host': types.hostname,
        'status': {'type': 'string', 'minLength': 1, 'maxLength': 32},
        'project_id': {'type': 'string', 'minLength': 1, 'maxLength': 255},
    },
    'additionalProperties': False,
}
