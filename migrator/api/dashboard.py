"""``/dashboard/``: the operator dashboard's files, in front of the API.

The files hold no data: the page asks the API for everything, with the
token the operator signs in with, so the files themselves are served
without one. Only the names the package holds are served (nothing from the
request path reaches the file system); anything else under ``/dashboard``
is a JSON 404.
"""

import hashlib
import importlib.resources
import json

from migrator.api import faults

FILES = {
    'index.html': 'text/html; charset=utf-8',
    'app.js': 'text/javascript; charset=utf-8',
    'style.css': 'text/css; charset=utf-8',
    'favicon.svg': 'image/svg+xml',
}
PREFIX = '/dashboard'


def _load() -> dict:
    package = importlib.resources.files('migrator.dashboard')
    found = {}
    for name, media_type in FILES.items():
        body = package.joinpath(name).read_bytes()
        etag = '"%s"' % hashlib.sha256(body).hexdigest()[:32]
        found[name] = (body, media_type, etag)
    return found


def _csp(conf) -> str:
    """Only this service's own files and API; and the Keystone the API
    trusts, for signing in with a password."""
    connect = ["'self'"]
    if conf.api.auth_strategy == 'keystone':
        group = conf.keystone_authtoken
        for name in ('www_authenticate_uri', 'auth_uri'):
            url = getattr(group, name, None)
            if url:
                connect.append(url.rstrip('/'))
                break
    return ("default-src 'none'; script-src 'self'; style-src 'self'; "
            "img-src 'self'; connect-src %s; base-uri 'none'; form-action 'none'; "
            "frame-ancestors 'none'" % ' '.join(connect))


class Dashboard:
    """WSGI: ``/dashboard`` and below answered here, the rest by ``app``."""

    def __init__(self, app, conf):
        self.app = app
        self.files = _load()
        self.headers = [('Cache-Control', 'no-cache'),
                        ('X-Content-Type-Options', 'nosniff'),
                        ('Referrer-Policy', 'no-referrer'),
                        ('Content-Security-Policy', _csp(conf))]

    def __call__(self, environ, start_response):
        path = environ.get('PATH_INFO', '')
        if path != PREFIX and not path.startswith(PREFIX + '/'):
            return self.app(environ, start_response)
        method = environ.get('REQUEST_METHOD', 'GET')
        if method not in ('GET', 'HEAD'):
            return self._error(start_response, '405 Method Not Allowed', 405,
                               'The dashboard is read-only: GET its files.',
                               [('Allow', 'GET, HEAD')])
        if path in (PREFIX, PREFIX + '/'):
            if path == PREFIX:
                location = environ.get('SCRIPT_NAME', '') + PREFIX + '/'
                start_response('301 Moved Permanently', [
                    ('Location', location), ('Content-Length', '0')])
                return [b'']
            name = 'index.html'
        else:
            name = path[len(PREFIX) + 1:]
        found = self.files.get(name)
        if found is None:
            return self._error(start_response, '404 Not Found', 404,
                               'The dashboard has no file %s.' % json.dumps(name))
        body, media_type, etag = found
        headers = self.headers + [('ETag', etag)]
        if environ.get('HTTP_IF_NONE_MATCH') == etag:
            start_response('304 Not Modified', headers)
            return [b'']
        start_response('200 OK', headers + [('Content-Type', media_type),
                                            ('Content-Length', str(len(body)))])
        return [b''] if method == 'HEAD' else [body]

    @staticmethod
    def _error(start_response, status, code, message, extra=()):
        # The API's own fault body, though falcon is not in front of this.
        body = json.dumps(faults.fault_body(code, message)).encode()
        start_response(status, [('Content-Type', 'application/json'),
                                ('Content-Length', str(len(body)))] + list(extra))
        return [body]
