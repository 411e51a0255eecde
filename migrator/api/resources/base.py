"""Small helpers every resource uses: body, context, version, links, paging."""

import falcon
from oslo_utils import uuidutils

from migrator import exception
from migrator.api import schemas


def context(req):
    return req.context.ctx


def version_at_least(req, feature: tuple) -> bool:
    return tuple(req.context.version) >= feature


def json_body(req, schema: dict | None = None):
    """The parsed JSON body, validated against ``schema`` when given."""
    try:
        body = req.get_media(default_when_empty=None)
    except falcon.MediaNotFoundError:
        body = None
    except falcon.MediaMalformedError as error:
        cause = getattr(error, '__cause__', None) or error
        raise exception.Invalid(reason='the body is not valid JSON (%s)' % cause)
    except falcon.HTTPUnsupportedMediaType:
        raise exception.Invalid(reason='Content-Type %s is not supported; send '
                                'application/json' % req.content_type)
    if body is None:
        raise exception.Invalid(reason='a JSON request body is required')
    if schema is not None:
        schemas.validate(schema, body)
    return body


def check_uuid(value: str, error_cls, **kwargs) -> None:
    """A path id that cannot be a uuid names nothing: 404, as Nova answers."""
    if not uuidutils.is_uuid_like(value):
        raise error_cls(**kwargs)


def query(req, schema: dict) -> dict:
    """Query parameters as a dict (last value wins), validated."""
    params = {}
    for key, value in req.params.items():
        params[key] = value[-1] if isinstance(value, list) else value
    schemas.validate(schema, params)
    return params


def links(req, collection: str, item_id) -> list:
    base = req.prefix
    return [{'rel': 'self', 'href': '%s/v2.1/%s/%s' % (base, collection, item_id)},
            {'rel': 'bookmark', 'href': '%s/%s/%s' % (base, collection, item_id)}]


def next_link(req, collection: str, items: list, limit: int | None,
              marker_key: str = 'id') -> list:
    """A "next" link when the page is full, as Nova's *_links."""
    if not limit or len(items) < limit:
        return []
    params = dict(req.params)
    params['marker'] = items[-1][marker_key]
    params['limit'] = limit
    qs = '&'.join('%s=%s' % (k, v) for k, v in sorted(params.items())
                  if not isinstance(v, list))
    return [{'rel': 'next', 'href': '%s/v2.1/%s?%s' % (req.prefix, collection, qs)}]


def isotime(value) -> str | None:
    return value.strftime('%Y-%m-%dT%H:%M:%SZ') if value else None


def isotime_micro(value) -> str | None:
    return value.strftime('%Y-%m-%dT%H:%M:%S.%f') if value else None
