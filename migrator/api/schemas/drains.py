"""migrator API: starting (or previewing) a drain, and the drain lists."""

from migrator.api.schemas import types

_hosts = {'type': 'array', 'items': types.hostname, 'maxItems': 1000}

create = {
    'type': 'object',
    'properties': {
        'drain': {
            'type': 'object',
            'properties': {
                'host': types.hostname,
                'dry_run': {'type': 'boolean'},
                'reason': {'type': 'string', 'minLength': 1, 'maxLength': 200,
                           'pattern': r'^[^\x00-\x1f\x7f]*$'},
                'max_parallel': {'type': 'integer', 'minimum': 1, 'maximum': 64},
                'max_attempts': {'type': 'integer', 'minimum': 1, 'maximum': 10},
                'confirm': {'type': 'boolean'},
                'hosts': dict(_hosts, minItems=1),
                'aggregate': {'type': 'string', 'minLength': 1, 'maxLength': 255},
                'zone': types.az_name,
                'exclude_hosts': _hosts,
                'include_stopped': {'type': 'boolean'},
                'force_servers': {'type': 'array', 'items': types.uuid,
                                  'maxItems': 1000},
            },
            'required': ['host'],
            'additionalProperties': False,
        },
    },
    'required': ['drain'],
    'additionalProperties': False,
}

index_query = {
    'type': 'object',
    'properties': {
        'host': types.hostname,
        'status': {'type': 'string', 'enum': ['running', 'cancelling', 'complete',
                                              'incomplete', 'cancelled']},
    },
    'additionalProperties': False,
}

delete_query = {
    'type': 'object',
    'properties': {'abort_moves': types.boolean},
    'additionalProperties': False,
}
