"""The compute API over a keystoneauth1 session: auth, microversions, errors.

Two ways in, as the operator's environment says:

* noauth2 (the embedded default): an endpoint and a ``user:project`` token,
  through keystoneauth's token-endpoint plugin;
* Keystone: ``--os-cloud`` (clouds.yaml) or the ``OS_*`` variables, loaded by
  openstacksdk's config loader; the endpoint comes from the catalog.
"""

import re

from keystoneauth1 import adapter, token_endpoint
from keystoneauth1 import exceptions as ks_exceptions
from keystoneauth1 import session as ks_session

#: The newest compute API microversion this client understands.
CLIENT_MAX_VERSION = (2, 56)
#: The oldest one any Nova-style compute API serves.
MIN_VERSION = (2, 1)
#: The microversion that lets a cold migration name its target host.
MIGRATE_HOST_VERSION = (2, 56)
#: The version of migrator's own API (/migrator) this client speaks.
MIGRATOR_VERSION = (1, 3)
MIGRATOR_SERVICE_TYPE = 'migrator'

_VERSION_RE = re.compile(r'^2\.(\d+)$')


class CommandError(Exception):
    """A failure the CLI reports as one line, without a traceback."""


class ApiError(CommandError):
    """An error response from the compute API, with Nova's fault message."""

    def __init__(self, status: int, reason: str, message: str,
                 request_id: str | None = None, method: str = '', url: str = ''):
        self.status = status
        self.reason = reason
        self.message = message
        self.request_id = request_id
        self.method = method
        self.url = url
        super().__init__(str(self))

    def __str__(self) -> str:
        message = ' '.join(self.message.split())
        text = 'HTTP %d %s: %s' % (self.status, self.reason, message)
        if self.request_id:
            text += ' (request id %s)' % self.request_id
        return text


def parse_version(text: str) -> tuple:
    """'2.56' -> (2, 56); anything else is a CommandError."""
    match = _VERSION_RE.match(text.strip())
    if not match:
        raise CommandError('--os-compute-api-version %r is not a compute '
                           'microversion; use 2.N, for example 2.56' % text)
    return (2, int(match.group(1)))


def format_version(version: tuple) -> str:
    return '%d.%d' % version


def fault_message(response) -> str:
    """The message of a Nova-shaped fault body, or the raw text."""
    try:
        body = response.json()
    except ValueError:
        return (response.text or '').strip() or response.reason or 'no message'
    if isinstance(body, dict) and len(body) == 1:
        (fault,) = body.values()
        if isinstance(fault, dict) and 'message' in fault:
            return str(fault['message'])
    if isinstance(body, dict) and 'message' in body:
        return str(body['message'])
    return response.text.strip()


def send(adapter_: adapter.Adapter, method: str, path: str, **kwargs):
    """One request; transport and auth failures become one-line errors."""
    try:
        response = adapter_.request(path, method, **kwargs)
    except ks_exceptions.ConnectionError as error:
        raise CommandError('Cannot reach the compute API at %s: %s'
                           % (_endpoint_of(adapter_), error)) from error
    except ks_exceptions.HttpError as error:
        # Raised by the auth plugin (Keystone said no), not by the compute API.
        raise CommandError('Authentication failed: %s' % error) from error
    except ks_exceptions.ClientException as error:
        raise CommandError('%s %s failed: %s' % (method, path, error)) from error
    if response.status_code >= 400:
        raise ApiError(response.status_code, response.reason or '',
                       fault_message(response),
                       response.headers.get('x-openstack-request-id'),
                       method, path)
    return response


def _endpoint_of(adapter_: adapter.Adapter) -> str:
    try:
        return adapter_.get_endpoint() or adapter_.endpoint_override or '?'
    except ks_exceptions.ClientException:
        return adapter_.endpoint_override or '(catalog lookup failed)'


class ApiClient:
    """JSON requests to one endpoint at one microversion."""

    def __init__(self, adapter_: adapter.Adapter, version: tuple):
        self.adapter = adapter_
        self.version = version

    @property
    def endpoint(self) -> str:
        return _endpoint_of(self.adapter)

    def supports(self, version: tuple) -> bool:
        return self.version >= version

    def request(self, method: str, path: str, body=None, params=None,
                version: tuple | None = None):
        """The decoded JSON body (None when empty); ApiError on 4xx/5xx."""
        kwargs = {'raise_exc': False,
                  'microversion': format_version(version or self.version)}
        if body is not None:
            kwargs['json'] = body
        if params:
            kwargs['params'] = {k: v for k, v in params.items() if v is not None}
        response = send(self.adapter, method, path, **kwargs)
        if not response.content:
            return None
        return response.json()

    def get(self, path, **params):
        return self.request('GET', path, params=params)

    def post(self, path, body=None, version=None):
        return self.request('POST', path, body=body, version=version)

    def put(self, path, body=None):
        return self.request('PUT', path, body=body)

    def delete(self, path):
        return self.request('DELETE', path)


