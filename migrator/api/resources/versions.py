"""Version documents at /, /v2/ and /v2.1/, shaped like Nova's.

Nova lists v2.0 (the API before microversions) first, and clients check
that it does (tempest's ``test_list_api_versions``). migrator serves the
Compute API at v2.1 only: /v2/ answers its version document, nothing
below it.
"""

from migrator.api import microversion, migrator_api

UPDATED = '2013-07-23T11:33:21Z'
V20_UPDATED = '2011-01-21T11:33:21Z'
MEDIA_TYPE = 'application/vnd.openstack.compute+json;version=2.1'


def _summary(req) -> dict:
    """What GET / lists for each major version."""
    return {
        'id': 'v2.1',
        'status': 'CURRENT',
        'version': microversion.MAX_VERSION_STRING,
        'min_version': microversion.MIN_VERSION_STRING,
        'updated': UPDATED,
        'links': [{'rel': 'self', 'href': '%s/v2.1/' % req.prefix}],
    }


def _v20_summary(req) -> dict:
    return {'id': 'v2.0', 'status': 'SUPPORTED', 'version': '', 'min_version': '',
            'updated': V20_UPDATED,
            'links': [{'rel': 'self', 'href': '%s/v2/' % req.prefix}]}


def _document(summary: dict, media_type: str) -> dict:
    """A version document: its summary, documentation and media types."""
    summary['links'].append({'rel': 'describedby', 'type': 'text/html',
                             'href': 'http://docs.openstack.org/'})
    summary['media-types'] = [{'base': 'application/json', 'type': media_type}]
    return summary


class Root:
    """GET /: every major version, v2.0 first as in Nova."""

    def __init__(self, deps):
        self.deps = deps

    def on_get(self, req, resp):
        resp.media = {'versions': [_v20_summary(req), _summary(req)]}


class V20:
    """GET /v2/: the v2.0 version document."""

    def __init__(self, deps):
        self.deps = deps

    def on_get(self, req, resp):
        resp.media = {'version': _document(
            _v20_summary(req), 'application/vnd.openstack.compute+json;version=2')}


class V21:
    """GET /v2.1/: the v2.1 version document."""

    def __init__(self, deps):
        self.deps = deps

    def on_get(self, req, resp):
        resp.media = {'version': _document(_summary(req), MEDIA_TYPE)}


class MigratorRoot:
    """GET /migrator: the versions of migrator's own API."""

    def __init__(self, deps):
        self.deps = deps

    def on_get(self, req, resp):
        api = migrator_api.API
        resp.media = {'versions': [{
            'id': 'v1.0',
            'status': 'CURRENT',
            'min_version': '%d.%d' % api.min_version,
            'max_version': '%d.%d' % api.max_version,
            'links': [{'rel': 'self', 'href': '%s%s/' % (req.prefix, api.prefix)}],
        }]}
