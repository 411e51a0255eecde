"""The query of GET /limits."""

show_query = {
    'type': 'object',
    'properties': {'tenant_id': {'type': 'string', 'minLength': 1, 'maxLength': 255}},
    # As Nova before 2.75: other parameters are ignored.
    'additionalProperties': True,
}
