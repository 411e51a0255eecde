"""Request schemas, one module per entity; validators are built once."""

import json

import jsonschema

from migrator import exception

_VALIDATORS: dict = {}
# Longest rendering of an offending value that a message repeats.
_MAX_SHOWN = 200


# A pattern the validator checks rewritten -> as the schema writes it.
_WRITTEN: dict = {}


def _ecma(pattern: str) -> str:
    """``pattern`` as JSON Schema reads it (ECMA 262): a ``$`` anchor ends
    the value. In Python's ``re`` it also matches before a last newline,
    so ``^[0-9]+$`` would let ``"1\\n"`` through, and a name's pattern a
    name ending in a newline. Each ``$`` outside a character class and
    not escaped becomes ``\\Z``."""
    out, escaped, in_class, class_start = [], False, False, False
    for index, char in enumerate(pattern):
        if escaped:
            escaped = class_start = False
        elif char == '\\':
            escaped, class_start = True, False
        elif in_class:
            # A "]" first in a class (after any "^") is one of its members.
            if char == ']' and not class_start:
                in_class = False
            class_start = class_start and char == '^' and pattern[index - 1] == '['
        elif char == '[':
            in_class = class_start = True
        elif char == '$':
            char = r'\Z'
        out.append(char)
    found = ''.join(out)
    if found != pattern:
        _WRITTEN[found] = pattern
    return found


def _checked(schema):
    """A copy of ``schema`` whose patterns (``pattern``, the keys of
    ``patternProperties``) are read as JSON Schema reads them."""
    if isinstance(schema, list):
        return [_checked(value) for value in schema]
    if not isinstance(schema, dict):
        return schema
    found = {}
    for key, value in schema.items():
        if key == 'pattern' and isinstance(value, str):
            found[key] = _ecma(value)
        elif key == 'patternProperties' and isinstance(value, dict):
            found[key] = {_ecma(k): _checked(v) for k, v in value.items()}
        elif key == 'properties' and isinstance(value, dict):
            found[key] = {k: _checked(v) for k, v in value.items()}
        else:
            found[key] = _checked(value)
    return found


def validator_for(schema: dict) -> jsonschema.Draft4Validator:
    """The compiled validator of a module-level schema, built on first use."""
    found = _VALIDATORS.get(id(schema))
    if found is None or found[0] is not schema:
        jsonschema.Draft4Validator.check_schema(schema)
        found = (schema, jsonschema.Draft4Validator(
            _checked(schema), format_checker=jsonschema.FormatChecker()))
        _VALIDATORS[id(schema)] = found
    return found[1]


def _describe(value) -> str:
    text = json.dumps(value, default=str, ensure_ascii=False)
    return text if len(text) <= _MAX_SHOWN else text[:_MAX_SHOWN] + '...'


def _message(error) -> str:
    """jsonschema's message, with the patterns as the schema writes them."""
    message = error.message
    for checked, written in _WRITTEN.items():
        message = message.replace(repr(checked), repr(written))
    return message


def _reason(error) -> str:
    """jsonschema's message, without a second copy of a long value."""
    message = _message(error)
    shown = repr(error.instance)
    if len(shown) > _MAX_SHOWN and message.startswith(shown):
        return 'It' + message[len(shown):]
    return message


def validate(schema: dict, value, root: str = 'body') -> None:
    """400 naming the first offending field and what is allowed there.

    ``root`` names the whole value when no narrower field can be named:
    ``body`` for a request body, ``query`` for the query string.
    """
    error = jsonschema.exceptions.best_match(
        validator_for(schema).iter_errors(value))
    if error is None:
        return
    path = '/'.join(str(p) for p in error.absolute_path)
    if error.validator == 'required':
        missing = error.message.split("'")[1] if "'" in error.message else ''
        field = '/'.join(filter(None, [path, missing])) or root
        detail = "'%s' is a required property." % (missing or field)
    elif error.validator == 'additionalProperties' and root == 'query' and not path:
        known = sorted(error.schema.get('properties', {}))
        field = sorted(k for k in value if k not in known)[0]
        detail = 'Unknown query parameter at this microversion. Allowed: %s.' % (
            ', '.join(known) or 'none')
    elif error.validator == 'additionalProperties':
        field = path or root
        allowed = sorted(error.schema.get('properties', {}))
        detail = '%s.' % _message(error)
        # A schema of key patterns already names them in jsonschema's message.
        if allowed or not error.schema.get('patternProperties'):
            detail += ' Allowed keys: %s.' % (', '.join(allowed) or 'none')
    else:
        field = path or root
        detail = 'Value: %s. %s' % (_describe(error.instance), _reason(error))
    raise exception.ValidationError(field=field, detail=detail)
