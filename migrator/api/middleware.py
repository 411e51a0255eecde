"""What applies to every request: size limit, project-id URLs, microversion,
authentication. Request ids come from oslo.middleware's RequestId, which
wraps the whole app."""

import re

from migrator import exception
from migrator.api import auth, microversion

# Old clients put the project id in the URL: /v2.1/{project_id}/servers.
_PROJECT_IN_PATH = re.compile(r'^/v2\.1/(?P<project>[0-9a-zA-Z_.:-]+)(?P<rest>/.*)?$')
_TOP_LEVEL = {'servers', 'flavors', 'os-hypervisors', 'os-services',
              'os-aggregates', 'os-availability-zone', 'os-server-groups',
              'os-migrations', 'openapi.json', 'limits', 'extensions'}


# Read without a token: the version documents and the OpenAPI document.
OPEN_PATHS = ('', '/', '/v2.1', '/v2.1/', '/v2.1/openapi.json')


def _is_open(path: str) -> bool:
    return path in OPEN_PATHS


def _refuse_nul(req) -> None:
    """400 for a NUL in the path or the query: no id or filter holds one, and
    PostgreSQL refuses it in any text it is asked to compare."""
    if '\x00' in req.path:
        raise exception.Invalid(reason='the URL path holds a NUL character (%00)')
    for name, values in req.params.items():
        for value in values if isinstance(values, list) else [values]:
            if '\x00' in name or '\x00' in value:
                raise exception.Invalid(
                    reason='the query parameter %s holds a NUL character (%%00)'
                           % name.replace('\x00', '%00'))


class RequestMiddleware:
    def __init__(self, conf, make_context=None):
        self.max_body = conf.api.max_request_body_size
        self.make_context = make_context or auth.STRATEGIES[conf.api.auth_strategy]

    def process_request(self, req, resp):
        req.context.version = None
        req.context.ctx = None
        match = _PROJECT_IN_PATH.match(req.path)
        if match and match.group('project') not in _TOP_LEVEL and match.group('rest'):
            req.path = '/v2.1' + match.group('rest')
        if req.path.startswith('/v2.1'):
            # First, so that every later error is answered at this version.
            req.context.version = microversion.negotiate(req.headers)
        length = req.content_length
        if length is not None and length > self.max_body:
            raise exception.RequestTooLarge(size=length, limit=self.max_body)
        _refuse_nul(req)
        if req.context.version is None or _is_open(req.path):
            return
        req.context.ctx = self.make_context(req)

    def process_response(self, req, resp, resource, req_succeeded):
        if req.path.startswith('/v2.1'):
            version = getattr(req.context, 'version', None)
            if version is not None:
                for name, value in microversion.headers_for(version).items():
                    resp.set_header(name, value)
            else:
                resp.set_header('Vary', microversion.VARY)
        request_id = req.env.get('openstack.request_id')
        if request_id:
            resp.set_header('x-openstack-request-id', request_id)
            resp.set_header('x-compute-request-id', request_id)
