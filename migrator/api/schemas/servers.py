"""Schemas of server create and the server list query."""

import copy

from migrator.api import microversion as mv
from migrator.api.schemas import types

_networks = {'oneOf': [
    {'type': 'string', 'enum': ['auto', 'none']},
    {'type': 'array', 'items': {
        'type': 'object',
        'properties': {'uuid': {'type': 'string'}, 'port': {'type': ['string', 'null']},
                       'fixed_ip': {'type': 'string'}, 'tag': {'type': 'string'}},
        'additionalProperties': False}},
]}

_uuid_or_list = {'oneOf': [types.uuid, {'type': 'array', 'items': types.uuid}]}

create_v21 = {
    'type': 'object',
    'properties': {
        'server': {
            'type': 'object',
            'properties': {
                'name': types.name_with_spaces,
                'imageRef': {'type': 'string', 'maxLength': 255},
                'flavorRef': {'type': ['string', 'integer'], 'minLength': 1},
                'networks': _networks,
                'availability_zone': types.az_name,
                'metadata': types.metadata,
                'key_name': {'type': 'string', 'maxLength': 255},
                'min_count': types.positive_integer,
                'max_count': types.positive_integer,
                'return_reservation_id': types.boolean,
                'user_data': {'type': 'string', 'maxLength': 65535},
                'config_drive': types.boolean,
                'security_groups': {'type': 'array', 'items': {
                    'type': 'object', 'properties': {'name': {'type': 'string'}},
                    'additionalProperties': False}},
                'adminPass': {'type': 'string'},
                'OS-DCF:diskConfig': {'type': 'string', 'enum': ['AUTO', 'MANUAL']},
                'accessIPv4': {'type': 'string', 'format': 'ipv4'},
                'accessIPv6': {'type': 'string', 'format': 'ipv6'},
                'block_device_mapping_v2': {'type': 'array'},
                'personality': {'type': 'array'},
            },
            'required': ['name', 'flavorRef'],
            'additionalProperties': False,
        },
        'os:scheduler_hints': {
            'type': 'object',
            'properties': {'group': types.uuid, 'same_host': _uuid_or_list,
                           'different_host': _uuid_or_list},
            'additionalProperties': True,
        },
        'OS-SCH-HNT:scheduler_hints': {'type': 'object'},
    },
    'required': ['server'],
    'additionalProperties': False,
}

create_v219 = copy.deepcopy(create_v21)
create_v219['properties']['server']['properties']['description'] = types.description

_STATUSES = ['ACTIVE', 'BUILD', 'SHUTOFF', 'ERROR', 'RESIZE', 'VERIFY_RESIZE',
             'REVERT_RESIZE', 'DELETED', 'UNKNOWN']

index_query = {
    'type': 'object',
    'properties': {
        'limit': types.non_negative_integer,
        'marker': {'type': 'string', 'maxLength': 255},
        'name': {'type': 'string', 'maxLength': 255},
        'status': {'type': 'string',
                   'enum': _STATUSES + [s.lower() for s in _STATUSES]},
        'host': types.hostname,
        'flavor': {'type': 'string', 'maxLength': 255},
        'reservation_id': {'type': 'string', 'maxLength': 255},
        'image': {'type': 'string', 'maxLength': 255},
        'all_tenants': {'type': 'string'},
        'project_id': {'type': 'string', 'maxLength': 255},
        'tenant_id': {'type': 'string', 'maxLength': 255},
    },
    # Nova (before 2.75) ignores query parameters it does not know.
    'additionalProperties': True,
}


def create(version) -> dict:
    """The create body schema at ``version`` (description from 2.19)."""
    return create_v219 if tuple(version) >= mv.SERVER_DESCRIPTION else create_v21
