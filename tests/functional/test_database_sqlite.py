"""How ``Database`` talks to SQLite: the statements a transaction sends,
and the one connection its writers share."""

import contextlib
import threading

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from migrator.db import api as db_api
from migrator.db import migration, models


@pytest.fixture
def db(tmp_path):
    database = db_api.Database('sqlite:///%s' % (tmp_path / 'migrator.sqlite'))
    migration.db_sync(database.engine)
    yield database
    database.dispose()


@contextlib.contextmanager
def _sent(db):
    """Every statement SQLite is sent, with the connection sending it."""
    sent = []

    def record(conn, cursor, statement, parameters, context, executemany):
        sent.append((id(conn.connection.dbapi_connection), statement.split()[0]))
    event.listen(db._engine, 'before_cursor_execute', record)
    try:
        yield sent
    finally:
        event.remove(db._engine, 'before_cursor_execute', record)


def _count(rows):
    return rows.connection().scalar(sa.select(sa.func.count(models.Flavor.id)))


def _add_flavor(rows, name):
    rows.connection().execute(sa.insert(models.Flavor.__table__).values(
        flavorid=name, name=name, memory_mb=512, vcpus=1, root_gb=1))


def test_a_statement_read_sends_no_begin_and_a_read_does(db):
    with _sent(db) as sent:
        assert db.read_statement(_count) == 0
    assert [verb for _conn, verb in sent] == ['SELECT']
    with _sent(db) as sent:
        assert db.read_rows(_count) == 0
    assert [verb for _conn, verb in sent] == ['BEGIN', 'SELECT']


def test_writers_share_one_connection_and_see_each_others_rows(db):
    with _sent(db) as sent:
        for name in ('a', 'b', 'c'):
            db.write_rows(_add_flavor, name)
        db.write(lambda session: _add_flavor(session, 'd'))
    writes = [(conn, verb) for conn, verb in sent if verb == 'BEGIN']
    assert [verb for _conn, verb in writes] == ['BEGIN'] * 4
    shared = id(db._writer_connection.connection.dbapi_connection)
    assert {conn for conn, _verb in writes} == {shared}
    # A reader is handed a connection of the pool, never the writers' one.
    with _sent(db) as sent:
        assert db.read_rows(_count) == 4
    assert {conn for conn, _verb in sent} != {shared}


def test_a_writer_nested_in_another_takes_a_connection_of_its_own(tmp_path):
    # No wait for SQLite's lock and no retry: the nested writer is refused
    # at its BEGIN IMMEDIATE, on a connection of its own (on the outer
    # one's, BEGIN would fail inside the outer transaction instead).
    db = db_api.Database('sqlite:///%s' % (tmp_path / 'nested.sqlite'),
                         sqlite_busy_timeout=0, max_retries=0)
    migration.db_sync(db.engine)
    seen = []

    def outer(rows):
        _add_flavor(rows, 'outer')
        with _sent(db) as sent:
            with pytest.raises(sa.exc.OperationalError, match='database is locked'):
                with db._write_transaction():
                    pass
        seen.extend(sent)
        return rows.connection().connection.dbapi_connection
    outer_connection = db.write_rows(outer)
    assert [verb for _conn, verb in seen] == ['BEGIN']
    assert seen[0][0] != id(outer_connection)
    # The outer transaction was not disturbed.
    assert db.read_rows(_count) == 1
    db.dispose()


def test_a_failed_write_leaves_nothing_and_the_next_one_works(db):
    def fails(rows):
        _add_flavor(rows, 'lost')
        raise RuntimeError('boom')
    with pytest.raises(RuntimeError):
        db.write_rows(fails)
    db.write_rows(_add_flavor, 'kept')
    names = db.read_rows(lambda rows: rows.connection().scalars(
        sa.select(models.Flavor.name)).all())
    assert names == ['kept']


def test_an_invalidated_writer_connection_is_replaced(db):
    db.write_rows(_add_flavor, 'first')
    first = db._writer_connection
    first.invalidate()
    db.write_rows(_add_flavor, 'second')
    assert db._writer_connection is not first
    assert db.read_rows(_count) == 2


def test_writers_on_threads_take_turns_on_the_shared_connection(db):
    errors = []

    def writer(index):
        try:
            for n in range(25):
                db.write_rows(_add_flavor, 't%d-%d' % (index, n))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
    threads = [threading.Thread(target=writer, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert db.read_rows(_count) == 100
