"""``lock_nodes`` and ``lock_hosts`` really take row locks on PostgreSQL
and MariaDB.

Two transactions lock the same compute node; the database itself must
report the second one waiting for a lock until the first commits, and the
second must then read what the first wrote. Claims rely on this to never
overcommit a host across processes.

A migration's status changes the same way: a step that arrives while the
move is being given up (or a second clean-up of it) waits for the first
transaction and then sees the migration in error, never the status it had
before.
"""

import threading
import time

import pytest
import sqlalchemy as sa

from migrator import audit, exception
from migrator.compute import claims, states
from migrator.compute import manager as compute_manager
from migrator.db import api as db_api
from migrator.db import migration, models
from migrator.objects import migration as migration_mod
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


def _waits_for_lock(db, backend, box) -> bool:
    """Whether the session whose id ``box['session']`` holds waits for a
    row lock (False until the session has recorded its id)."""
    if 'session' not in box:
        return False
    with db.engine.connect() as conn:
        return conn.scalar(sa.text(_WAITING[backend]),
                           {'session': box['session']}) == 1


# The two ways a claim locks a node: by its id, and by its host's name.
_LOCKERS = {
    'lock_nodes': lambda connection, node_id: claims.lock_nodes(
        connection, [node_id])[node_id],
    'lock_hosts': lambda connection, node_id: claims.lock_hosts(
        connection, ['locked-host'])['locked-host'],
}


@pytest.mark.parametrize('lock', sorted(_LOCKERS))
def test_a_node_lock_blocks_a_second_locker_until_commit(database, lock):
    backend, db = database
    lock = _LOCKERS[lock]
    node_id = db.write(lambda s: _add_node(s).id)
    first_locked, release_first = threading.Event(), threading.Event()
    second = {}

    def first():
        with db.writer() as session:
            node = lock(session.connection(), node_id)
            session.execute(sa.update(models.ComputeNode)
                            .where(models.ComputeNode.id == node_id)
                            .values(generation=node.generation + 1,
                                    memory_mb_used=node.memory_mb_used + 512))
            first_locked.set()
            release_first.wait(60)

    def locker():
        with db.writer() as session:
            second['session'] = session.scalar(sa.text(_SESSION_ID[backend]))
            node = lock(session.connection(), node_id)
            second['seen'] = (node.generation, node.memory_mb_used)

    threads = [threading.Thread(target=first, daemon=True),
               threading.Thread(target=locker, daemon=True)]
    threads[0].start()
    try:
        assert first_locked.wait(30)
        threads[1].start()

        _wait_for(lambda: _waits_for_lock(db, backend, second),
                  'the second locker to wait for the row lock')
        assert 'seen' not in second
    finally:
        release_first.set()
        for thread in threads:
            thread.join(30)
    # After the first commit, the second read the committed row, not a
    # snapshot from before it.
    assert second['seen'] == (1, 512)


def _add_node(session, index=1, host='locked-host') -> models.ComputeNode:
    node = models.ComputeNode(
        uuid='5f1c1c8e-0000-4000-8000-%012d' % index, host=host,
        vcpus=4, memory_mb=4096, local_gb=40, vcpus_used=0, memory_mb_used=0,
        local_gb_used=0, generation=0, cpu_allocation_ratio=1.0,
        ram_allocation_ratio=1.0, disk_allocation_ratio=1.0, reserved_vcpus=0,
        reserved_memory_mb=0, reserved_disk_gb=0)
    session.add(node)
    session.flush()
    return node


SERVER = '5f1c1c8e-0000-4000-8000-00000000aaaa'
MIGRATION = '5f1c1c8e-0000-4000-8000-00000000bbbb'


def _move_in_flight(session) -> None:
    """A server on 'source', pre-migrating to 'dest', its claims taken."""
    _add_node(session, 1, 'source')
    _add_node(session, 2, 'dest')
    flavor = {'vcpus': 1, 'memory_mb': 512, 'root_gb': 1}
    session.add(models.Instance(
        uuid=SERVER, display_name='vm', project_id='p', user_id='u',
        host='source', node='source', vm_state=states.ACTIVE,
        task_state=states.RESIZE_PREP, power_state=states.RUNNING,
        flavor=flavor))
    request = claims.Resources.from_flavor(flavor)
    claims.claim(session, 'source', SERVER, request)
    session.flush()
    claims.claim_for_migration(session, SERVER, MIGRATION,
                               'source', 'dest', request)
    session.add(models.Migration(
        uuid=MIGRATION, instance_uuid=SERVER, source_compute='source',
        source_node='source', dest_compute='dest', dest_node='dest',
        status=states.PRE_MIGRATING, old_vm_state=states.ACTIVE,
        phase_times={}, last_progress_at=models.utcnow()))


def _while_given_up(backend, db, second_step) -> dict:
    """Fail the move in one transaction and, before it commits, run
    ``second_step(session)`` in another; return what the second did."""
    failed, release = threading.Event(), threading.Event()
    second: dict = {}

    def give_up():
        with db.writer() as session:
            migration_mod.fail_migration(
                session, SERVER, MIGRATION, 'given up',
                exception.MigratorException('given up'), 'conductor1')
            session.flush()
            failed.set()
            release.wait(60)

    def step():
        try:
            with db.writer() as session:
                second['session'] = session.scalar(sa.text(_SESSION_ID[backend]))
                second_step(session)
            second['result'] = 'committed'
        except Exception as error:  # noqa: BLE001 - reported to the test
            second['result'] = error

    threads = [threading.Thread(target=give_up, daemon=True),
               threading.Thread(target=step, daemon=True)]
    threads[0].start()
    try:
        assert failed.wait(30)
        threads[1].start()
        _wait_for(lambda: _waits_for_lock(db, backend, second),
                  'the second transaction to wait for a row lock')
    finally:
        release.set()
        for thread in threads:
            thread.join(30)
    return second


def test_a_step_arriving_while_the_move_is_given_up_is_refused(database):
    backend, db = database
    db.write(_move_in_flight)
    # The source starts the disk copy just as the conductor gives up.
    second = _while_given_up(backend, db, lambda session: compute_manager._advance(
        session, SERVER, MIGRATION, status=states.MIGRATING,
        task_state=states.RESIZE_MIGRATING))
    assert isinstance(second['result'], compute_manager._Stale), second
    instance, move = db.read(migration_mod.load_pair, SERVER, MIGRATION)
    assert move.status == states.MIGRATION_ERROR
    assert (instance.host, instance.task_state) == ('source', None)
    assert db.read(audit.find_problems) == []


def test_a_move_given_up_twice_at_once_settles_once(database):
    backend, db = database
    db.write(_move_in_flight)
    # Two conductors' periodic tasks find the same stuck migration.
    second = _while_given_up(backend, db, lambda session: (
        migration_mod.fail_migration(
            session, SERVER, MIGRATION, 'given up again',
            exception.MigratorException('given up again'), 'conductor2')))
    assert second['result'] == 'committed', second
    move = db.read(migration_mod.get_migration, MIGRATION)
    assert (move.status, move.error_reason) == (states.MIGRATION_ERROR,
                                                'given up')
    assert db.read(audit.find_problems) == []
