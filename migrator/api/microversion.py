"""Microversions, negotiated with microversion-parse: those of the compute
API (this module's constants), and the ``Api`` description each API of the
service has (the compute API here, migrator's own in ``migrator_api``).

Every version Nova defined between 2.1 and 2.56 is accepted; a version that
changes nothing in migrator's subset behaves as the one before it.
``VERSIONS`` below lists the versions that change something here, one line
each; the prose lives in ``rest_api_version_history.rst``.
"""

import dataclasses

import microversion_parse

from migrator import exception

SERVICE_TYPE = 'compute'
LEGACY_HEADER = 'x-openstack-nova-api-version'

# Named feature versions, so handlers never compare bare tuples.
BASE = (2, 1)
EXTENDED_ATTRIBUTES = (2, 3)
LOCKED_SHOWN = (2, 9)
SERVICE_FORCED_DOWN = (2, 11)
SERVER_GROUP_OWNER = (2, 13)
HOST_STATUS = (2, 16)
SERVER_DESCRIPTION = (2, 19)
MIGRATION_TYPE = (2, 23)
MIGRATION_ABORT = (2, 24)
SERVER_TAGS = (2, 26)
HYPERVISOR_CPU_INFO_OBJECT = (2, 28)
HYPERVISOR_PAGING = (2, 33)
LIMITS_NO_NETWORK = (2, 36)
LIMITS_NO_IMAGE_META = (2, 39)
AGGREGATE_UUID = (2, 41)
FLAVOR_EMBEDDED = (2, 47)
ACTION_EVENTS_FOR_ALL = (2, 51)
UUID_IDS = (2, 53)
FLAVOR_DESCRIPTION = (2, 55)
MIGRATE_HOST_FORCE = (2, 56)

# The canonical list: ascending, no gaps in meaning, guarded by a unit test.
VERSIONS = [
    (BASE, 'the base API'),
    (EXTENDED_ATTRIBUTES, 'more OS-EXT-SRV-ATTR fields in server views (admin)'),
    (LOCKED_SHOWN, 'servers show "locked"'),
    (SERVICE_FORCED_DOWN, 'os-services: force-down action, "forced_down" field'),
    (SERVER_GROUP_OWNER, 'server groups show project_id and user_id'),
    (HOST_STATUS, 'servers show "host_status" (admin)'),
    (SERVER_DESCRIPTION, 'servers accept and show "description"'),
    (MIGRATION_TYPE, 'os-migrations show "id" links and "migration_type"'),
    (MIGRATION_ABORT, 'DELETE /servers/{id}/migrations/{id} aborts a move'),
    (SERVER_TAGS, 'servers show "tags" (always empty here)'),
    (HYPERVISOR_CPU_INFO_OBJECT, 'hypervisor "cpu_info" is an object'),
    (HYPERVISOR_PAGING, 'os-hypervisors accept limit and marker'),
    (LIMITS_NO_NETWORK, 'limits leave out the floating IP and security group ones'),
    (LIMITS_NO_IMAGE_META, 'limits leave out maxImageMeta'),
    (AGGREGATE_UUID, 'aggregates show "uuid"'),
    (FLAVOR_EMBEDDED, 'servers embed their flavor instead of linking it'),
    (ACTION_EVENTS_FOR_ALL, 'instance action events shown to non-admins'),
    (UUID_IDS, 'os-services/os-hypervisors use uuids; PUT /os-services/{id}'),
    (FLAVOR_DESCRIPTION, 'flavors have a "description"'),
    (MIGRATE_HOST_FORCE, 'migrate accepts "host" and "force"'),
]

MIN_VERSION = microversion_parse.Version(*VERSIONS[0][0])
MAX_VERSION = microversion_parse.Version(*VERSIONS[-1][0])
MIN_VERSION_STRING = '%d.%d' % MIN_VERSION
MAX_VERSION_STRING = '%d.%d' % MAX_VERSION

VARY = 'OpenStack-API-Version, X-OpenStack-Nova-API-Version'


@dataclasses.dataclass(frozen=True)
class Api:
    """One API of the service: where it lives, the service name its
    ``OpenStack-API-Version`` header carries, and its microversions."""
    service_type: str
    prefix: str
    versions: tuple  # ((major, minor), one-line description), ascending
    legacy_headers: tuple = ()

    @property
    def min_version(self) -> microversion_parse.Version:
        return microversion_parse.Version(*self.versions[0][0])

    @property
    def max_version(self) -> microversion_parse.Version:
        return microversion_parse.Version(*self.versions[-1][0])

    @property
    def vary(self) -> str:
        return ', '.join(('OpenStack-API-Version',) + tuple(
            _HEADER_NAMES.get(h, h) for h in self.legacy_headers))

    @property
    def header_forms(self) -> str:
        """How a client names a version, for error messages."""
        return ' or '.join(['OpenStack-API-Version: %s X.Y' % self.service_type]
                           + [_HEADER_NAMES.get(h, h) for h in self.legacy_headers])

    def serves(self, path: str) -> bool:
        return path == self.prefix or path.startswith(self.prefix + '/')


_HEADER_NAMES = {LEGACY_HEADER: 'X-OpenStack-Nova-API-Version'}

COMPUTE = Api(SERVICE_TYPE, '/v2.1', tuple(VERSIONS), (LEGACY_HEADER,))


def negotiate(headers, api: Api = COMPUTE) -> microversion_parse.Version:
    """The version asked for (the minimum if none), or 400/406.

    ``OpenStack-API-Version: <service> X.Y`` wins over a legacy header
    (compute: ``X-OpenStack-Nova-API-Version: X.Y``); ``latest`` means the
    maximum.
    """
    raw = microversion_parse.get_version(headers, service_type=api.service_type,
                                         legacy_headers=list(api.legacy_headers))
    if raw is None:
        return api.min_version
    raw = raw.strip()
    if raw.lower() == 'latest':
        return api.max_version
    try:
        version = microversion_parse.parse_version_string(raw)
    except (TypeError, ValueError):
        raise exception.InvalidVersionHeader(value=raw,
                                             headers=api.header_forms) from None
    if not api.min_version <= version <= api.max_version:
        raise exception.VersionNotSupported(
            version=raw, min_version='%d.%d' % api.min_version,
            max_version='%d.%d' % api.max_version)
    return version


def headers_for(version, api: Api = COMPUTE) -> dict:
    """The version headers and Vary, for a response at ``version``."""
    text = '%d.%d' % tuple(version)
    found = {'OpenStack-API-Version': '%s %s' % (api.service_type, text),
             'Vary': api.vary}
    if LEGACY_HEADER in api.legacy_headers:
        found['X-OpenStack-Nova-API-Version'] = text
    return found
