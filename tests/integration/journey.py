"""What an operator does over HTTP, against a ``Cluster``; and the checks of
the database state a test makes afterwards."""

import time

import sqlalchemy as sa
from sqlalchemy import orm

from migrator import audit
from migrator.api.views import services as service_names
from tests.journey import Journey

SETTLED_TIMEOUT = 60


def ensure_flavor(cluster, flavorid='1', name='m1.tiny', ram=512, vcpus=1,
                  disk=1) -> str:
    """Create the flavor (as an admin would on a new deployment) once."""
    resp = cluster.get('/flavors/%s' % flavorid)
    if resp.status_code == 200:
        return flavorid
    resp = cluster.post('/flavors', {'flavor': {
        'id': flavorid, 'name': name, 'ram': ram, 'vcpus': vcpus,
        'disk': disk}})
    assert resp.status_code == 200, resp.text
    return flavorid


# What a user does, taken from the one client every test uses: each is
# called as ``step(cluster, ...)``.
boot = Journey.boot
show = Journey.show
host_of = Journey.host_of
wait_status = Journey.wait_status
migrations_of = Journey.migrations_of
records_of = Journey.records_of
wait_migration = Journey.wait_migration


def action(cluster, server_id, body, **kwargs):
    return cluster.post('/servers/%s/action' % server_id, body, **kwargs)


def migrate(cluster, server_id, host=None, force=None, **kwargs):
    """POST the migrate action: ``{"migrate": null}`` when no host is named."""
    if host is None and force is None:
        return action(cluster, server_id, {'migrate': None}, **kwargs)
    body = {'host': host}
    if force is not None:
        body['force'] = force
    return action(cluster, server_id, {'migrate': body}, **kwargs)


def run_audit(cluster) -> str:
    """``migrator-manage audit`` must exit 0; its output otherwise."""
    result = cluster.manage('audit')
    assert result.returncode == 0, 'audit exited %d:\n%s%s' % (
        result.returncode, result.stdout, result.stderr)
    return result.stdout


def assert_all_settled(cluster) -> None:
    """``migrator-manage audit`` finds nothing, every migration is terminal
    and the claims hold what the servers and their moves hold."""
    run_audit(cluster)
    state = db_state(cluster)
    assert [m['status'] for m in state['migrations']
            if m['status'] not in TERMINAL] == []
    assert check_invariants(cluster) == []


def service_states(cluster) -> dict:
    """(process name, host) -> up or down, from os-services (which names
    the processes as Nova does)."""
    services = cluster.get('/os-services').json()['services']
    return {(service_names.own_binary(s['binary']), s['host']): s['state']
            for s in services}


def wait_service_state(cluster, binary, host, state, timeout=60) -> None:
    deadline = time.monotonic() + timeout
    while service_states(cluster).get((binary, host)) != state:
        if time.monotonic() > deadline:
            raise AssertionError('%s on %s is not %s after %ss: %s' % (
                binary, host, state, timeout, service_states(cluster)))
        time.sleep(0.2)


def conductor_hosts(cluster) -> set:
    """The conductors that recorded instance action events (boots, moves)."""
    with cluster.engine.connect() as conn:
        return set(conn.scalars(sa.text(
            "SELECT DISTINCT host FROM instance_actions_events "
            "WHERE event LIKE 'conductor%'")))


# -- the database, read directly ----------------------------------------------

TERMINAL = ('confirmed', 'reverted', 'error', 'cancelled')


def db_state(cluster) -> dict:
    """Nodes, allocations, instances and migrations as plain rows."""
    with cluster.engine.connect() as conn:
        rows = {
            'nodes': conn.execute(sa.text(
                'SELECT * FROM compute_nodes ORDER BY host')).mappings().all(),
            'allocations': conn.execute(sa.text(
                'SELECT * FROM allocations')).mappings().all(),
            'instances': conn.execute(sa.text(
                'SELECT * FROM instances')).mappings().all(),
            'migrations': conn.execute(sa.text(
                'SELECT * FROM migrations')).mappings().all(),
        }
    return {key: [dict(row) for row in value] for key, value in rows.items()}


def migration_row(cluster, migration_id: int) -> dict:
    """The migration record as stored, forced placement details included."""
    with cluster.engine.connect() as conn:
        row = conn.execute(sa.select(_MIGRATIONS).where(
            _MIGRATIONS.c.id == migration_id)).mappings().one()
    return dict(row)


_MIGRATIONS = sa.Table(
    'migrations', sa.MetaData(), sa.Column('id', sa.Integer),
    sa.Column('uuid', sa.String(36)),
    sa.Column('forced', sa.Boolean), sa.Column('requested_host', sa.String(255)),
    sa.Column('forced_filter_failures', sa.JSON), sa.Column('status', sa.String(32)),
    sa.Column('source_compute', sa.String(255)),
    sa.Column('dest_compute', sa.String(255)))


def check_invariants(cluster) -> list[str]:
    """Every way the claims could be wrong, as sentences; empty when right.

    The audit's invariants (``migrator.audit``: usage within capacity and
    equal to the allocation rows, one allocation per server where it runs,
    its move's on the source, no allocation without an owner), and those of
    a settled cloud: no server with a task under way, no move short of
    ``finished`` or a terminal status.
    """
    with orm.Session(cluster.engine) as session:
        problems = [str(p) for p in audit.find_problems(session)]
    state = db_state(cluster)
    for migration in state['migrations']:
        if migration['status'] not in TERMINAL + ('finished',):
            problems.append('migration %s of %s stuck in %s' % (
                migration['uuid'], migration['instance_uuid'],
                migration['status']))
    for instance in state['instances']:
        if instance['task_state'] is not None:
            problems.append('server %s still has task_state %s' % (
                instance['uuid'], instance['task_state']))
    return problems
