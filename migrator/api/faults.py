"""Every error becomes a Nova-shaped fault body, in one place."""

import logging

import falcon

from migrator import exception

LOG = logging.getLogger(__name__)

FAULT_NAMES = {400: 'badRequest', 401: 'unauthorized', 403: 'forbidden',
               404: 'itemNotFound', 405: 'badMethod', 409: 'conflictingRequest',
               413: 'overLimit', 415: 'badMediaType'}


def fault_body(code: int, message: str) -> dict:
    return {FAULT_NAMES.get(code, 'computeFault'): {'code': code,
                                                     'message': message}}


def _respond(resp, code: int, message: str, headers: dict | None = None) -> None:
    resp.status = code
    resp.media = fault_body(code, message)
    for name, value in (headers or {}).items():
        resp.set_header(name, value)


def handle_domain_error(req, resp, error, params):
    """A MigratorException: its code and its message."""
    if error.code >= 500:
        LOG.error('%s %s failed: %s', req.method, req.path, error.format_message())
    _respond(resp, error.code, error.format_message())


def handle_http_error(req, resp, error, params):
    """Falcon's own errors (unknown route, wrong method, bad JSON)."""
    code = error.status_code if hasattr(error, 'status_code') else int(
        str(error.status).split()[0])
    message = error.description or error.title
    if code == 404 and not error.description:
        message = 'The resource could not be found: %s %s' % (req.method, req.path)
    if code == 405:
        message = 'Method %s is not allowed on %s.' % (req.method, req.path)
    _respond(resp, code, message, dict(error.headers or {}))


def handle_unexpected(req, resp, error, params):
    """Anything else: logged with its traceback, never shown to the client."""
    if isinstance(error, falcon.HTTPError):
        return handle_http_error(req, resp, error, params)
    LOG.exception('Unexpected error on %s %s', req.method, req.path)
    _respond(resp, 500, 'Unexpected API Error. The error has been logged '
             'with request id %s.' % req.env.get('openstack.request_id', '-'))


def register(app: falcon.App) -> None:
    # Falcon picks the most specific handler for an exception's class.
    app.add_error_handler(Exception, handle_unexpected)
    app.add_error_handler(falcon.HTTPError, handle_http_error)
    app.add_error_handler(exception.MigratorException, handle_domain_error)
