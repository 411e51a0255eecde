"""The CLI's Keystone path: clouds.yaml (--os-cloud) and the OS_* variables.

No Keystone runs in the functional tests, so a minimal stand-in serves the
v3 version document and POST /v3/auth/tokens. The token it issues is a
noauth2 token ("admin:admin"), which the service accepts, and its catalog
points at the service: the CLI must get both from Keystone, not from
MIGRATOR_URL.
"""

import json

import pytest

from migrator.cmd import wsgi_server
from tests.functional import http_service
from tests.functional.http_service import cli


class FakeKeystone:
    """Just enough Identity v3 for keystoneauth's password plugin."""

    def __init__(self, compute_url: str, token: str = 'admin:admin'):
        self.compute_url = compute_url
        self.token = token
        self.auth_requests: list = []
        self.server = wsgi_server.WSGIServer(self, '127.0.0.1', 0)
        self.server.start()
        self.url = 'http://127.0.0.1:%d/v3' % self.server.port

    def __call__(self, environ, start_response):
        path = environ['PATH_INFO'].rstrip('/')
        if environ['REQUEST_METHOD'] == 'GET' and path == '/v3':
            return self._json(start_response, '200 OK', {'version': {
                'id': 'v3.14', 'status': 'stable', 'updated': '2020-04-07T00:00:00Z',
                'links': [{'rel': 'self', 'href': self.url + '/'}],
                'media-types': [{'base': 'application/json',
                                 'type': 'application/vnd.openstack.identity-v3+json'}]}})
        if environ['REQUEST_METHOD'] == 'POST' and path == '/v3/auth/tokens':
            length = int(environ.get('CONTENT_LENGTH') or 0)
            self.auth_requests.append(json.loads(environ['wsgi.input'].read(length)))
            return self._json(start_response, '201 Created', self._token_body(),
                              [('X-Subject-Token', self.token)])
        return self._json(start_response, '404 Not Found', {'error': path})

    def _token_body(self) -> dict:
        domain = {'id': 'default', 'name': 'Default'}
        return {'token': {
            'methods': ['password'],
            'expires_at': '2999-01-01T00:00:00.000000Z',
            'issued_at': '2020-01-01T00:00:00.000000Z',
            'user': {'id': 'u-admin', 'name': 'admin', 'domain': domain},
            'project': {'id': 'admin', 'name': 'admin', 'domain': domain},
            'roles': [{'id': 'r-admin', 'name': 'admin'}],
            'catalog': [{'type': 'compute', 'name': 'migrator', 'id': 'svc-1',
                         'endpoints': [{'id': 'ep-1', 'interface': 'public',
                                        'region': 'RegionOne',
                                        'region_id': 'RegionOne',
                                        'url': self.compute_url}]}]}}

    @staticmethod
    def _json(start_response, status, body, headers=()):
        data = json.dumps(body).encode()
        start_response(status, [('Content-Type', 'application/json'),
                                ('Content-Length', str(len(data))), *headers])
        return [data]

    def stop(self):
        self.server.stop()


@pytest.fixture(scope='module')
def api(tmp_path_factory):
    with http_service.running(tmp_path_factory.mktemp('keystone')) as service:
        yield service


@pytest.fixture
def keystone(api):
    fake = FakeKeystone(api.url)
    yield fake
    fake.stop()


@pytest.fixture
def env(monkeypatch, tmp_path):
    """No MIGRATOR_* or OS_*, and no clouds.yaml but the test's own."""
    import os
    for name in list(os.environ):
        if name.startswith(('OS_', 'MIGRATOR_')):
            monkeypatch.delenv(name)
    monkeypatch.setenv('OS_CLIENT_CONFIG_FILE', str(tmp_path / 'clouds.yaml'))
    monkeypatch.setenv('OS_CLIENT_SECURE_FILE', str(tmp_path / 'secure.yaml'))
    return monkeypatch


def test_os_variables_authenticate_with_keystone(api, keystone, env, capsys):
    server_id = api.svc.boot(name='via-keystone')
    env.setenv('OS_AUTH_URL', keystone.url)
    env.setenv('OS_USERNAME', 'admin')
    env.setenv('OS_PASSWORD', 's3cret')
    env.setenv('OS_PROJECT_NAME', 'admin')
    env.setenv('OS_USER_DOMAIN_NAME', 'Default')
    env.setenv('OS_PROJECT_DOMAIN_NAME', 'Default')
    result = cli(capsys, None, 'server', 'show', 'via-keystone', '-f', 'value',
                 '-c', 'id')
    assert result.code == 0, result.err
    assert result.out.strip() == server_id
    (request,) = keystone.auth_requests
    user = request['auth']['identity']['password']['user']
    assert (user['name'], user['password']) == ('admin', 's3cret')
    assert request['auth']['scope']['project']['name'] == 'admin'


def test_flags_override_the_environment(api, keystone, env, capsys):
    env.setenv('MIGRATOR_URL', 'http://127.0.0.1:9/v2.1')  # not used
    result = cli(capsys, None, '--os-auth-url', keystone.url, '--os-username',
                 'admin', '--os-password', 'pw', '--os-project-name', 'admin',
                 '--os-user-domain-name', 'Default', '--os-project-domain-name',
                 'Default', 'hypervisor', 'list', '-f', 'value', '-c', 'Hostname')
    assert result.code == 0, result.err
    assert result.out.split() == ['compute1', 'compute2', 'compute3']
    assert len(keystone.auth_requests) == 1


def test_keystone_refusal_is_reported(api, env, capsys):
    class Refusing(FakeKeystone):
        def _token_body(self):
            raise AssertionError('not reached')

        def __call__(self, environ, start_response):
            if environ['REQUEST_METHOD'] == 'POST':
                return self._json(start_response, '401 Unauthorized', {'error': {
                    'code': 401, 'title': 'Unauthorized',
                    'message': 'The request you have made requires authentication.'}})
            return super().__call__(environ, start_response)

    refusing = Refusing(api.url)
    try:
        env.setenv('OS_AUTH_URL', refusing.url)
        env.setenv('OS_USERNAME', 'admin')
        env.setenv('OS_PASSWORD', 'wrong')
        env.setenv('OS_PROJECT_NAME', 'admin')
        env.setenv('OS_USER_DOMAIN_NAME', 'Default')
        env.setenv('OS_PROJECT_DOMAIN_NAME', 'Default')
        result = cli(capsys, None, 'server', 'list')
    finally:
        refusing.stop()
    assert result.code != 0
    assert result.err.startswith('Authentication failed: ')
    assert 'Traceback' not in result.err


def test_clouds_yaml(api, env, tmp_path, capsys):
    """A cloud whose auth is keystoneauth's admin_token plugin: the
    token-endpoint pair, read from clouds.yaml."""
    (tmp_path / 'clouds.yaml').write_text(
        'clouds:\n'
        '  lab:\n'
        '    auth_type: admin_token\n'
        '    auth:\n'
        '      endpoint: %s\n'
        '      token: "admin:admin"\n' % api.url)
    result = cli(capsys, None, '--os-cloud', 'lab', 'flavor', 'list', '-f',
                 'value', '-c', 'Name')
    assert result.code == 0, result.err
    assert 'm1.tiny' in result.out.split()

    missing = cli(capsys, None, '--os-cloud', 'nowhere', 'flavor', 'list')
    assert missing.code != 0
    assert 'nowhere' in missing.err
