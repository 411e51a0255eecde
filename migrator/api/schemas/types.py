"""Shared schema fragments (Nova's parameter_types, the parts used here)."""

import copy

from oslo_utils import strutils

from migrator import exception

name = {'type': 'string', 'minLength': 1, 'maxLength': 255,
        'pattern': r'^(?!\s)[^\x00-\x1f\x7f]*(?<!\s)$'}
name_with_spaces = {'type': 'string', 'minLength': 1, 'maxLength': 255,
                    'pattern': r'^[^\x00-\x1f\x7f]*$'}
description = {'type': ['string', 'null'], 'minLength': 0, 'maxLength': 255,
               'pattern': r'^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$'}
hostname = {'type': 'string', 'minLength': 1, 'maxLength': 255,
            'pattern': r'^[a-zA-Z0-9-._]*$'}
nullable_hostname = dict(copy.deepcopy(hostname), type=['string', 'null'])
boolean = {'type': ['boolean', 'string'],
           'enum': [True, 'True', 'TRUE', 'true', '1', 'ON', 'On', 'on', 'YES',
                    'Yes', 'yes', 'y', 't', False, 'False', 'FALSE', 'false',
                    '0', 'OFF', 'Off', 'off', 'NO', 'No', 'no', 'n', 'f']}
strict_boolean_or_null = {'type': ['boolean', 'null']}
uuid = {'type': 'string', 'format': 'uuid'}
positive_integer = {'type': ['integer', 'string'], 'pattern': '^[0-9]*$',
                    'minimum': 1, 'minLength': 1}
non_negative_integer = {'type': ['integer', 'string'], 'pattern': '^[0-9]*$',
                        'minimum': 0, 'minLength': 1}
metadata = {'type': 'object',
            'patternProperties': {
                '^[a-zA-Z0-9-_:. ]{1,255}$': {'type': 'string', 'maxLength': 255}},
            'additionalProperties': False}
az_name = {'type': 'string', 'minLength': 1, 'maxLength': 255,
           'pattern': r'^[^:\x00-\x1f\x7f]*$'}


def parse_bool(value) -> bool:
    """A value the ``boolean`` schema already accepted, as a bool."""
    return str(value).lower() in ('true', '1', 'on', 'yes', 'y', 't')


def strict_bool(field: str, value, empty_means=True) -> bool:
    """A boolean query parameter; an empty value (``?all_tenants``) means
    ``empty_means``; anything unrecognised is a 400 naming the field."""
    if value == '':
        return empty_means
    try:
        return strutils.bool_from_string(value, strict=True)
    except ValueError:
        raise exception.ValidationError(
            field=field, detail='Value: %s. Expected a boolean (true/false, '
                                'yes/no, 1/0).' % value) from None
