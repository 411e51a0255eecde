"""A move's two rows, the server's and its migration's, as a compute step
reads and changes them: Core statements on the session's connection.

Every step of every move reads both rows and changes them once or twice,
which makes these the service's most frequent statements; through the
ORM each such change cost a unit of work, an identity map and the loading
of two mapped objects, many times the statements themselves. A request
that starts a task on a server (a move among them) takes the server's row
the same way. The rows come back as plain namespaces of their columns
(the server's metadata as ``metadata``). The rarer transitions (a move given up, aborted,
confirmed or reverted by a request) stay with the ORM in
``objects.migration``; both take the rows in the same order, the
server's first. A step's later change hands back the rows it holds,
and is made without reading them again when the migration has not
changed since. Every function here takes a session or, under
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
# A step's change of the rows it holds. The server's is changed by id and
# comes back whole, as committed. The migration's is changed only if it
# is still the row held: every writer of the row sets its updated_at (the
# column's onupdate), and a status changed in the same microsecond is
# caught too. Both need UPDATE ... RETURNING and microsecond timestamps
# (SQLite, PostgreSQL); elsewhere a step reads the rows again.
_UPDATE_HELD_SERVER = INSTANCES.update().where(
    INSTANCES.c.id == sa.bindparam('b_id')).returning(*INSTANCES.c)
_UPDATE_HELD = MIGRATIONS.update().where(
    MIGRATIONS.c.id == sa.bindparam('b_id'),
    MIGRATIONS.c.status == sa.bindparam('b_status'),
    MIGRATIONS.c.updated_at.is_not_distinct_from(sa.bindparam('b_updated_at'))
).returning(*MIGRATIONS.c)


class Stale(Exception):
    """The migration moved on (or was given up) before this step ran."""


def _namespace(row):
    return None if row is None else types.SimpleNamespace(**row._mapping)


def _row(connection, table, uuid: str, lock: bool):
    return _namespace(connection.execute((_LOCK if lock else _READ)[table],
                                         {'b_uuid': uuid}).first())


def _update(connection, table, row, values: dict) -> None:
    """Change ``row`` of ``table`` (one read here) and the namespace held."""
    connection.execute(_UPDATE[table], dict(values, b_id=row.id))
    vars(row).update(values)


def server(session, instance_uuid: str, lock: bool = False):
    """The server's row, or None; ``lock`` holds it until commit."""
    return _row(session.connection(), INSTANCES, instance_uuid, lock)


def update_server(session, server, **values) -> None:
    """Change the server's row (one ``server`` returned) and the row held."""
    _update(session.connection(), INSTANCES, server,
            dict(values, updated_at=models.utcnow()))


def finished_migration(session, instance_uuid: str):
    """The server's move that waits in VERIFY_RESIZE, locked; or None."""
    return _namespace(session.connection().execute(
        _FINISHED, {'b_uuid': instance_uuid}).first())


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
           expected=None, held=None, **changes):
    """Lock the rows, check the migration still runs (and is one of
    ``expected``), then ``apply`` ``changes``; the server is not even
    locked when ``instance_uuid`` is None.

    The rows stay locked until commit, so a step and the conductor giving
    the move up never both act on the status they read before the other
    committed. Returns both rows as they will be committed (the server
    None when not asked for).

    ``held``: the (server, migration) rows the step already read, as an
    earlier read or write of it returned them. When the migration has not
    changed since, the changes are made without reading the rows again
    (see ``_change_held``); otherwise as above."""
    if held is not None:
        changed = _change_held(session, instance_uuid, held, expected, **changes)
        if changed is not None:
            return changed
    connection = session.connection()
    instance = (None if instance_uuid is None else
                _row(connection, INSTANCES, instance_uuid, True))
    migration = _row(connection, MIGRATIONS, migration_uuid, True)
    if (instance is None and instance_uuid is not None) \
            or not _runs(migration, expected):
        raise Stale('migration is %s' % (migration and migration.status))
    return apply(session, instance, migration, **changes)


def _runs(migration, expected) -> bool:
    """Whether the migration (a row, or None) still runs, in one of the
    ``expected`` statuses when given."""
    return migration is not None \
        and migration.status not in states.MIGRATION_TERMINAL \
        and (expected is None or migration.status in expected)


def _change_held(session, instance_uuid, held, expected, *, status=None,
                 phase=None, instance_values=None, migration_values=None):
    """``change`` on the rows held, or None to read them again.

    The server's row is changed first (by id, so it is locked first, as
    everywhere), then the migration's only if it is still the row held:
    same status, same updated_at. Its status was then checked on the row
    held, and its phase times merge with what the row holds. A server
    that is gone is ``Stale``; a migration that changed is left to the
    locked read, which sees why (the server's change, made in this
    transaction, is made again there or rolled back). The rows come back
    from the updates themselves, whole, as they will be committed; the
    rows held are left as they were."""
    instance, migration = held
    connection = session.connection()
    if connection.dialect.name not in _HELD_ROWS \
            or (instance_uuid is not None and not instance_values) \
            or not _runs(migration, expected):
        return None
    now = models.utcnow()
    changed = None
    if instance_uuid is not None:
        changed = _namespace(connection.execute(_UPDATE_HELD_SERVER, dict(
            instance_values, updated_at=now, b_id=instance.id)).first())
        if changed is None:
            raise Stale('server is gone')
    values = _migration_values(migration, now, status, phase, migration_values)
    migration = _namespace(connection.execute(_UPDATE_HELD, dict(
        values, b_id=migration.id, b_status=migration.status,
        b_updated_at=migration.updated_at)).first())
    if migration is None:
        return None
    return changed, migration


# The databases whose UPDATE returns rows and whose timestamps keep their
# microseconds (MySQL's and MariaDB's DATETIME keeps whole seconds).
_HELD_ROWS = frozenset({'sqlite', 'postgresql'})


def _migration_values(migration, now, status, phase, migration_values) -> dict:
    values = dict(migration_values or {}, last_progress_at=now, updated_at=now)
    if status:
        values['status'] = status
    stamp = status or phase
    if stamp:
        values['phase_times'] = dict(migration.phase_times or {},
                                     **{stamp: now.isoformat()})
    return values


def apply(session, instance, migration, *, status: str | None = None,
          phase: str | None = None, instance_values: dict | None = None,
          migration_values: dict | None = None):
    """Change rows this transaction holds locked: the migration to
    ``status`` when given, its phase times stamped with ``status`` or
    ``phase``, its last progress now; the server (when held) by
    ``instance_values``. Returns both rows as they will be committed."""
    connection = session.connection()
    now = models.utcnow()
    values = _migration_values(migration, now, status, phase, migration_values)
    _update(connection, MIGRATIONS, migration, values)
    if instance is not None and instance_values:
        _update(connection, INSTANCES, instance,
                dict(instance_values, updated_at=now))
    return instance, migration
