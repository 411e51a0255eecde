"""Microversions of the compute API, negotiated with microversion-parse.

Every version Nova defined between 2.1 and 2.56 is accepted; a version that
changes nothing in migrator's subset behaves as the one before it. The
versions that change something here:

* 2.1  - the base API.
* 2.3  - server details show the extended attributes (admin).
* 2.9  - servers show ``locked``.
* 2.16 - servers show ``host_status`` (admin).
* 2.19 - servers accept and show ``description``.
* 2.23 - os-migrations show ``id``-based links and ``migration_type``.
* 2.26 - servers show ``tags`` (always empty here).
* 2.47 - servers embed the flavor instead of linking it.
* 2.51 - instance action events shown to non-admins (no tracebacks).
* 2.53 - os-services and os-hypervisors use uuids; services PUT by id.
* 2.55 - flavors have a ``description``.
* 2.56 - migrate accepts ``host`` and ``force``: cold migration to an
         operator-chosen host, checked by the scheduler unless forced.

The prose lives in ``rest_api_version_history.rst``.
"""

import microversion_parse

from migrator import exception

SERVICE_TYPE = 'compute'
LEGACY_HEADER = 'x-openstack-nova-api-version'
MIN_VERSION = microversion_parse.Version(2, 1)
MAX_VERSION = microversion_parse.Version(2, 56)
MIN_VERSION_STRING = '%d.%d' % MIN_VERSION
MAX_VERSION_STRING = '%d.%d' % MAX_VERSION

# Named feature versions, so handlers never compare bare tuples.
EXTENDED_ATTRIBUTES = (2, 3)
LOCKED_SHOWN = (2, 9)
HOST_STATUS = (2, 16)
SERVER_DESCRIPTION = (2, 19)
MIGRATION_TYPE = (2, 23)
SERVER_TAGS = (2, 26)
FLAVOR_EMBEDDED = (2, 47)
ACTION_EVENTS_FOR_ALL = (2, 51)
UUID_IDS = (2, 53)
FLAVOR_DESCRIPTION = (2, 55)
MIGRATE_HOST_FORCE = (2, 56)

VARY = 'OpenStack-API-Version, X-OpenStack-Nova-API-Version'


def negotiate(headers: dict) -> microversion_parse.Version:
    """The version asked for (2.1 if none), or 400/406."""
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
        raise exception.InvalidVersionHeader(value=raw)
    if not MIN_VERSION <= version <= MAX_VERSION:
        raise exception.VersionNotSupported(version=raw,
                                            min_version=MIN_VERSION_STRING,
                                            max_version=MAX_VERSION_STRING)
    return version


def headers_for(version) -> dict:
    text = '%d.%d' % tuple(version)
    return {'OpenStack-API-Version': '%s %s' % (SERVICE_TYPE, text),
            'X-OpenStack-Nova-API-Version': text,
            'Vary': VARY}
