"""os-hypervisors query parameters per microversion."""

from migrator.api.schemas import types

_paging = {'limit': types.non_negative_integer,
           'marker': {'type': 'string', 'maxLength': 255}}
# Before 2.33 Nova ignores every query parameter of these lists.
index_query = {'type': 'object', 'additionalProperties': True}
index_query_v233 = {'type': 'object', 'properties': dict(_paging),
                    'additionalProperties': True}
index_query_v253 = {
    'type': 'object',
    'properties': dict(_paging, hypervisor_hostname_pattern={
        'type': 'string', 'minLength': 1, 'maxLength': 255},
        with_servers=types.boolean),
    'additionalProperties': False,
}
show_query_v253 = {'type': 'object',
                   'properties': {'with_servers': types.boolean},
                   'additionalProperties': False}
