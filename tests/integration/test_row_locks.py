"""``lock_nodes`` really takes row locks on PostgreSQL and MariaDB.

Two transactions lock the same compute node; the database itself must
report the second one waiting for a lock until the first commits, and the
second must then read what the first wrote. Claims rely on this to never
overcommit a host across processes.
"""

import threading
import time

import pytest
import sqlalchemy as sa

from migrator.db import api as db_api
from migrator.db import migration, models
from tests import fixtures

pytestmark = [pytest.mark.integration, pytest.mark.timeout(120)]

# How the database shows a session that waits for a row lock.
_WAITING = {
    'postgresql': "SELECT count(*) FROM pg_stat_activity "
                  "WHERE pid = :session AND wait_event_type = 'Lock'",
    'mysql': "SELECT count(*) FROM information_schema.innodb_trx "
             "WHERE trx_mysql_thread_id = :session AND trx_state = 'LOCK WAIT'",
}
_SESSION_ID = {'postgresql': 'SELECT pg_backend_pid()',
               'mysql': 'SELECT CONNECTION_ID()'}


@pytest.fixture(params=['postgresql', 'mysql'])
def database(request):
    make = (fixtures.postgres_database if request.param == 'postgresql'
            else fixtures.mysql_database)
    with make() as url:
        db = db_api.Database(url)
        migration.db_sync(db.engine)
        try:
            yield request.param, db
        finally:
            db.dispose()


def _wait_for(predicate, what, timeout=30):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError('gave up waiting: %s' % what)
        time.sleep(0.05)


def test_lock_nodes_blocks_a_second_locker_until_commit(database):
    backend, db = database
    node_id = db.write(lambda s: _add_node(s).id)
    first_locked, release_first = threading.Event(), threading.Event()
    second = {}

    def first():
        with db.writer() as session:
            node = db_api.lock_nodes(session, [node_id], db.locks_rows)[node_id]
            node.generation += 1
            node.memory_mb_used += 512
            session.flush()
            first_locked.set()
            release_first.wait(60)

    def locker():
        with db.writer() as session:
            second['session'] = session.scalar(sa.text(_SESSION_ID[backend]))
            node = db_api.lock_nodes(session, [node_id], db.locks_rows)[node_id]
            second['seen'] = (node.generation, node.memory_mb_used)

    threads = [threading.Thread(target=first, daemon=True),
               threading.Thread(target=locker, daemon=True)]
    threads[0].start()
    try:
        assert first_locked.wait(30)
        threads[1].start()

        def waiting():
            if 'session' not in second:
                return False
            with db.engine.connect() as conn:
                return conn.scalar(sa.text(_WAITING[backend]),
                                   {'session': second['session']}) == 1
        _wait_for(waiting, 'the second locker to wait for the row lock')
        assert 'seen' not in second
    finally:
        release_first.set()
        for thread in threads:
            thread.join(30)
    # After the first commit, the second read the committed row, not a
    # snapshot from before it.
    assert second['seen'] == (1, 512)


def _add_node(session) -> models.ComputeNode:
    node = models.ComputeNode(
        uuid='5f1c1c8e-0000-4000-8000-%012d' % 1, host='locked-host',
        vcpus=4, memory_mb=4096, local_gb=40, vcpus_used=0, memory_mb_used=0,
        local_gb_used=0, generation=0)
    session.add(node)
    session.flush()
    return node
