"""Disk copies run on threads of their own: while a host copies, it still
takes its other requests however few threads its RPC server has, it copies
no more at once than ``[compute] max_concurrent_disk_copies``, and a host
that stops lets the copies in hand end first."""

import time

import pytest

from tests import fixtures
from tests.fixtures import headers
from tests.functional import migrate_helpers as ops
from tests.invariants import assert_consistent

HOSTS = ('compute1', 'compute2')


def copying(svc) -> set:
    """Servers whose migration is copying its disk now."""
    return {m['instance_uuid'] for m in svc.app.get(
        '/v2.1/os-migrations', headers=headers(version='2.56')).json['migrations']
        if m['status'] == 'migrating'}


def move_to_compute2(svc, servers, rate_mb):
    svc.conf.set_override('disk_copy_rate_mb', rate_mb, group='compute')
    for server in servers:
        svc.action(server, {'migrate': {'host': 'compute2'}}, status=202)


def confirm_all(svc, servers):
    for server in servers:
        svc.wait_status(server, 'VERIFY_RESIZE', timeout=60)
        svc.action(server, {'confirmResize': None}, status=204)
    for server in servers:
        assert svc.wait_status(server, 'ACTIVE')['OS-EXT-SRV-ATTR:host'] == 'compute2'
    assert_consistent(svc.db)


@pytest.fixture
def one_thread(tmp_path):
    """Each RPC server with a single thread."""
    svc = fixtures.Service(tmp_path, hosts=HOSTS, executor_thread_pool_size=1)
    yield svc
    svc.stop()


def test_copies_hold_none_of_the_hosts_request_threads(one_thread):
    svc = one_thread
    *moving, other = ops.boot_many_on(svc, 'compute1', 4, hosts=HOSTS)
    move_to_compute2(svc, moving, rate_mb=256.0)  # 1 GB each: 4 s
    deadline = time.monotonic() + 20
    while copying(svc) != set(moving):
        assert time.monotonic() < deadline, copying(svc)
        time.sleep(0.05)
    # compute1 copies three disks, and still stops a server at once.
    svc.action(other, {'os-stop': None}, status=202)
    assert svc.wait_status(other, 'SHUTOFF', timeout=10)
    assert copying(svc) == set(moving)
    confirm_all(svc, moving)


@pytest.fixture
def one_copy(tmp_path):
    svc = fixtures.Service(tmp_path, hosts=HOSTS,
                           compute__max_concurrent_disk_copies=1)
    yield svc
    svc.stop()


def test_copies_wait_for_a_free_slot(one_copy):
    svc = one_copy
    servers = ops.boot_many_on(svc, 'compute1', 3, hosts=HOSTS)
    move_to_compute2(svc, servers, rate_mb=2048.0)  # 0.5 s each
    seen = set()
    deadline = time.monotonic() + 30
    while len(seen) < len(servers):
        now = copying(svc)
        assert len(now) <= 1, now
        seen |= now
        assert time.monotonic() < deadline, seen
        time.sleep(0.02)
    confirm_all(svc, servers)


def test_a_stopping_host_ends_its_copies_first(tmp_path):
    svc = fixtures.Service(tmp_path, hosts=HOSTS)
    try:
        server, = ops.boot_many_on(svc, 'compute1', 1, hosts=HOSTS)
        move_to_compute2(svc, [server], rate_mb=1024.0)  # 1 s
        deadline = time.monotonic() + 10
        while copying(svc) != {server}:
            assert time.monotonic() < deadline
            time.sleep(0.02)
        compute1 = svc.compute('compute1')
        compute1.stop()
        compute1.wait()
        # The copy ended, and its move went on to compute2.
        svc.wait_status(server, 'VERIFY_RESIZE', timeout=10)
        migration, = svc.migrations_of(server)
        assert migration['status'] == 'finished'
    finally:
        svc.stop()
