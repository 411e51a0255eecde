"""The schema ``migrator-manage db sync`` builds is the models' schema:
every table, column, index and constraint a model declares has its
alembic revision, on SQLite and on PostgreSQL."""

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from migrator.db import migration, models


def test_the_revisions_build_what_the_models_declare(db_url):
    engine = sa.create_engine(db_url)
    try:
        migration.db_sync(engine)
        with engine.connect() as connection:
            drift = compare_metadata(MigrationContext.configure(connection),
                                     models.Base.metadata)
    finally:
        engine.dispose()
    assert drift == []


def test_the_newest_revision_indexes_the_records_in_list_order(db_url):
    """0006: the records of moves are listed newest first, in pages."""
    engine = sa.create_engine(db_url)
    try:
        migration.db_sync(engine, '0005')
        assert 'migrations_created_idx' not in {
            index['name'] for index in sa.inspect(engine).get_indexes('migrations')}
        migration.db_sync(engine)
        inspector = sa.inspect(engine)
        found = {index['name']: index['column_names']
                 for index in inspector.get_indexes('migrations')}
        assert found['migrations_created_idx'] == ['created_at', 'id']
    finally:
        engine.dispose()
