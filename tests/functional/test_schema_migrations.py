"""The schema ``migrator-manage db sync`` builds is the models' schema:
every table, column, index and constraint a model declares has its
alembic revision, on SQLite and on PostgreSQL."""

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from migrator.db import migration, models
from migrator.objects import instance_action, move_rows


@pytest.fixture
def engine(db_url):
    found = sa.create_engine(db_url)
    yield found
    found.dispose()


def _indexes(engine, table) -> dict:
    """``table``'s indexes as the database has them: name -> columns."""
    return {index['name']: index['column_names']
            for index in sa.inspect(engine).get_indexes(table)}


def test_the_revisions_build_what_the_models_declare(engine):
    migration.db_sync(engine)
    with engine.connect() as connection:
        drift = compare_metadata(MigrationContext.configure(connection),
                                 models.Base.metadata)
    assert drift == []


def test_0006_indexes_the_records_in_list_order(engine):
    """0006: the records of moves are listed newest first, in pages."""
    migration.db_sync(engine, '0005')
    assert 'migrations_created_idx' not in _indexes(engine, 'migrations')
    migration.db_sync(engine)
    assert _indexes(engine, 'migrations')['migrations_created_idx'] == [
        'created_at', 'id']


def test_0007_finds_actions_and_moves_by_server(engine):
    """0007: an action by server and request, a move by server and status."""
    migration.db_sync(engine, '0006')
    migration.db_sync(engine)
    assert _indexes(engine, 'instance_actions') == {
        'instance_actions_instance_request_idx': ['instance_uuid', 'request_id']}
    moves = _indexes(engine, 'migrations')
    assert moves['migrations_instance_status_idx'] == ['instance_uuid', 'status']
    assert 'migrations_instance_idx' not in moves


@pytest.mark.parametrize('statement, table, lookup', [
    (instance_action._ADD_EVENT, 'instance_actions',
     'instance_actions_instance_request_idx (instance_uuid=? AND request_id=?)'),
    (instance_action._TOUCH_ACTIONS, 'instance_actions',
     'instance_actions_instance_request_idx (instance_uuid=? AND request_id=?)'),
    (move_rows._FINISHED, 'migrations',
     'migrations_instance_status_idx (instance_uuid=? AND status=?)'),
])
def test_a_step_reads_no_other_row_of_its_server(tmp_path, statement, table, lookup):
    """SQLite's plans for recording a step's event and for finding the
    move a confirm ends search by the server and what else they know:
    their cost does not grow with the moves the server, or the cloud,
    made before."""
    engine = sa.create_engine('sqlite:///%s' % (tmp_path / 'plan.sqlite'))
    try:
        migration.db_sync(engine)
        compiled = statement.compile(dialect=engine.dialect)
        with engine.connect() as connection:
            plan = connection.exec_driver_sql(
                'EXPLAIN QUERY PLAN ' + str(compiled),
                tuple(None for _ in compiled.positiontup)).all()
        searches = [row[-1] for row in plan
                    if row[-1].split(' USING')[0].split()[-1] == table]
        assert len(searches) == 1, plan
        assert searches[0].startswith('SEARCH %s USING ' % table), plan
        assert searches[0].endswith('INDEX ' + lookup), plan
    finally:
        engine.dispose()
