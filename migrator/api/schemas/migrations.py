"""os-migrations query parameters (2.1 and 2.23)."""

from migrator.api.schemas import types

index_query = {
    'type': 'object',
    'properties': {
        'host': {'type': 'string', 'maxLength': 255},
        'status': {'type': 'string', 'maxLength': 255},
        'instance_uuid': {'type': 'string', 'maxLength': 36},
        'source_compute': {'type': 'string', 'maxLength': 255},
        'migration_type': {'type': 'string',
                           'enum': ['migration', 'resize', 'live-migration',
                                    'evacuation']},
        'hidden': types.boolean,
        'cell_name': {'type': 'string'},
        # Read by Nova's database query although its schema before 2.80
        # does not name it; a project manager needs it to list its moves.
        'project_id': {'type': 'string', 'maxLength': 255},
    },
    # Nova (before 2.80) ignores query parameters it does not know.
    'additionalProperties': True,
}
