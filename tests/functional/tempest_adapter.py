"""tempest's compute service clients, unmodified, sending their requests to
the service in this process.

A tempest client builds the URL and the body, sends the microversion in
``X-OpenStack-Nova-API-Version``, checks that the response names the same
version, picks the response schema for that microversion from its own
``schema_versions_info`` and validates status code, body and headers with
``RestClient.validate_response`` (tempest's validator and format checker).
Only the two ends are replaced here: the auth provider (noauth2 tokens) and
the HTTP connection pool (WebTest instead of urllib3).
"""

import contextlib
import json
from unittest import mock

from tempest.lib.common import rest_client
from tempest.lib.services.compute import (
    aggregates_client,
    availability_zone_client,
    base_compute_client,
    flavors_client,
    hypervisor_client,
    limits_client,
    migrations_client,
    server_groups_client,
    servers_client,
    services_client,
    versions_client,
)

PREFIX = 'http://localhost'
BASE_URL = PREFIX + '/v2.1'

CLIENT_CLASSES = {
    'aggregates': aggregates_client.AggregatesClient,
    'availability_zones': availability_zone_client.AvailabilityZoneClient,
    'flavors': flavors_client.FlavorsClient,
    'hypervisors': hypervisor_client.HypervisorClient,
    'limits': limits_client.LimitsClient,
    'migrations': migrations_client.MigrationsClient,
    'server_groups': server_groups_client.ServerGroupsClient,
    'servers': servers_client.ServersClient,
    'services': services_client.ServicesClient,
    'versions': versions_client.VersionsClient,
}


class NoAuth2:
    """The part of tempest's auth provider a client uses, for noauth2: the
    token names the user and project, the endpoint is fixed."""

    def __init__(self, token: str = 'admin:admin', base_url: str = BASE_URL):
        self.token = token
        self._base_url = base_url

    def auth_request(self, method, url, headers=None, body=None, filters=None):
        headers = dict(headers or {}, **{'X-Auth-Token': self.token})
        return '%s/%s' % (self._base_url, url), headers, body

    def base_url(self, filters=None) -> str:
        return self._base_url

    def get_token(self) -> str:
        return self.token


class Response(dict):
    """What tempest's urllib3 pool returns: the headers in lower case, the
    status as an attribute and as the 'status' key."""

    def __init__(self, webtest_response, url: str):
        super().__init__((name.lower(), value)
                         for name, value in webtest_response.headerlist)
        self.status = webtest_response.status_int
        self['status'] = str(self.status)
        self.reason = webtest_response.status.partition(' ')[2]
        self.version = 11
        self['content-location'] = url


class WebTestHttp:
    """Stands in for tempest's ``http.ClosingHttp``: the request goes to a
    ``webtest.TestApp`` and every exchange is kept for the test to read."""

    def __init__(self, app):
        self.app = app
        self.exchanges = []  # (method, url, request body, Response, response body)

    def request(self, url, method, headers=None, body=None, chunked=False,
                preload_content=True):
        if isinstance(body, str):
            body = body.encode('utf-8')
        # webob takes header values as str only.
        headers = {name: str(value) for name, value in (headers or {}).items()}
        # WebTest refuses a Content-Type without a body.
        if not body:
            headers.pop('Content-Type', None)
        answer = self.app.request(url, method=method, headers=headers,
                                  body=body or b'', expect_errors=True)
        response = Response(answer, url)
        self.exchanges.append((method, url, body, response, answer.body))
        return response, answer.body


def clients(app, token: str = 'admin:admin') -> dict:
    """One tempest client of each kind, sending to ``app`` as ``token``."""
    auth = NoAuth2(token)
    made = {}
    for name, cls in CLIENT_CLASSES.items():
        client = cls(auth, 'compute', 'RegionOne')
        client.http_obj = WebTestHttp(app)
        made[name] = client
    return made


@contextlib.contextmanager
def microversion(version: str | None):
    """Requests in this block ask for ``version`` (None: no header, which
    tempest validates with the 2.1 schemas), as tempest's test classes do."""
    saved = base_compute_client.COMPUTE_MICROVERSION
    base_compute_client.COMPUTE_MICROVERSION = version
    try:
        yield
    finally:
        base_compute_client.COMPUTE_MICROVERSION = saved


# -- which schema a client method validates with, per microversion ---------

class _Chosen(Exception):
    def __init__(self, schema):
        super().__init__('schema chosen')
        self.schema = schema


class _AnyAnswer:
    """A transport answering 200 with an empty JSON object, so that a client
    method runs up to its ``validate_response`` call."""

    def request(self, url, method, headers=None, **kwargs):
        version = (headers or {}).get(
            base_compute_client.BaseComputeClient.api_microversion_header_name)
        response = _Answer({'status': '200', 'content-type': 'application/json',
                            'x-openstack-nova-api-version': version})
        return response, b'{}'


class _Answer(dict):
    status = 200


def _stop_at_validation(cls, schema, resp, body):
    raise _Chosen(schema)


def chosen_schema(client_name: str, method: str, version: str, args: dict) -> dict:
    """The response schema tempest's ``client_name.method`` validates with at
    ``version``, found by running the method against a transport that
    answers anything and stopping at its ``validate_response``."""
    client = CLIENT_CLASSES[client_name](NoAuth2(), 'compute', 'RegionOne')
    client.http_obj = _AnyAnswer()
    with microversion(version), mock.patch.object(
            rest_client.RestClient, 'validate_response',
            classmethod(_stop_at_validation)):
        try:
            getattr(client, method)(**args)
        except _Chosen as chosen:
            return chosen.schema
    raise AssertionError('%s.%s validated nothing' % (client_name, method))


def schema_key(schema: dict) -> str:
    """A stable text of a schema, to tell two microversions' schemas apart."""
    return json.dumps(schema, sort_keys=True, default=repr)
