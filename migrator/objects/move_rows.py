"""A move's two rows, the server's and its migration's, as a compute step
reads and changes them: Core statements on the session's connection.

Every step of every move reads both rows and changes them once or twice,
which makes these the service's most frequent statements; through the
ORM each such change cost a unit of work, an identity map and the loading
of two mapped objects, many times the statements themselves. A request
that starts a task on a server (a move among them) takes the server's row
the same way. The rows
come back as plain namespaces of their columns (the server's metadata
as ``metadata``). The rarer transitions (a move given up, aborted,
confirmed or reverted by a request) stay with the ORM in
``objects.migration``; both take the rows in the same order, the
server's first. Every function here takes a session or, under
``Database.read_rows``/``write_rows``, a ``Rows``.
"""

import types

import sqlalchemy as sa

from migrator.compute import states
from migrator.db import models

INSTANCES = models.Instance.__table__
MIGRATIONS = models.Migration.__table__

# Built once: building a statement costs more than running it (SQLite).
_READ = {table: sa.select(table).where(table.c.uuid == sa.bindparam('b_uuid'))
         for table in (INSTANCES, MIGRATIONS)}
_LOCK = {table: stmt.with_for_update() for table, stmt in _READ.items()}
# What is set comes from the parameters each execution is given.
_FINISHED = (sa.select(MIGRATIONS)
             .where(MIGRATIONS.c.instance_uuid == sa.bindparam('b_uuid'),
                    MIGRATIONS.c.status == states.FINISHED)
             .order_by(MIGRATIONS.c.id.desc()).limit(1).with_for_update())
_ADD_MIGRATION = MIGRATIONS.insert()
_UPDATE = {table: table.update().where(table.c.id == sa.bindparam('b_id'))
           for table in (INSTANCES, MIGRATIONS)}


class Stale(Exception):
    """The migration moved on (or was given up) before this step ran."""


def _row(connection, table, uuid: str, lock: bool):
    row = connection.execute((_LOCK if lock else _READ)[table],
                             {'b_uuid': uuid}).first()
    return None if row is None else types.SimpleNamespace(**row._mapping)


def server(session, instance_uuid: str, lock: bool = False):
    """The server's row, or None; ``lock`` holds it until commit."""
    return _row(session.connection(), INSTANCES, instance_uuid, lock)


def update_server(session, server, **values) -> None:
    """Change the server's row (one ``server`` returned) and the row held."""
    values['updated_at'] = models.utcnow()
    session.connection().execute(_UPDATE[INSTANCES], dict(values, b_id=server.id))
    vars(server).update(values)


def finished_migration(session, instance_uuid: str):
    """The server's move that waits in VERIFY_RESIZE, locked; or None."""
    row = session.connection().execute(_FINISHED, {'b_uuid': instance_uuid}).first()
    return None if row is None else types.SimpleNamespace(**row._mapping)


def add_migration(session, **values) -> None:
    """A new migration row (its defaults filled in as the ORM would)."""
    session.connection().execute(_ADD_MIGRATION, values)


def read(session, instance_uuid: str, migration_uuid: str, expected=None):
    """Both rows; ``Stale`` when one is gone or the migration's status is
    not one of ``expected`` (any, when None)."""
    connection = session.connection()
    instance = _row(connection, INSTANCES, instance_uuid, False)
    migration = _row(connection, MIGRATIONS, migration_uuid, False)
    if migration is None or instance is None:
        raise Stale('server or migration is gone')
    if expected is not None and migration.status not in expected:
        raise Stale('migration is %s, expected %s' % (
            migration.status, ' or '.join(expected)))
    return instance, migration


def change(session, instance_uuid: str | None, migration_uuid: str,
           expected=None, *, status: str | None = None,
           phase: str | None = None, instance_values: dict | None = None,
           migration_values: dict | None = None):
    """Lock the rows, check the migration still runs (and is one of
    ``expected``), then change them: the migration to ``status`` when
    given, its phase times stamped with ``status`` or ``phase``, its last
    progress now; the server (not even locked when ``instance_uuid`` is
    None) by ``instance_values``.

    The rows stay locked until commit, so a step and the conductor giving
    the move up never both act on the status they read before the other
    committed. Returns both rows as they will be committed (the server
    None when not asked for)."""
    connection = session.connection()
    instance = (None if instance_uuid is None else
                _row(connection, INSTANCES, instance_uuid, True))
    migration = _row(connection, MIGRATIONS, migration_uuid, True)
    if (instance is None and instance_uuid is not None) or migration is None \
            or migration.status in states.MIGRATION_TERMINAL \
            or (expected is not None and migration.status not in expected):
        raise Stale('migration is %s' % (migration and migration.status))
    now = models.utcnow()
    values = dict(migration_values or {}, last_progress_at=now, updated_at=now)
    if status:
        values['status'] = status
    stamp = status or phase
    if stamp:
        values['phase_times'] = dict(migration.phase_times or {},
                                     **{stamp: now.isoformat()})
    connection.execute(_UPDATE[MIGRATIONS], dict(values, b_id=migration.id))
    vars(migration).update(values)
    if instance is not None and instance_values:
        values = dict(instance_values, updated_at=now)
        connection.execute(_UPDATE[INSTANCES], dict(values, b_id=instance.id))
        vars(instance).update(values)
    return instance, migration
