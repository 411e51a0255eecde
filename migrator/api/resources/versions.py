"""Version documents at / and /v2.1/."""

from migrator.api import microversion

UPDATED = '2013-07-23T11:33:21Z'


def _version_document(req) -> dict:
    return {
        'id': 'v2.1',
        'status': 'CURRENT',
        'version': microversion.MAX_VERSION_STRING,
        'min_version': microversion.MIN_VERSION_STRING,
        'updated': UPDATED,
        'links': [{'rel': 'self', 'href': '%s/v2.1/' % req.prefix},
                  {'rel': 'describedby', 'type': 'text/html',
                   'href': 'https://docs.openstack.org/'}],
        'media-types': [{'base': 'application/json',
                         'type': 'application/vnd.openstack.compute+json;version=2.1'}],
    }


class Root:
    def __init__(self, deps):
        self.deps = deps

    def on_get(self, req, resp):
        document = _version_document(req)
        del document['media-types']
        resp.media = {'versions': [document]}


class V21:
    def __init__(self, deps):
        self.deps = deps

    def on_get(self, req, resp):
        resp.media = {'version': _version_document(req)}
