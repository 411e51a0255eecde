"""Request schemas, one module per entity; validators are built once."""

import functools
import json
import re

import jsonschema

from migrator import exception

_VALIDATORS: dict = {}
# Longest rendering of an offending value that a message repeats.
_MAX_SHOWN = 200


@functools.cache
def _compiled(pattern: str) -> re.Pattern:
    """``pattern`` read as JSON Schema reads it (ECMA 262): a ``$`` that
    ends it ends the value. In Python's ``re`` it also matches before a
    last newline, so ``^[0-9]+$`` would let ``"1\\n"`` through, and a
    name's pattern a name ending in a newline."""
    if pattern.endswith('$') and not pattern.endswith('\\$'):
        pattern = pattern[:-1] + r'\Z'
    return re.compile(pattern)


def _pattern(validator, pattern, instance, schema):
    if validator.is_type(instance, 'string') and not _compiled(pattern).search(instance):
        yield jsonschema.ValidationError('%r does not match %r' % (instance, pattern))


_Validator = jsonschema.validators.extend(jsonschema.Draft4Validator,
                                          {'pattern': _pattern})


def validator_for(schema: dict) -> jsonschema.Draft4Validator:
    """The compiled validator of a module-level schema, built on first use."""
    found = _VALIDATORS.get(id(schema))
    if found is None or found[0] is not schema:
        _Validator.check_schema(schema)
        found = (schema, _Validator(
            schema, format_checker=jsonschema.FormatChecker()))
        _VALIDATORS[id(schema)] = found
    return found[1]


def _describe(value) -> str:
    text = json.dumps(value, default=str, ensure_ascii=False)
    return text if len(text) <= _MAX_SHOWN else text[:_MAX_SHOWN] + '...'


def _reason(error) -> str:
    """jsonschema's message, without a second copy of a long value."""
    message = error.message
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
        detail = '%s.' % error.message
        # A schema of key patterns already names them in jsonschema's message.
        if allowed or not error.schema.get('patternProperties'):
            detail += ' Allowed keys: %s.' % (', '.join(allowed) or 'none')
    else:
        field = path or root
        detail = 'Value: %s. %s' % (_describe(error.instance), _reason(error))
    raise exception.ValidationError(field=field, detail=detail)
