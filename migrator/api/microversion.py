"""Microversions of the compute API, negotiated with microversion-parse.

Every version Nova defined between 2.1 and 2.56 is accepted; a version that
changes nothing in migrator's subset behaves as the one before it.
``VERSIONS`` below lists the versions that change something here, one line
each; the prose lives in ``rest_api_version_history.rst``.
"""

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
SERVER_TAGS = (2, 26)
HYPERVISOR_CPU_INFO_OBJECT = (2, 28)
HYPERVISOR_PAGING = (2, 33)
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
    (SERVER_TAGS, 'servers show "tags" (always empty here)'),
    (HYPERVISOR_CPU_INFO_OBJECT, 'hypervisor "cpu_info" is an object'),
    (HYPERVISOR_PAGING, 'os-hypervisors accept limit and marker'),
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


def negotiate(headers) -> microversion_parse.Version:
    """The version asked for (2.1 if none), or 400/406.

    ``OpenStack-API-Version: compute X.Y`` wins over the legacy
    ``X-OpenStack-Nova-API-Version: X.Y``; ``latest`` means the maximum.
    """
    raw = microversion_parse.get_version(headers, service_type=SERVICE_TYPE,
                                         legacy_headers=[LEGACY_HEADER])
    if raw is None:
        return MIN_VERSION
    raw = raw.strip()
    if raw.lower() == 'latest':
        return MAX_VERSION
    try:
        version = microversion_parse.parse_version_string(raw)
    except (TypeError, ValueError):
        raise exception.InvalidVersionHeader(value=raw) from None
    if not MIN_VERSION <= version <= MAX_VERSION:
        raise exception.VersionNotSupported(version=raw,
                                            min_version=MIN_VERSION_STRING,
                                            max_version=MAX_VERSION_STRING)
    return version


def headers_for(version) -> dict:
    """Both version headers and Vary, for a response at ``version``."""
    text = '%d.%d' % tuple(version)
    return {'OpenStack-API-Version': '%s %s' % (SERVICE_TYPE, text),
            'X-OpenStack-Nova-API-Version': text,
            'Vary': VARY}
