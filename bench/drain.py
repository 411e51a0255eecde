"""``python -m bench.drain [--quick]``: what taking a host down costs.

Two measurements, each beside its floor in the same run:

* **Planning** (the dry run an operator reads first): a host of 100
  servers in clouds of 1,000 and 10,000 hosts, on SQLite and (when it
  answers) PostgreSQL. Hosts are rows, as in the scheduler scenario; the
  plan is ``operations.drains.plan`` over the in-process scheduler RPC.
  Floor: a bare UPDATE+COMMIT on the same database.
* **Draining** 100 servers with a zero-time disk copy on the embedded
  default (``migrator-all`` as its own process), ``max_parallel`` 8,
  against the loop operators run today, in the same run on the same
  service and servers: ``openstack server migrate --wait`` then
  ``openstack server migration confirm`` per server (timed on a few
  servers and scaled: each command is a process, ``--wait`` polls every
  5 s), and the same loop as a client that polls every 50 ms, the best a
  loop can do.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid

import sqlalchemy as sa

from bench import backends, reads, scheduler, stats
from migrator import context
from migrator.compute import states
from migrator.db import models
from migrator.operations.drains import DrainOptions

CTX = context.RequestContext(user_id='admin', project_id='admin', is_admin=True,
                             roles=['admin'])
SERVERS = 100
# The openstack loop is timed on a few servers and scaled to SERVERS: each
# command starts a Python process and --wait polls every 5 s.
OSC_SERVERS = 5


def _servers_on_first_host(db, count: int) -> None:
    now = models.utcnow()
    with db.engine.begin() as conn:
        conn.execute(sa.insert(models.Instance), [{
            'uuid': str(uuid.uuid4()), 'display_name': 'd%d' % i,
            'project_id': 'bench', 'user_id': 'bench',
            'host': scheduler.host_name(0), 'node': scheduler.host_name(0),
            'vm_state': states.ACTIVE, 'power_state': states.RUNNING,
            'flavor': scheduler.FLAVOR, 'metadata': {}, 'scheduler_hints': {},
            'locked': False, 'reservation_id': 'r-bench', 'created_at': now}
            for i in range(count)])


def _commit_floor(db, samples: int) -> list:
    times = []
    with db.engine.connect() as conn:
        for _ in range(samples):
            began = time.perf_counter()
            conn.execute(sa.update(models.ComputeNode)
                         .where(models.ComputeNode.id == 1)
                         .values(generation=models.ComputeNode.generation + 1))
            conn.commit()
            times.append(time.perf_counter() - began)
    return times


def plans(workdir: str, db_url: str, label: str, counts, samples: int) -> list:
    os.makedirs(workdir, exist_ok=True)
    results = []
    with scheduler.operations_over_hosts(workdir, db_url) as (ops, db):
        drains = ops.drains
        floor = _commit_floor(db, 200)
        results.append(stats.Result('drain', 'floor: bare UPDATE+COMMIT, %s'
                                    % label, floor, sum(floor)))
        have = 0
        for count in counts:
            scheduler.grow(db, have, count, 13, label == 'PostgreSQL')
            if have == 0:
                _servers_on_first_host(db, SERVERS)
            have = count
            host = scheduler.host_name(0)
            planned = drains.plan(CTX, host, DrainOptions())  # warm
            times = []
            began = time.perf_counter()
            for _ in range(samples):
                start = time.perf_counter()
                planned = drains.plan(CTX, host, DrainOptions())
                times.append(time.perf_counter() - start)
            placed = sum(1 for p in planned if p.destination)
            results.append(stats.Result(
                'drain', 'plan %d servers, %s, %d hosts' % (SERVERS, label, count),
                times, time.perf_counter() - began, extra={'placed': placed}))
            print('  plan at %d hosts (%s): p50 %.0f ms, %d/%d placed' % (
                count, label, 1000 * results[-1].p(50), placed, SERVERS),
                file=sys.stderr, flush=True)
    return results


def _sequential(port: int, servers: list) -> float:
    """The operator's loop: one migrate + confirm after the other."""
    client = reads.Client(port)
    began = time.perf_counter()
    for server_id in servers:
        status, body = client.request('POST', '/v2.1/servers/%s/action' % server_id,
                                      {'migrate': None})
        assert status == 202, body
        _wait_server(client, server_id, 'VERIFY_RESIZE')
        status, body = client.request('POST', '/v2.1/servers/%s/action' % server_id,
                                      {'confirmResize': None})
        assert status == 204, body
        _wait_server(client, server_id, 'ACTIVE')
    wall = time.perf_counter() - began
    client.close()
    return wall


def _openstack_loop(port: int, servers: list) -> float:
    """What operators run today, with the real client: ``openstack server
    migrate --wait`` then ``openstack server migration confirm``, one
    server after the other (noauth2, the token-endpoint plugin)."""
    endpoint = 'http://127.0.0.1:%d/v2.1' % port
    argv = [os.path.join(os.path.dirname(sys.executable), 'openstack'),
            '--os-auth-type', 'admin_token', '--os-endpoint', endpoint,
            '--os-token', 'admin:admin', '--os-compute-api-version', '2.56']
    env = {k: v for k, v in os.environ.items() if not k.startswith('OS_')}
    env.update({'OS_IDENTITY_API_VERSION': '3', 'OS_IDENTITY_ENDPOINT_OVERRIDE':
                endpoint, 'OS_CLIENT_CONFIG_FILE': os.devnull})
    began = time.perf_counter()
    for server_id in servers:
        for args in (['server', 'migrate', '--wait', server_id],
                     ['server', 'migration', 'confirm', server_id]):
            subprocess.run(argv + args, env=env, check=True, capture_output=True,
                           timeout=300)
    return time.perf_counter() - began


