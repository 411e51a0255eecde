"""The distributed deployment on MariaDB (``mysql+pymysql://``) and RabbitMQ."""

import pytest
import sqlalchemy as sa
from sqlalchemy import exc

from tests.integration import journey

pytestmark = [pytest.mark.integration, pytest.mark.timeout(300)]


def test_db_sync_creates_the_schema(mysql_cluster):
    inspector = sa.inspect(mysql_cluster.engine)
    services = {tuple(c['column_names'])
                for c in inspector.get_unique_constraints('services')}
    assert ('host', 'binary') in services
    allocations = {tuple(c['column_names'])
                   for c in inspector.get_unique_constraints('allocations')}
    assert ('consumer_uuid', 'node_id') in allocations
    with mysql_cluster.engine.connect() as conn:
        engines = set(conn.scalars(sa.text(
            'SELECT engine FROM information_schema.tables '
            'WHERE table_schema = DATABASE()')))
        # JSON columns: MariaDB keeps them as LONGTEXT checked by json_valid.
        checks = dict(conn.execute(sa.text(
            'SELECT constraint_name, check_clause FROM '
            'information_schema.check_constraints '
            'WHERE constraint_schema = DATABASE()')).all())
        for column in ('flavor', 'forced_filter_failures', 'phase_times'):
            assert checks[column] == 'json_valid(`%s`)' % column
        # The unique constraint is enforced, not just declared.
        row = conn.execute(sa.text(
            'SELECT host, `binary`, topic, uuid FROM services LIMIT 1')).one()
        with pytest.raises(exc.IntegrityError):
            conn.execute(sa.text(
                'INSERT INTO services (host, `binary`, topic, uuid, disabled, '
                'forced_down, version, created_at) '
                'VALUES (:h, :b, :t, :u, 0, 0, 1, NOW())'),
                {'h': row.host, 'b': row.binary, 't': row.topic,
                 'u': 'another-uuid'})
    assert engines == {'InnoDB'}


def test_boot_migrate_confirm(mysql_cluster):
    flavor = journey.ensure_flavor(mysql_cluster)
    server_id = journey.boot(mysql_cluster, 'on-mariadb', flavor)
    source = journey.host_of(mysql_cluster, server_id)
    dest = 'm2' if source == 'm1' else 'm1'

    resp = journey.migrate(mysql_cluster, server_id, host=dest)
    assert resp.status_code == 202, resp.text
    server = journey.wait_status(mysql_cluster, server_id, 'VERIFY_RESIZE')
    assert server['OS-EXT-SRV-ATTR:host'] == dest
    assert journey.check_invariants(mysql_cluster) == []

    resp = journey.action(mysql_cluster, server_id, {'confirmResize': None})
    assert resp.status_code == 204, resp.text
    server = journey.wait_status(mysql_cluster, server_id, 'ACTIVE')
    assert server['OS-EXT-SRV-ATTR:host'] == dest
    assert journey.migrations_of(mysql_cluster, server_id)[0]['status'] == 'confirmed'
    assert journey.check_invariants(mysql_cluster) == []


def test_forced_migration_record_keeps_json(mysql_cluster):
    """A forced move past a disabled host stores the filters it went past in
    a JSON column, and reads them back."""
    server_id = journey.boot(mysql_cluster, 'forced-on-mariadb',
                             journey.ensure_flavor(mysql_cluster))
    source = journey.host_of(mysql_cluster, server_id)
    dest = 'm2' if source == 'm1' else 'm1'
    body = {'host': dest, 'binary': 'nova-compute'}
    resp = mysql_cluster.put('/os-services/disable-log-reason',
                             dict(body, disabled_reason='maintenance'),
                             version='2.1')
    assert resp.status_code == 200, resp.text
    try:
        resp = journey.migrate(mysql_cluster, server_id, host=dest, force=True)
        assert resp.status_code == 202, resp.text
        journey.wait_status(mysql_cluster, server_id, 'VERIFY_RESIZE')
    finally:
        mysql_cluster.put('/os-services/enable', body, version='2.1')
    migration = journey.migrations_of(mysql_cluster, server_id)[0]
    record = journey.migration_row(mysql_cluster, migration['id'])
    assert record['forced']
    assert record['forced_filter_failures'] == [{
        'filter': 'ComputeFilter',
        'reason': 'compute service is disabled (maintenance)'}]
    resp = journey.action(mysql_cluster, server_id, {'revertResize': None})
    assert resp.status_code == 202, resp.text
    server = journey.wait_status(mysql_cluster, server_id, 'ACTIVE')
    assert server['OS-EXT-SRV-ATTR:host'] == source
    assert journey.check_invariants(mysql_cluster) == []
