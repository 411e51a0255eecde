"""A compute step changes the rows it already holds without reading them
again, unless they changed since: then it reads them locked, as a step
with nothing held does, and nothing another writer did is lost."""

import contextlib
import datetime
import uuid

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from migrator.compute import states
from migrator.db import api as db_api
from migrator.db import migration, models
from migrator.objects import move_rows
from tests import fixtures


@pytest.fixture(params=['sqlite', 'postgresql', 'mysql'])
def database_url(request, tmp_path):
    """SQLite and PostgreSQL, which take the held rows' way, and MariaDB,
    which keeps whole seconds and reads the rows again."""
    if request.param == 'sqlite':
        yield 'sqlite:///%s' % (tmp_path / 'rows.sqlite')
        return
    opened = (fixtures.postgres_database() if request.param == 'postgresql'
              else fixtures.mysql_database())
    with opened as url:
        yield url


@pytest.fixture
def db(database_url):
    database = db_api.Database(database_url)
    migration.db_sync(database.engine)
    yield database
    database.dispose()


@pytest.fixture
def move(db):
    """A server and its migration, pre-migrating; their uuids."""
    server, move_id = str(uuid.uuid4()), str(uuid.uuid4())

    def add(rows):
        rows.connection().execute(sa.insert(models.Instance.__table__).values(
            uuid=server, display_name='web', project_id='p', user_id='u',
            vm_state=states.ACTIVE, task_state=states.RESIZE_PREP,
            flavor={'vcpus': 1}, host='c1', node='c1'))
        move_rows.add_migration(rows, uuid=move_id, instance_uuid=server,
                                source_compute='c1', source_node='c1',
                                dest_compute='c2', dest_node='c2',
                                status=states.PRE_MIGRATING,
                                phase_times={'pre-migrating': 'then'})
    db.write_rows(add)
    return server, move_id


@contextlib.contextmanager
def _selects(db):
    sent = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith('SELECT'):
            sent.append(statement)
    event.listen(sa.engine.Engine, 'before_cursor_execute', record)
    try:
        yield sent
    finally:
        event.remove(sa.engine.Engine, 'before_cursor_execute', record)


def _held(db, server, move_id):
    return db.read_rows(move_rows.read, server, move_id)


def _advance(rows, server, move_id, held, expected=(states.PRE_MIGRATING,)):
    return move_rows.change(rows, server, move_id, expected, held,
                            status=states.MIGRATING, phase='x',
                            instance_values={'task_state': states.RESIZE_MIGRATING})


def _reads_again(db) -> bool:
    return db.engine.dialect.name not in ('sqlite', 'postgresql')


def _stored(db, row) -> dict:
    """``row``'s columns as the database keeps them: MariaDB's DATETIME
    keeps whole seconds."""
    if not _reads_again(db):
        return vars(row)
    return {key: value.replace(microsecond=0) if isinstance(value, datetime.datetime)
            else value for key, value in vars(row).items()}


def test_rows_unchanged_since_are_changed_without_a_read(db, move):
    server, move_id = move
    held = _held(db, server, move_id)
    before = [dict(vars(row)) for row in held]
    with _selects(db) as selects:
        instance, migration_row = db.write_rows(_advance, server, move_id, held)
    assert len(selects) == (2 if _reads_again(db) else 0)
    assert [vars(row) for row in held] == before
    assert (instance.task_state, migration_row.status) == (
        states.RESIZE_MIGRATING, states.MIGRATING)
    now = _held(db, server, move_id)
    assert vars(now[0]) == _stored(db, instance)
    assert vars(now[1]) == _stored(db, migration_row)
    assert set(now[1].phase_times) == {'pre-migrating', 'migrating'}
    # What the step now holds is the rows as committed: the next change
    # needs no read either.
    with _selects(db) as selects:
        db.write_rows(move_rows.change, server, move_id, None, (instance, migration_row),
                      status=states.POST_MIGRATING,
                      instance_values={'task_state': states.RESIZE_MIGRATED})
    assert len(selects) == (2 if _reads_again(db) else 0)
    assert _held(db, server, move_id)[1].status == states.POST_MIGRATING


def test_a_migration_changed_since_is_read_again_and_nothing_is_lost(db, move):
    server, move_id = move
    held = _held(db, server, move_id)
    # Another write (a progress, a phase) after the step read the rows.
    db.write_rows(move_rows.change, None, move_id, phase='elsewhere',
                  migration_values={'progress': 40})
    with _selects(db) as selects:
        instance, migration_row = db.write_rows(_advance, server, move_id, held)
    assert len(selects) == 2
    assert migration_row.status == states.MIGRATING
    assert migration_row.progress == 40
    assert set(migration_row.phase_times) == {'pre-migrating', 'elsewhere', 'migrating'}
    assert vars(_held(db, server, move_id)[1]) == _stored(db, migration_row)
    assert instance.task_state == states.RESIZE_MIGRATING


def test_a_move_given_up_since_is_stale_and_the_server_is_left_alone(db, move):
    server, move_id = move
    held = _held(db, server, move_id)
    db.write_rows(move_rows.change, server, move_id, status=states.CANCELLED,
                  instance_values={'task_state': None})
    with pytest.raises(move_rows.Stale):
        db.write_rows(_advance, server, move_id, held)
    instance, migration_row = _held(db, server, move_id)
    assert (instance.task_state, migration_row.status) == (None, states.CANCELLED)
    # The rows held are as they were: nothing of the failed change stuck.
    assert held[0].task_state == states.RESIZE_PREP
    assert held[1].status == states.PRE_MIGRATING


def test_a_server_gone_since_is_stale(db, move):
    server, move_id = move
    held = _held(db, server, move_id)
    db.write_rows(lambda rows: rows.connection().execute(
        sa.delete(models.Instance.__table__).where(
            models.Instance.__table__.c.uuid == server)))
    with pytest.raises(move_rows.Stale):
        db.write_rows(_advance, server, move_id, held)
    assert _held_migration_status(db, move_id) == states.PRE_MIGRATING


def _held_migration_status(db, move_id):
    return db.read_rows(lambda rows: rows.connection().scalar(
        sa.select(models.Migration.status).where(models.Migration.uuid == move_id)))


def test_the_server_comes_back_as_committed_not_as_held(db, move):
    """A rename between the step's read and its change is in the row the
    change returns (and so in the step's end notification)."""
    server, move_id = move
    held = _held(db, server, move_id)
    db.write_rows(lambda rows: rows.connection().execute(
        sa.update(models.Instance.__table__)
        .where(models.Instance.__table__.c.uuid == server)
        .values(display_name='renamed')))
    instance, _migration = db.write_rows(_advance, server, move_id, held)
    assert instance.display_name == 'renamed'
    assert instance.task_state == states.RESIZE_MIGRATING
