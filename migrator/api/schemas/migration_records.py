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

# 1.3: pages, and whether a move ended. A list holds at most ``[api]
# max_limit`` records, fewer when ``limit`` asks.
index_query_v13 = {
    'type': 'object',
    'properties': dict(
        index_query['properties'],
        # A string in a query: minimum would not apply, the pattern does.
        limit={'type': ['integer', 'string'], 'pattern': '^0*[1-9][0-9]*$',
               'minimum': 1},
        marker=types.uuid,
        ended=types.boolean),
    'additionalProperties': False,
}
