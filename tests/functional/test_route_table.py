"""The route table is the single declaration of a path: a route added to it
alone is routed, validated, documented, and its project-id form is
understood; a path nobody declared is a 404, never rewritten into another."""

import pytest
import webtest

from migrator.api import app as api_app
from migrator.api import common, routes
from migrator.api.routing import Method, Route, always
from tests import fixtures
from tests.fixtures import headers

_WORD = {'type': 'object', 'properties': {'word': {'type': 'string', 'maxLength': 8}},
         'required': ['word'], 'additionalProperties': False}
_LOUD = {'type': 'object', 'properties': {'loud': {'type': 'string',
                                                   'enum': ['yes', 'no']}},
         'additionalProperties': False}


class Echoes:
    def __init__(self, deps):
        self.deps = deps

    def on_post(self, req, resp):
        word = common.body(req)['word']
        loud = common.params(req).get('loud') == 'yes'
        resp.media = {'echo': word.upper() if loud else word}


class Echo:
    def __init__(self, deps):
        self.deps = deps

    def on_get(self, req, resp, word):
        resp.media = {'echo': word}


TABLE = routes.ROUTES + (
    Route('/v2.1/os-echoes', Echoes, {
        'POST': Method('Echo a word.', body=always(_WORD), query=always(_LOUD))}),
    Route('/v2.1/os-echoes/{word}', Echo, {'GET': Method('Echo the path.')}),
)


@pytest.fixture(scope='module')
def service(tmp_path_factory):
    svc = fixtures.Service(tmp_path_factory.mktemp('routes'))
    yield svc
    svc.stop()


@pytest.fixture(scope='module')
def app(service):
    return webtest.TestApp(api_app.create_app(service.conf, service.db,
                                              service.dep.messaging,
                                              route_table=TABLE))


def test_a_route_added_to_the_table_is_routed_and_validated(app):
    assert app.post_json('/v2.1/os-echoes', {'word': 'hi'},
                         headers=headers()).json == {'echo': 'hi'}
    assert app.post_json('/v2.1/os-echoes?loud=yes', {'word': 'hi'},
                         headers=headers()).json == {'echo': 'HI'}
    resp = app.post_json('/v2.1/os-echoes', {'word': 'much too long'},
                         headers=headers(), status=400)
    assert 'Invalid input for field/attribute word.' in resp.json['badRequest']['message']
    resp = app.post_json('/v2.1/os-echoes?loud=maybe', {'word': 'hi'},
                         headers=headers(), status=400)
    assert 'field/attribute loud' in resp.json['badRequest']['message']
    resp = app.get('/v2.1/os-echoes', headers=headers(), status=405)
    assert 'POST' in resp.headers['Allow'] and 'GET' not in resp.headers['Allow']


def test_a_route_added_to_the_table_is_documented(app):
    document = app.get('/v2.1/openapi.json').json
    post = document['paths']['/v2.1/os-echoes']['post']
    assert post['summary'] == 'Echo a word.'
    assert 'requestBody' in post
    assert [p['name'] for p in post['parameters'] if p.get('in') == 'query'] == ['loud']
    assert 'get' in document['paths']['/v2.1/os-echoes/{word}']


def test_its_project_id_form_is_understood_and_never_taken_for_another(app):
    """/v2.1/{project}/os-echoes is the new collection; /v2.1/os-echoes/servers
    is an echo of 'servers', not the servers collection of a project named
    os-echoes."""
    assert app.post_json('/v2.1/proj/os-echoes', {'word': 'hi'},
                         headers=headers()).json == {'echo': 'hi'}
    assert app.get('/v2.1/os-echoes/servers', headers=headers()).json == {
        'echo': 'servers'}


def test_a_path_nobody_declared_is_a_404_not_a_rewrite(app):
    resp = app.get('/v2.1/os-undeclared/c1', headers=headers(), status=404)
    assert '/v2.1/os-undeclared/c1' in resp.json['itemNotFound']['message']
    # A project id in front of a known collection is still understood.
    assert 'servers' in app.get('/v2.1/proj/servers', headers=headers()).json
