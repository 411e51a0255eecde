"""A migrate request no conductor ever took does not strand its server.

The API sets task_state resize_prep before it calls a conductor; if the
call is never handled (no conductor running, the message expired), the
server stayed in RESIZE for good and every later action got 409. The
conductor's periodic task now clears it once it is older than twice
[api] migrate_call_timeout and no migration exists for the server.
"""

import datetime

import sqlalchemy as sa

from migrator.compute import states
from migrator.db import models


def _conductor(service):
    return next(s.manager for s in service.dep.services
                if s.binary == 'migrator-conductor')


def _set(service, server_id, age_seconds, task_state=states.RESIZE_PREP):
    updated = models.utcnow() - datetime.timedelta(seconds=age_seconds)
    service.db.write(lambda s: s.execute(
        sa.update(models.Instance).where(models.Instance.uuid == server_id)
        .values(task_state=task_state, updated_at=updated)))


def test_abandoned_request_is_released_and_the_server_can_move(service):
    server_id = service.boot()
    timeout = service.conf.api.migrate_call_timeout
    _set(service, server_id, age_seconds=2 * timeout + 5)
    assert service.show(server_id)['status'] == 'RESIZE'
    service.action(server_id, {'migrate': None}, status=409)

    assert _conductor(service).release_abandoned_migrate_requests() == 1
    server = service.show(server_id)
    assert (server['status'], server['OS-EXT-STS:task_state']) == ('ACTIVE', None)
    service.action(server_id, {'migrate': None}, status=202)
    service.wait_status(server_id, 'VERIFY_RESIZE')


def test_recent_or_running_requests_are_left_alone(service):
    recent = service.boot(name='recent')
    _set(service, recent, age_seconds=1)
    moving = service.boot(name='moving')
    service.action(moving, {'migrate': None}, status=202)
    service.wait_status(moving, 'VERIFY_RESIZE')
    # A request being handled has its migration row: never released.
    _set(service, moving, age_seconds=10 ** 5)

    assert _conductor(service).release_abandoned_migrate_requests() == 0
    assert service.show(recent)['OS-EXT-STS:task_state'] == states.RESIZE_PREP
    assert service.show(moving)['OS-EXT-STS:task_state'] == states.RESIZE_PREP
