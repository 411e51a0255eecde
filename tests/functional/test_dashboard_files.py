"""/dashboard/: the dashboard's files, served without a token (they hold no
data) and nothing else: only the names the package holds, never a path
from the request on the file system; the APIs still want a token."""

import pytest

from tests.fixtures import headers

FILES = {'index.html': 'text/html', 'app.js': 'text/javascript',
         'style.css': 'text/css', 'favicon.svg': 'image/svg+xml'}


@pytest.fixture(scope='module')
def service(module_service):
    return module_service


@pytest.mark.parametrize('name', sorted(FILES))
def test_each_file_with_its_type_and_headers(service, name):
    resp = service.app.get('/dashboard/%s' % name)
    assert resp.content_type == FILES[name]
    assert resp.headers['Cache-Control'] == 'no-cache'
    assert resp.headers['X-Content-Type-Options'] == 'nosniff'
    csp = resp.headers['Content-Security-Policy']
    assert "default-src 'none'" in csp and "script-src 'self'" in csp
    assert "connect-src 'self'" in csp
    again = service.app.get('/dashboard/%s' % name,
                            headers={'If-None-Match': resp.headers['ETag']}, status=304)
    assert again.body == b''


def test_the_page_and_its_redirect(service):
    page = service.app.get('/dashboard/')
    assert b'<script type="module" src="app.js">' in page.body
    assert page.body == service.app.get('/dashboard/index.html').body
    moved = service.app.get('/dashboard', status=301)
    assert moved.headers['Location'].endswith('/dashboard/')


@pytest.mark.parametrize('path', [
    '/dashboard/../setup.cfg', '/dashboard/%2e%2e/setup.cfg', '/dashboard/..%2fsetup.cfg',
    '/dashboard/__init__.py', '/dashboard/app.js/', '/dashboard//etc/passwd',
    '/dashboard/..\\__init__.py', '/dashboard/static/app.js', '/dashboard/index.html%00',
    '/dashboard/APP.JS', '/dashboard/.', '/dashboard/%252e%252e/x'])
def test_nothing_else_is_served(service, path):
    resp = service.app.get(path, status=404, expect_errors=True)
    assert resp.json['itemNotFound']['code'] == 404


def test_read_only_and_the_apis_still_want_a_token(service):
    resp = service.app.post('/dashboard/index.html', status=405)
    assert resp.headers['Allow'] == 'GET, HEAD'
    assert resp.json['badMethod']['code'] == 405, 'the API\'s fault body'
    service.app.delete('/dashboard/', status=405)
    service.app.get('/migrator/capacity', status=401)
    service.app.get('/v2.1/servers', status=401)
    service.app.get('/migrator/capacity', headers=headers())
