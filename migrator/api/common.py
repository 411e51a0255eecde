"""What every resource uses: the caller's context and microversion, the
request body and query validated as the route table declares, links and
paging."""

import json
import math
import re
from urllib import parse

import falcon
from oslo_utils import uuidutils

from migrator import exception
from migrator.api import routing, schemas
from migrator.db import models

# Largest integer id or count a query may carry to the database.
DB_INT_MAX = models.INT_MAX
_JSON_TYPES = ('application/json',)


def context(req):
    return req.context.ctx


def version_at_least(req, feature: tuple) -> bool:
    return tuple(req.context.version) >= feature


def _check_content_type(req) -> None:
    """JSON only; a body without a Content-Type is read as JSON (as curl -d)."""
    if not req.content_type:
        return
    media_type = req.content_type.split(';', 1)[0].strip().lower()
    if media_type not in _JSON_TYPES:
        raise falcon.HTTPUnsupportedMediaType(
            description='Content-Type %s is not supported; send the body as '
                        'application/json.' % req.content_type)


def _refuse_constant(name: str):
    raise ValueError('%s is not a JSON number' % name)


def _finite_float(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError('%s is out of range for a JSON number' % text)
    return number


# A \u escape that makes a NUL or half a surrogate pair; only then is the
# parsed body walked.
_SUSPECT_ESCAPE = re.compile(r'\\u(?:0000|[dD][89a-fA-F])')


def _check_strings(value) -> None:
    """No string may hold a NUL (PostgreSQL text refuses it) or a lone
    surrogate (not Unicode: no database driver can encode it)."""
    if isinstance(value, dict):
        for key, item in value.items():
            _check_strings(key)
            _check_strings(item)
    elif isinstance(value, list):
        for item in value:
            _check_strings(item)
    elif isinstance(value, str):
        if '\x00' in value:
            raise ValueError('a string holds a NUL character (\\u0000), which '
                             'no field accepts')
        try:
            value.encode('utf-8')
        except UnicodeEncodeError:
            raise ValueError('a string holds an unpaired surrogate escape, '
                             'which is not Unicode') from None


def strict_json_loads(text: str):
    """RFC 8259 JSON of Unicode text. Python's parser also takes NaN,
    Infinity and 1e999 (infinite), which pass a schema's bounds and no
    database column holds, and \\u escapes of NUL and lone surrogates."""
    body = json.loads(text, parse_constant=_refuse_constant,
                      parse_float=_finite_float)
    if _SUSPECT_ESCAPE.search(text):
        _check_strings(body)
    return body


def _parse_body(req):
    """The parsed JSON body; 400 when absent or not JSON."""
    _check_content_type(req)
    try:
        found = req.get_media(default_when_empty=None)
    except falcon.MediaNotFoundError:
        found = None
    except falcon.MediaMalformedError as error:
        cause = getattr(error, '__cause__', None) or error
        raise exception.Invalid(
            reason='the body is not valid JSON (%s)' % cause) from None
    except RecursionError:
        raise exception.Invalid(
            reason='the body is not valid JSON (nested too deeply)') from None
    if found is None:
        raise exception.Invalid(reason='a JSON request body is required')
    return found


def body(req):
    """The JSON body, validated against the route table's schema for this
    method at the request's microversion (when one is declared)."""
    found = _parse_body(req)
    schema = routing.schema_at(req.context.method.body, req.context.version,
                               req.context.api)
    if schema is not None:
        schemas.validate(schema, found)
    return found


def action(req, refusal: str | None = None) -> tuple[str, object]:
    """The action a body names and its value, checked to be one key that
    the route table declares; otherwise a 400 listing the known ones (in
    the words of ``refusal`` when given)."""
    found = _parse_body(req)
    known = ', '.join(sorted(req.context.method.actions))
    if not isinstance(found, dict) or len(found) != 1:
        raise exception.Invalid(reason=(refusal or 'the body must be an object '
                                        'with exactly one action key, one of: '
                                        '%s') % known)
    (name, value), = found.items()
    if name not in req.context.method.actions:
        if refusal:
            raise exception.Invalid(reason=refusal % known)
        raise exception.Invalid('There is no such action: %s. Supported '
                                'actions: %s.' % (name, known))
    return name, value


def action_body(req, name: str):
    """The body of action ``name``, validated against its schema at the
    request's microversion (when one is declared)."""
    found = _parse_body(req)
    schema = routing.schema_at(req.context.method.actions[name],
                                   req.context.version)
    if schema is not None:
        schemas.validate(schema, found)
    return found


def params(req) -> dict:
    """Query parameters (the last value of a repeated one wins), validated
    against the route table's query schema at the request's microversion."""
    found = {}
    for key, value in req.params.items():
        found[key] = value[-1] if isinstance(value, list) else value
    schema = routing.schema_at(req.context.method.query, req.context.version,
                               req.context.api)
    if schema is not None:
        schemas.validate(schema, found, root='query')
    return found


def require_uuid(value: str) -> None:
    """400 for a path id that must be a uuid (os-services, os-hypervisors 2.53)."""
    if not uuidutils.is_uuid_like(value):
        raise exception.Invalid('Invalid uuid %s' % value)


def integer_id(value: str, field: str = 'id') -> int | None:
    """A path id that must be an integer: 400 if it is not one, None when it
    is too large for any row to have it (the caller answers 404)."""
    text = str(value)
    if not text.isascii() or not text.isdigit():
        raise exception.ValidationError(
            field=field, detail='Value: %s. It must be an integer.' % text)
    number = int(text)
    return number if number <= DB_INT_MAX else None


def bounded_int(value, maximum: int = DB_INT_MAX) -> int:
    """A validated integer parameter, clamped so the database can bind it.
    A string of more digits than ``maximum`` has is ``maximum``: Python
    refuses to read a number of thousands of digits."""
    if isinstance(value, str):
        digits = value.strip().lstrip('0') or '0'
        if len(digits) > len(str(maximum)):
            return maximum
        value = digits
    return min(int(value), maximum)


def page_limit(params: dict, conf) -> int:
    """A page's size: ``limit`` when asked (in a query or a body), never
    more than ``[api] max_limit`` (which it is when not asked)."""
    max_limit = conf.api.max_limit
    return min(bounded_int(params.get('limit', max_limit)), max_limit)


def query(req, schema: dict) -> dict:
    """Query parameters as a dict (last value wins), validated."""
    params = {}
    for key, value in req.params.items():
        params[key] = value[-1] if isinstance(value, list) else value
    schemas.validate(schema, params, root='query')
    return params


def links(req, collection: str, item_id) -> list:
    base = req.prefix
    return [{'rel': 'self', 'href': '%s/v2.1/%s/%s' % (base, collection, item_id)},
            {'rel': 'bookmark', 'href': '%s/%s/%s' % (base, collection, item_id)}]


def next_link(req, collection: str, items: list, limit: int | None,
              marker_key: str = 'id', root: str = '/v2.1') -> list:
    """A "next" link when the page is full, as Nova's *_links; ``root``
    is the API's (``/migrator`` for migrator's own)."""
    if not limit or len(items) < limit:
        return []
    params = {key: value[-1] if isinstance(value, list) else value
              for key, value in req.params.items()}
    params['marker'] = items[-1][marker_key]
    params['limit'] = limit
    query_string = parse.urlencode(sorted(params.items()))
    return [{'rel': 'next',
             'href': '%s%s/%s?%s' % (req.prefix, root, collection, query_string)}]


# isoformat() of the naive UTC times the database keeps: what strftime
# would write, at a third of its cost (three per server of a detail list).
def isotime(value) -> str | None:
    return value.isoformat(timespec='seconds') + 'Z' if value else None


def isotime_micro(value) -> str | None:
    return value.isoformat(timespec='microseconds') if value else None
