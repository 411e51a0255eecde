"""The Falcon application factory."""

import dataclasses

import falcon
from oslo_middleware import request_id

from migrator.api import faults, middleware, policy, routes
from migrator.api.resources import base
from migrator.compute import rpcapi as compute_rpcapi
from migrator.conductor import rpcapi as conductor_rpcapi


@dataclasses.dataclass
class Collaborators:
    """What the resources need, built once and passed to their constructors."""
    conf: object
    db: object
    authorizer: policy.Authorizer
    conductor_api: conductor_rpcapi.ConductorAPI
    compute_api: compute_rpcapi.ComputeAPI


def create_app(conf, db, messaging, enforcer=None, make_context=None):
    """A WSGI application: Falcon app wrapped in the request-id middleware."""
    deps = Collaborators(
        conf=conf, db=db,
        authorizer=policy.Authorizer(enforcer or policy.get_enforcer(conf)),
        conductor_api=conductor_rpcapi.ConductorAPI(
            messaging, conf, timeout=conf.api.migrate_call_timeout),
        compute_api=compute_rpcapi.ComputeAPI(messaging, conf))
    app = falcon.App(middleware=[middleware.RequestMiddleware(conf, make_context)])
    app.req_options.strip_url_path_trailing_slash = True
    app.resp_options.default_media_type = falcon.MEDIA_JSON
    app.req_options.media_handlers[falcon.MEDIA_JSON] = falcon.media.JSONHandler(
        loads=base.strict_json_loads)
    faults.register(app)
    for path, resource_class in routes.ROUTES:
        app.add_route(path, resource_class(deps))
    wsgi = app
    if conf.api.auth_strategy == 'keystone':
        from keystonemiddleware import auth_token
        wsgi = _VersionDocumentsOpen(app, auth_token.AuthProtocol(
            app, {'oslo_config_config': conf}))
    wsgi = request_id.RequestId(wsgi)
    wsgi.falcon_app = app
    wsgi.collaborators = deps
    return wsgi


class _VersionDocumentsOpen:
    """Version and OpenAPI documents need no token (clients read them to
    discover the API)."""

    def __init__(self, app, protected):
        self.app = app
        self.protected = protected

    def __call__(self, environ, start_response):
        if environ.get('PATH_INFO', '') in middleware.OPEN_PATHS:
            return self.app(environ, start_response)
        return self.protected(environ, start_response)
