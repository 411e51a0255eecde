"""What applies to every request: size limit, project-id URLs, microversion,
authentication, and the route table's entry for the method asked. Request
ids come from oslo.middleware's RequestId, which wraps the whole app."""

import re

import falcon

from migrator import exception
from migrator.api import auth, microversion, routing

# Old clients put the project id in the URL: /v2.1/{project_id}/servers.
_PROJECT_IN_PATH = re.compile(r'^/v2\.1/(?P<project>[0-9a-zA-Z_.:-]+)(?P<rest>/.*)?$')


def open_paths(route_table) -> frozenset:
    """Paths read without a token (the version and OpenAPI documents), with
    and without their trailing slash."""
    found = set()
    for route in route_table:
        if route.open:
            found.update({route.path.rstrip('/'), route.path.rstrip('/') + '/'})
    return frozenset(found)


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
    def __init__(self, conf, route_table, make_context=None):
        self.max_body = conf.api.max_request_body_size
        self.make_context = make_context or auth.STRATEGIES[conf.api.auth_strategy]
        self.open_paths = open_paths(route_table)
        self.top_level = frozenset(r.top_level for r in route_table if r.top_level)
        self.methods = {(route.path, name): method for route in route_table
                        for name, method in route.methods.items()}

    def _strip_project(self, path: str) -> str:
        """/v2.1/{project}/servers -> /v2.1/servers; a path whose first
        segment is not a project followed by a known collection stays as it
        is (and is a 404 if nothing answers it)."""
        match = _PROJECT_IN_PATH.match(path)
        if not match or not match.group('rest'):
            return path
        following = match.group('rest').split('/')[1]
        if match.group('project') in self.top_level or \
                following not in self.top_level:
            return path
        return '/v2.1' + match.group('rest')

    def process_request(self, req, resp):
        req.context.version = None
        req.context.ctx = None
        req.context.method = None
        req.path = self._strip_project(req.path)
        req.context.api = routing.api_of(req.path)
        if req.context.api is not None:
            # First, so that every later error is answered at this version.
            req.context.version = microversion.negotiate(req.headers,
                                                         req.context.api)
        length = req.content_length
        if length is not None and length > self.max_body:
            raise exception.RequestTooLarge(size=length, limit=self.max_body)
        _refuse_nul(req)
        if req.context.version is None or req.path in self.open_paths:
            return
        req.context.ctx = self.make_context(req)

    def process_resource(self, req, resp, resource, params):
        """The route table's entry for this method; 405 before the
        microversion that introduced it."""
        if resource is None:
            return
        method = self.methods.get((req.uri_template, req.method))
        req.context.method = method
        version = req.context.version
        if method is not None and version is not None and \
                method.since is not None and tuple(version) < method.since:
            allowed = sorted(name for (path, name), found in self.methods.items()
                             if path == req.uri_template and
                             (found.since is None or tuple(version) >= found.since))
            if not allowed:
                # Nothing is there yet at this version.
                raise falcon.HTTPNotFound()
            raise falcon.HTTPMethodNotAllowed(allowed)

    def process_response(self, req, resp, resource, req_succeeded):
        api = getattr(req.context, 'api', None)
        if api is not None:
            version = getattr(req.context, 'version', None)
            if version is not None:
                for name, value in microversion.headers_for(version, api).items():
                    resp.set_header(name, value)
            else:
                resp.set_header('Vary', api.vary)
        request_id = req.env.get('openstack.request_id')
        if request_id:
            resp.set_header('x-openstack-request-id', request_id)
            resp.set_header('x-compute-request-id', request_id)
