"""Two drains at once, on SQLite and PostgreSQL: two hosts emptied into the
same free capacity by two conductors, while an operator's own moves race
them for it. The target fills exactly, nothing is overcommitted, both
drains end, and every server is in one place with one claim."""

import concurrent.futures
import threading
import time

from tests import fixtures
from tests.functional import migrate_helpers as helpers
from tests.functional.test_drains import ADMIN, on_host, start, wait_ended
from tests.invariants import assert_consistent

PER_HOST = 6
HOSTS = ('compute1', 'compute2', 'compute3', 'compute4')
TARGET = 'compute3'
ROOM = 9  # m1.tiny servers the target has room for: fewer than the drains want
RACERS = 2  # servers the operator moves to the target by hand meanwhile


def test_two_drains_compete_for_one_host(tmp_path, db_url):
    svc = fixtures.Service(tmp_path, connection=db_url, hosts=HOSTS,
        conductor__drain_idle_interval=0.05, conductor__drain_interval=0.05)
    # A second conductor: the drains' leases may go to either.
    svc.dep.add_conductor('controller2').start()
    try:
        capacity = helpers.usage(svc, TARGET)['MEMORY_MB']['capacity']
        filler = helpers.create_flavor(svc, 'filler', ram=capacity - ROOM * 512)
        helpers.boot_many_on(svc, TARGET, 1, filler, HOSTS)
        drained = {host: helpers.boot_many_on(svc, host, PER_HOST, hosts=HOSTS)
                   for host in ('compute1', 'compute2')}
        racers = helpers.boot_many_on(svc, 'compute4', RACERS, hosts=HOSTS)
        # compute4 is taken out of the way: the target is the only room.
        helpers.update_service(svc, 'compute4', status='disabled',
                               disabled_reason='out of the race')

        go = threading.Barrier(2 + RACERS)

        def drain(host):
            go.wait()
            return start(svc, host, max_parallel=4, hosts=[TARGET])['drain']['uuid']

        def migrate(server_id):
            go.wait()
            return svc.action(server_id, {'migrate': {'host': TARGET}},
                              status=(202, 400, 409)).status_int

        with concurrent.futures.ThreadPoolExecutor(2 + RACERS) as pool:
            drains = [pool.submit(drain, host) for host in drained]
            moves = [pool.submit(migrate, server) for server in racers]
            drain_ids = [f.result() for f in drains]
            codes = [f.result() for f in moves]

        ended = [wait_ended(svc, uuid, timeout=90) for uuid in drain_ids]
        moved_by_hand = codes.count(202)
        for server, code in zip(racers, codes):
            if code == 202:
                svc.wait_status(server, 'VERIFY_RESIZE')
        done = sum(d['counts'].get('done', 0) for d in ended)
        assert done + moved_by_hand == ROOM, (ended, codes)
        assert helpers.usage(svc, TARGET)['MEMORY_MB']['used'] == capacity
        for drain_view in ended:
            assert drain_view['status'] == 'incomplete', drain_view
            for item in drain_view['servers']:
                assert item['status'] in ('done', 'cannot-place', 'failed'), item
                if item['status'] == 'done':
                    assert svc.host_of(item['server_id']) == TARGET
        for host, servers in drained.items():
            left = set(on_host(svc, host))
            assert left <= set(servers)
            for server in servers:
                assert svc.show(server)['status'] == 'ACTIVE'
        owners = {svc.app.get('/migrator/drains/%s' % uuid, headers=ADMIN).json[
            'drain']['owner'] for uuid in drain_ids}
        assert owners == {None}  # ended drains hold no lease
        time.sleep(0.2)
        assert_consistent(svc.db)
    finally:
        svc.stop()

