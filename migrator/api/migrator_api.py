"""migrator's own API: what Nova lacks, beside the compute API.

Same process, port and token as ``/v2.1``; its own root (``/migrator``),
version document and microversion sequence, negotiated with
``OpenStack-API-Version: migrator X.Y``, so that it can never collide with
a future Nova microversion. ``VERSIONS`` lists every version, one line
each; the prose lives in ``rest_api_version_history.rst``.
"""

from migrator.api import microversion

SERVICE_TYPE = 'migrator'
PREFIX = '/migrator'

# Named feature versions, so handlers never compare bare tuples.
BASE = (1, 0)
MIGRATION_CHECKS = (1, 1)
DRAINS = (1, 2)
RECORD_PAGES = (1, 3)

VERSIONS = (
    (BASE, 'hosts with capacity detail, the records of moves, action events '
           'with their details'),
    (MIGRATION_CHECKS, 'POST /migrator/migration-checks: the dry run of a move'),
    (DRAINS, '/migrator/drains: taking a host down for maintenance'),
    (RECORD_PAGES, 'GET /migrator/migrations in pages (limit, marker, '
                   'migrations_links) and by whether a move ended'),
)

API = microversion.Api(SERVICE_TYPE, PREFIX, VERSIONS)
