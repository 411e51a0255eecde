"""Two requests for the same server, or two processes registering the same
service, at once: exactly one wins, on SQLite and PostgreSQL."""

import concurrent.futures
import threading
import uuid

import sqlalchemy as sa

from migrator import context, exception
from migrator import service as service_mod
from migrator.compute import states
from migrator.db import api as db_api
from migrator.db import migration, models
from migrator.operations import servers as servers_ops

RACERS = 8


def _database(url):
    db = db_api.Database(url)
    migration.db_sync(db.engine)
    return db


def _race(fn):
    start = threading.Barrier(RACERS)

    def run(_):
        start.wait()
        try:
            return fn()
        except exception.MigratorException as error:
            return error
    with concurrent.futures.ThreadPoolExecutor(RACERS) as pool:
        return list(pool.map(run, range(RACERS)))


def test_only_one_request_takes_the_task_state(db_url):
    db = _database(db_url)
    server = str(uuid.uuid4())
    db.write(lambda s: s.add(models.Instance(
        uuid=server, display_name='vm', project_id='p', user_id='u', host='c1',
        node='c1', vm_state=states.ACTIVE, power_state=states.RUNNING,
        flavor={'vcpus': 1, 'memory_mb': 512, 'root_gb': 1})))
    ctx = context.RequestContext(user_id='admin', project_id='admin', is_admin=True)
    results = _race(lambda: db.write(servers_ops.begin_task, ctx, server, 'migrate',
                                     (states.ACTIVE,), states.RESIZE_PREP))
    winners = [r for r in results if not isinstance(r, Exception)]
    losers = [r for r in results if isinstance(r, exception.InstanceInvalidState)]
    assert len(winners) == 1 and len(losers) == RACERS - 1, results
    assert winners[0].task_state == states.RESIZE_PREP
    assert db.read(lambda s: s.scalar(sa.select(models.Instance.task_state)
                                      .where(models.Instance.uuid == server))
                   ) == states.RESIZE_PREP
    actions = db.read(lambda s: s.scalar(sa.select(sa.func.count(
        models.InstanceAction.id))))
    assert actions == 1
    db.dispose()


def test_one_service_row_when_processes_start_together(db_url):
    db = _database(db_url)
    ids = _race(lambda: db.write(service_mod._register, 'c1', 'migrator-compute',
                                 'compute'))
    assert len(set(ids)) == 1 and all(isinstance(i, int) for i in ids), ids
    db.dispose()
