"""migrator-manage audit: finds what is wrong, --fix repairs what is safe."""

import subprocess
import sys
import uuid

import sqlalchemy as sa

from migrator.db import models
from tests.functional import migrate_helpers as ops


def _audit(tmp_path, service, *args):
    config = tmp_path / 'audit.conf'
    config.write_text('[database]\nconnection = %s\n[conductor]\nmigration_timeout = 1\n'
                      % service.db.url.render_as_string(hide_password=False))
    return subprocess.run(
        [sys.executable, '-m', 'migrator.cmd.manage', '--config-file', str(config),
         'audit', *args], capture_output=True, text=True, timeout=60)


def test_audit_finds_and_fixes(tmp_path, service):
    server = ops.boot_on(service, 'compute1')
    clean = _audit(tmp_path, service)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert 'No problems found.' in clean.stdout

    # A move whose destination died before it started, a leaked claim, and
    # usage counters that disagree with the rows.
    dest = service.compute('compute2')
    dest.stop()
    dest.wait()
    service.action(server, {'migrate': {'host': 'compute2', 'force': True}}, status=202)
    leaked = str(uuid.uuid4())

    def corrupt(session):
        node = session.scalar(sa.select(models.ComputeNode)
                              .where(models.ComputeNode.host == 'compute3'))
        session.add(models.Allocation(consumer_uuid=leaked, node_id=node.id,
                                      vcpus=1, memory_mb=256, disk_gb=1))
        node.memory_mb_used += 999
        migration = session.scalar(sa.select(models.Migration))
        migration.last_progress_at = models.utcnow().replace(year=2000)
    service.db.write(corrupt)

    found = _audit(tmp_path, service)
    assert found.returncode == 1
    assert 'stuck-migration' in found.stdout
    assert 'orphan-allocation %s' % leaked in found.stdout
    assert 'usage-mismatch compute3' in found.stdout

    fixed = _audit(tmp_path, service, '--fix')
    assert fixed.returncode == 1
    assert 'fixed: deleted allocations of %s' % leaked in fixed.stdout
    assert 'fixed: recomputed usage of compute3' in fixed.stdout

    again = _audit(tmp_path, service)
    assert again.returncode == 0, again.stdout
    migration = service.migrations(instance_uuid=server)[0]
    assert migration['status'] == 'error'
    assert service.show(server)['OS-EXT-SRV-ATTR:host'] == 'compute1'