class ComputeClient(ApiClient):
    """The compute API, and migrator's own API beside it."""

    _migrator: ApiClient | None = None

    @property
    def migrator(self) -> ApiClient:
        """migrator's own API, on the same session (and so the same token)."""
        if self._migrator is None:
            self._migrator = ApiClient(migrator_adapter(self.adapter),
                                       MIGRATOR_VERSION)
        return self._migrator


def migrator_adapter(compute: adapter.Adapter) -> adapter.Adapter:
    """migrator's own API: the catalog's ``migrator`` endpoint when Keystone
    lists one, else /migrator beside the compute endpoint (the same
    process and port serve both)."""
    found = adapter.Adapter(compute.session, service_type=MIGRATOR_SERVICE_TYPE,
                            interface=compute.interface,
                            region_name=compute.region_name)
    endpoint = None
    if compute.endpoint_override is None:
        try:
            endpoint = found.get_endpoint()
        except ks_exceptions.ClientException:
            endpoint = None
    if endpoint is None:
        root = _endpoint_of(compute).rstrip('/')
        if root.endswith('/v2.1'):
            root = root[:-len('/v2.1')]
        endpoint = root + '/migrator'
    found.endpoint_override = endpoint.rstrip('/')
    return found


def server_max_version(adapter_: adapter.Adapter) -> tuple:
    """The newest microversion the service serves, read from its version
    document (GET /v2.1/). An unversioned endpoint answers with the list of
    versions: then the v2.1 entry counts, and the adapter moves to its URL."""
    body = send(adapter_, 'GET', '/', raise_exc=False).json()
    document = body.get('version')
    if document is None:
        for candidate in body.get('versions') or []:
            if candidate.get('id') == 'v2.1':
                document = candidate
                href = [link['href'] for link in candidate.get('links', [])
                        if link.get('rel') == 'self']
                if href:
                    adapter_.endpoint_override = href[0].rstrip('/')
    if not document or not document.get('version'):
        # A compute API without microversions only speaks 2.1.
        return MIN_VERSION
    return parse_version(document['version'])


def negotiate(adapter_: adapter.Adapter, requested: str | None) -> tuple:
    """The microversion to speak: the one asked for, or the highest both
    this client and the service know."""
    if requested and requested != 'auto':
        return parse_version(requested)
    return min(server_max_version(adapter_), CLIENT_MAX_VERSION)


def noauth_adapter(endpoint: str, token: str, timeout: float | None) -> adapter.Adapter:
    """A session for noauth2: the token is sent as is, to this endpoint."""
    auth = token_endpoint.Token(endpoint.rstrip('/'), token)
    session = ks_session.Session(auth=auth, timeout=timeout,
                                 app_name='migrator-cli')
    return adapter.Adapter(session, service_type='compute',
                           endpoint_override=endpoint.rstrip('/'))


def keystone_adapter(options, timeout: float | None) -> adapter.Adapter:
    """A session from clouds.yaml or OS_* (openstacksdk's config loader)."""
    # Imported here: openstacksdk is only needed when Keystone is.
    from openstack import exceptions as sdk_exceptions
    from openstack.config import loader

    try:
        region = loader.OpenStackConfig(app_name='migrator-cli').get_one(
            argparse=options)
        session = region.get_session()
    except (sdk_exceptions.ConfigException,
            ks_exceptions.ClientException) as error:
        raise CommandError('Cannot load the Keystone credentials: %s' % error) from error
    if timeout:
        session.timeout = timeout
    return adapter.Adapter(session, service_type='compute',
                           interface=region.get_interface('compute'),
                           region_name=region.get_region_name('compute'),
                           endpoint_override=region.get_endpoint('compute'))


def connect(endpoint: str | None, token: str, keystone_options,
            requested_version: str | None, timeout: float | None = None
            ) -> ComputeClient:
    """A client for the endpoint (noauth2) or for Keystone's catalog."""
    if endpoint:
        adapter_ = noauth_adapter(endpoint, token, timeout)
    elif keystone_options is not None:
        adapter_ = keystone_adapter(keystone_options, timeout)
    else:
        raise CommandError(
            'No compute endpoint: set MIGRATOR_URL (migrator-all prints it) or '
            'pass --os-endpoint URL; for Keystone, pass --os-cloud or set '
            'OS_AUTH_URL and the other OS_* variables.')
    return ComputeClient(adapter_, negotiate(adapter_, requested_version))
