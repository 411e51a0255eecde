"""A PostgreSQL session lost in the middle of a transaction: ``Database.write``,
``Database.read`` and ``Database.read_statement`` run the whole function
again on a new connection, and nothing the lost attempt did is kept."""

import uuid

import sqlalchemy as sa

from migrator.db import api as db_api
from migrator.db import migration, models


def _database(url):
    db = db_api.Database(url, pool_size=1, max_overflow=0)
    migration.db_sync(db.engine)
    return db


def _lose_connection_once(attempts: list, session) -> None:
    """``session``: an ORM session or a ``Rows``; either hands its connection."""
    connection = session.connection()
    attempts.append(connection.scalar(sa.text('SELECT pg_backend_pid()')))
    if len(attempts) == 1:
        connection.execute(sa.text('SELECT pg_terminate_backend(pg_backend_pid())'))


def test_a_write_whose_connection_dies_runs_again_whole(postgres_url):
    db = _database(postgres_url)
    attempts: list = []

    def add_flavor(session):
        session.add(models.Flavor(flavorid=str(uuid.uuid4()), name='f%d' % len(attempts),
                                  memory_mb=512, vcpus=1, root_gb=1))
        session.flush()
        _lose_connection_once(attempts, session)
        return len(attempts)

    assert db.write(add_flavor) == 2
    assert attempts[0] != attempts[1]
    names = db.read(lambda s: s.scalars(sa.select(models.Flavor.name)).all())
    # The first attempt's row went with its connection.
    assert names == ['f1']
    db.dispose()


def test_a_read_whose_connection_dies_runs_again(postgres_url):
    db = _database(postgres_url)
    attempts: list = []

    def count_flavors(session):
        _lose_connection_once(attempts, session)
        return session.scalar(sa.select(sa.func.count(models.Flavor.id)))

    assert db.read(count_flavors) == 0
    assert len(attempts) == 2 and attempts[0] != attempts[1]
    db.dispose()


def test_a_statement_read_whose_connection_dies_runs_again(postgres_url):
    db = _database(postgres_url)
    attempts: list = []

    def count_flavors(rows):
        _lose_connection_once(attempts, rows)
        return rows.connection().scalar(sa.select(sa.func.count(models.Flavor.id)))

    assert db.read_statement(count_flavors) == 0
    assert len(attempts) == 2 and attempts[0] != attempts[1]
    db.dispose()
