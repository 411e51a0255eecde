"""Threads racing claims on one host, straight at the database."""

import concurrent.futures
import threading
import uuid

import sqlalchemy as sa

from migrator import exception
from migrator.compute import claims
from migrator.db import api as db_api
from migrator.db import migration, models

THREADS = 16
ATTEMPTS = 80
REQUEST = claims.Resources(vcpus=1, memory_mb=512, disk_gb=1)


def _node(db, host, memory_mb):
    def create(session):
        session.add(models.ComputeNode(
            uuid=str(uuid.uuid4()), host=host, vcpus=64, memory_mb=memory_mb,
            local_gb=1000, reserved_memory_mb=512, cpu_allocation_ratio=1.0,
            ram_allocation_ratio=1.5, disk_allocation_ratio=1.0,
            vcpus_used=0, memory_mb_used=0, local_gb_used=0, generation=0))
    db.write(create)


def test_racing_claims_fill_a_host_exactly(db_url):
    db = db_api.Database(db_url)
    migration.db_sync(db.engine)
    # (8192 - 512) * 1.5 = 11520 MB: room for 22 claims of 512 MB.
    _node(db, 'hot', 8192)
    start = threading.Barrier(THREADS)

    def worker(_):
        start.wait()
        won = lost = 0
        for _ in range(ATTEMPTS // THREADS):
            try:
                db.write(claims.claim, 'hot', str(uuid.uuid4()),
                         REQUEST)
                won += 1
            except exception.InsufficientResources:
                lost += 1
        return won, lost

    with concurrent.futures.ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(worker, range(THREADS)))
    won = sum(w for w, _ in results)
    assert won == 22
    assert sum(lost for _, lost in results) == ATTEMPTS - 22

    def totals(session):
        node = session.scalar(sa.select(models.ComputeNode))
        rows = session.execute(sa.select(sa.func.count(), sa.func.sum(
            models.Allocation.memory_mb))).one()
        return node, rows
    node, (count, memory) = db.read(totals)
    assert count == 22 and memory == 22 * 512
    assert node.memory_mb_used == memory <= claims.inventory(node, 'MEMORY_MB').capacity
    db.dispose()


def test_claim_failure_names_the_short_resource(tmp_path):
    db = db_api.Database('sqlite:///%s' % (tmp_path / 'c.sqlite'))
    migration.db_sync(db.engine)
    _node(db, 'small', 1024)
    big = claims.Resources(vcpus=1, memory_mb=4096, disk_gb=1)
    try:
        db.write(claims.claim, 'small', str(uuid.uuid4()), big)
    except exception.InsufficientResources as error:
        assert error.format_message() == (
            'Host small cannot fit the server: MEMORY_MB needs 4096, 768 free '
            'of 768 at ratio 1.5 (no allocations)')
    else:
        raise AssertionError('an oversized claim succeeded')
