"""Shaping API bodies into cliff rows: readable in a table, intact in JSON."""

import json

from cliff import columns

from migrator.client import http


class StructuredColumn(columns.FormattableColumn):
    """A dict or list: compact in a table, the value itself in json/yaml."""

    def human_readable(self) -> str:
        value = self._value
        if isinstance(value, dict):
            return ', '.join('%s=%s' % (k, _compact(v)) for k, v in sorted(value.items()))
        if isinstance(value, list):
            return '\n'.join(_compact(v) for v in value)
        return _compact(value)

    def machine_readable(self):
        return self._value


def _compact(value) -> str:
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True)
    return '' if value is None else str(value)


def cell(value):
    """One value, wrapped when a table could not show it as it is."""
    if isinstance(value, (dict, list)):
        return StructuredColumn(value)
    return value


def show(body: dict, fields: list | None = None) -> tuple:
    """(columns, values) for a ShowOne, fields in order or sorted keys."""
    names = fields if fields is not None else sorted(body)
    return tuple(names), tuple(cell(body.get(name)) for name in names)


def listing(items: list, columns_: list) -> tuple:
    """(headers, rows) for a Lister: columns_ is [(header, key or callable)]."""
    headers = tuple(header for header, _ in columns_)
    rows = []
    for item in items:
        rows.append(tuple(
            cell(key(item) if callable(key) else item.get(key))
            for _, key in columns_))
    return headers, rows


def key_values(pairs: list | None, option: str) -> dict:
    """['a=1', 'b=2'] -> {'a': '1', 'b': '2'}; a pair without '=' is an error."""
    result = {}
    for pair in pairs or []:
        key, sep, value = pair.partition('=')
        if not sep or not key:
            raise http.CommandError('%s expects KEY=VALUE, got %r' % (option, pair))
        result[key] = value
    return result
