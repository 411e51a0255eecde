"""The Falcon application factory."""

import dataclasses

import falcon
from oslo_middleware import request_id

from migrator import operations
from migrator.api import common, dashboard, faults, middleware, openapi, policy, routes, routing
from migrator.common import fastjson


@dataclasses.dataclass
class Collaborators:
    """What the resources need, built once and passed to their constructors."""
    conf: object
    authorizer: policy.Authorizer
    ops: operations.Operations
    # The OpenAPI document of each API, by service type.
    openapi_documents: dict


def create_app(conf, db, messaging, enforcer=None, make_context=None,
               route_table=routes.ROUTES):
    """A WSGI application: Falcon app wrapped in the request-id middleware."""
    deps = Collaborators(
        conf=conf,
        authorizer=policy.Authorizer(enforcer or policy.get_enforcer(conf)),
        ops=operations.build(conf, db, messaging,
                             call_timeout=conf.api.migrate_call_timeout),
        openapi_documents={api.service_type: openapi.document(route_table, api)
                           for api in routing.APIS})
    app = falcon.App(middleware=[
        middleware.RequestMiddleware(conf, route_table, make_context)])
    app.req_options.strip_url_path_trailing_slash = True
    app.resp_options.default_media_type = falcon.MEDIA_JSON
    json_handler = falcon.media.JSONHandler(dumps=fastjson.dumps,
                                            loads=common.strict_json_loads)
    app.req_options.media_handlers[falcon.MEDIA_JSON] = json_handler
    app.resp_options.media_handlers[falcon.MEDIA_JSON] = json_handler
    faults.register(app)
    for route in route_table:
        app.add_route(route.path, route.resource(deps))
    wsgi = app
    if conf.api.auth_strategy == 'keystone':
        from keystonemiddleware import auth_token
        wsgi = _OpenPathsOpen(app, auth_token.AuthProtocol(
            app, {'oslo_config_config': conf}), middleware.open_paths(route_table))
    wsgi = request_id.RequestId(dashboard.Dashboard(wsgi, conf))
    wsgi.falcon_app = app
    wsgi.collaborators = deps
    wsgi.db = db
    return wsgi


class _OpenPathsOpen:
    """The paths the route table marks open need no token (clients read the
    version and OpenAPI documents to discover the API)."""

    def __init__(self, app, protected, paths):
        self.app = app
        self.protected = protected
        self.paths = paths | {''}

    def __call__(self, environ, start_response):
        if environ.get('PATH_INFO', '') in self.paths:
            return self.app(environ, start_response)
        return self.protected(environ, start_response)
