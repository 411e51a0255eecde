"""A step that fails leaves one claim, on the host the server runs on, a
migration in error with the reason, and a server an operator can act on."""

import time

import pytest
import sqlalchemy as sa

from migrator.conductor import manager as conductor_manager
from migrator.db import models
from tests.functional import migrate_helpers as ops
from tests.invariants import assert_consistent


def _fail_at(service, step):
    service.conf.set_override('fail_at', [step], group='compute')


@pytest.mark.parametrize('step,event', [
    ('prep_resize', 'compute_prep_resize'),
    ('resize_instance', 'compute_resize_instance'),
    ('finish_resize', 'compute_finish_resize'),
])
def test_failure_during_the_move_rolls_back_to_the_source(service, step, event):
    server = ops.boot_on(service, 'compute1')
    _fail_at(service, step)
    service.action(server, {'migrate': {'host': 'compute2'}}, status=202)
    service.wait_migration(server, ['error'])
    assert 'Injected failure at %s' % step in service.record(server)['error_reason']
    back = service.wait_status(server, 'ACTIVE')
    assert back['OS-EXT-SRV-ATTR:host'] == 'compute1'
    assert ops.usage(service, 'compute2')['MEMORY_MB']['used'] == 0
    assert ops.usage(service, 'compute1')['MEMORY_MB']['used'] == 512
    action = ops.events(service, server)
    failed = [e for e in action['events'] if e['result'] == 'Error']
    assert [e['event'] for e in failed] == [event]
    assert 'InjectedFailure' in failed[0]['traceback']
    assert 'Injected failure at %s' % step in action['message']
    assert_consistent(service.db)
    # The operator can act on it: the next migration works.
    service.conf.clear_override('fail_at', group='compute')
    service.action(server, {'migrate': {'host': 'compute3'}}, status=202)
    assert service.wait_status(server, 'VERIFY_RESIZE')['OS-EXT-SRV-ATTR:host'] == \
        'compute3'
    assert_consistent(service.db)


def test_stopped_server_stays_stopped_after_a_failure(service):
    server = ops.boot_on(service, 'compute1')
    service.action(server, {'os-stop': None}, status=202)
    service.wait_status(server, 'SHUTOFF')
    _fail_at(service, 'resize_instance')
    service.action(server, {'migrate': None}, status=202)
    service.wait_migration(server, ['error'])
    assert service.wait_status(server, 'SHUTOFF')['OS-EXT-SRV-ATTR:host'] == 'compute1'
    assert_consistent(service.db)


@pytest.mark.parametrize('step,end,host', [
    ('confirm_resize', 'confirmResize', 'compute2'),
    ('revert_resize', 'revertResize', 'compute2'),
    # The destination already dropped its copy: the source's is the one left.
    ('finish_revert_resize', 'revertResize', 'compute1'),
])
def test_failure_ending_the_move_keeps_the_server_where_it_runs(service, step, end,
                                                                 host):
    server = ops.boot_on(service, 'compute1')
    service.action(server, {'migrate': {'host': 'compute2'}}, status=202)
    service.wait_status(server, 'VERIFY_RESIZE')
    _fail_at(service, step)
    service.action(server, {end: None})
    service.wait_migration(server, ['error'])
    assert 'Injected failure at %s' % step in service.record(server)['error_reason']
    server_view = service.wait_status(server, 'ACTIVE')
    assert server_view['OS-EXT-SRV-ATTR:host'] == host
    other = 'compute1' if host == 'compute2' else 'compute2'
    assert ops.usage(service, other)['MEMORY_MB']['used'] == 0
    assert ops.usage(service, host)['MEMORY_MB']['used'] == 512
    assert_consistent(service.db)


def test_boot_failure_frees_the_claim(service):
    _fail_at(service, 'spawn')
    server = service.boot(wait='ERROR')
    fault = service.show(server)['fault']
    assert 'Injected failure at spawn' in fault['message']
    for host in ('compute1', 'compute2', 'compute3'):
        assert ops.usage(service, host)['MEMORY_MB']['used'] == 0
    assert_consistent(service.db)


def _move_toward_a_stopped_compute(service) -> str:
    """A forced move from compute1 to compute2, whose compute is stopped:
    its prep_resize is never handled. The server's id."""
    server = ops.boot_on(service, 'compute1')
    dest = service.compute('compute2')
    dest.stop()
    dest.wait()
    service.action(server, {'migrate': {'host': 'compute2', 'force': True}},
                   status=202)
    return server


def test_stuck_migration_is_cleaned_up(service):
    """A cast that never arrives: the conductor's periodic task gives up."""
    server = _move_toward_a_stopped_compute(service)
    migration = service.migrations(instance_uuid=server)[0]
    assert migration['status'] == 'pre-migrating'
    assert_consistent(service.db)
    conductor = next(s for s in service.dep.services if s.binary == 'migrator-conductor')
    service.conf.set_override('migration_timeout', 1, group='conductor')
    time.sleep(1.2)
    assert conductor.manager.clean_up_stuck_migrations() == 1
    migration = service.migrations(instance_uuid=server)[0]
    assert migration['status'] == 'error'
    assert service.record(server)['error_reason'] == (
        'no progress for 1s in status pre-migrating: the destination compute2 '
        'never prepared for it (prep_resize); the server stays on compute1')
    assert service.show(server)['status'] == 'ACTIVE'
    assert ops.usage(service, 'compute2')['MEMORY_MB']['used'] == 0
    assert_consistent(service.db)


def test_a_move_that_progressed_since_the_periodic_looked_is_kept(service):
    """The clean-up checks again under the row lock before it gives up."""
    server = _move_toward_a_stopped_compute(service)
    migration = service.migrations(instance_uuid=server)[0]
    uuid = service.db.read(lambda s: s.scalar(sa.select(models.Migration.uuid)
                                              .where(models.Migration.id == migration['id'])))
    # Found stuck a moment ago, but it has made progress since (last
    # progress is now, within the timeout).
    assert service.db.write(conductor_manager._fail_stuck,
                            server, uuid, 60, 'conductor') == 0
    assert service.migrations(instance_uuid=server)[0]['status'] == 'pre-migrating'
    assert_consistent(service.db)