def _gather(client, servers, ids, hosts):
    """Every server back on b1 (forced there, the others disabled)."""
    for host in hosts[1:]:
        client.request('PUT', '/v2.1/os-services/%s' % ids[host],
                       {'status': 'disabled', 'disabled_reason': 'bench'})
    for server_id in servers:
        _wait_server(client, server_id, 'ACTIVE', 0.01)
        _, body = client.request('GET', '/v2.1/servers/%s' % server_id)
        if body['server']['OS-EXT-SRV-ATTR:host'] == 'b1':
            continue
        client.request('POST', '/v2.1/servers/%s/action' % server_id,
                       {'migrate': {'host': 'b1', 'force': True}})
        _wait_server(client, server_id, 'VERIFY_RESIZE', 0.01)
        client.request('POST', '/v2.1/servers/%s/action' % server_id,
                       {'confirmResize': None})
        _wait_server(client, server_id, 'ACTIVE', 0.01)
    for host in hosts[1:]:
        client.request('PUT', '/v2.1/os-services/%s' % ids[host],
                       {'status': 'enabled'})


def _wait_server(client, server_id, status, interval=0.05):
    while True:
        _, body = client.request('GET', '/v2.1/servers/%s' % server_id)
        server = body['server']
        if server['status'] == status and server['OS-EXT-STS:task_state'] is None:
            return
        time.sleep(interval)


def drain_vs_loop(workdir: str, count: int, max_parallel: int,
                  extra: dict | None = None) -> list:
    hosts = ['b1', 'b2', 'b3', 'b4']
    service = reads.start_migrator(workdir, hosts, extra)
    try:
        client = reads.Client(service.port)
        # Every server on b1: the other hosts disabled while they boot.
        ids = {s['host']: s['id'] for s in client.request(
            'GET', '/v2.1/os-services')[1]['services']
            if s['binary'] == 'nova-compute'}
        for host in hosts[1:]:
            client.request('PUT', '/v2.1/os-services/%s' % ids[host],
                           {'status': 'disabled', 'disabled_reason': 'bench'})
        servers = reads.boot(service.port, count)
        for host in hosts[1:]:
            client.request('PUT', '/v2.1/os-services/%s' % ids[host],
                           {'status': 'enabled'})
        # The loops first, from b1 to the others; then all back on b1.
        loop_wall = _sequential(service.port, servers)
        _gather(client, servers, ids, hosts)
        osc_wall = _openstack_loop(service.port, servers[:OSC_SERVERS])
        _gather(client, servers, ids, hosts)
        migrator = reads.Client(service.port, _DRAIN_HEADERS)
        began = time.perf_counter()
        drain = _request(migrator, 'POST', '/migrator/drains', {'drain': {
            'host': 'b1', 'max_parallel': max_parallel}})['drain']
        while drain['status'] in ('running', 'cancelling'):
            time.sleep(0.05)
            drain = _request(migrator, 'GET', '/migrator/drains/%s'
                             % drain['uuid'])['drain']
        drain_wall = time.perf_counter() - began
        assert drain['status'] == 'complete', drain
        client.close()
        migrator.close()
    finally:
        service.stop()
    osc_per_server = osc_wall / OSC_SERVERS
    return [
        stats.Result('drain', 'openstack loop: server migrate --wait + migration '
                     'confirm, %d servers, x%d' % (OSC_SERVERS, count // OSC_SERVERS),
                     [osc_per_server * count], osc_wall,
                     extra={'per_server_s': osc_per_server,
                            'drain_speedup': osc_per_server * count / drain_wall}),
        stats.Result('drain', 'client loop: %d x migrate, poll 50 ms, confirm' % count,
                     [loop_wall], loop_wall, extra={'per_server_s': loop_wall / count}),
        stats.Result('drain', 'drain: %d servers, max_parallel %d' % (count, max_parallel),
                     [drain_wall], drain_wall,
                     extra={'per_server_s': drain_wall / count,
                            'speedup': loop_wall / drain_wall}),
    ]


_DRAIN_HEADERS = dict(reads.HEADERS, **{'OpenStack-API-Version': 'migrator 1.2'})


def _request(client, method, path, body=None) -> dict:
    status, answer = client.request(method, path, body)
    assert status in (200, 202), answer
    return answer


def table(results: list) -> str:
    lines = ['| case | n | p50 ms | p95 ms | notes |', '|---|---|---|---|---|']
    for r in results:
        notes = ', '.join('%s=%s' % (k, ('%.2f' % v) if isinstance(v, float) else v)
                          for k, v in r.extra.items())
        lines.append('| %s | %d | %.1f | %.1f | %s |' % (
            r.label, r.count, 1000 * r.p(50), 1000 * r.p(95), notes))
    return '\n'.join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog='python -m bench.drain', description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--quick', action='store_true', help='fewer plan samples')
    args = parser.parse_args(argv)
    samples = 3 if args.quick else 10
    results = []
    with tempfile.TemporaryDirectory(prefix='migrator-drain-') as workdir:
        results += plans(workdir + '/sqlite', 'sqlite:///%s/plan.sqlite' % workdir,
                         'SQLite', (1000, 10000), samples)
        if backends.postgres_available():
            with backends.postgres_database() as url:
                results += plans(workdir + '/pg', url, 'PostgreSQL', (1000, 10000),
                                 samples)
        results += drain_vs_loop(workdir, SERVERS, 8)
    print(table(results))
    return 0


if __name__ == '__main__':
    sys.exit(main())
