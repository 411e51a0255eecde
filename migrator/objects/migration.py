"""Migration record transitions shared by computes, the conductor and the API."""

import sqlalchemy as sa

from migrator.compute import claims, states
from migrator.db import models
from migrator.objects import fault as fault_mod
from migrator.objects import instance as instance_mod

_GET = sa.select(models.Migration).where(
    models.Migration.uuid == sa.bindparam('b_uuid'))
_GET_LOCKED = _GET.with_for_update()


def get_migration(session, migration_uuid, lock=False):
    """``lock``: a writer that changes the migration's status holds its row
    until commit, and reads the status the previous writer committed."""
    return session.scalar(_GET_LOCKED if lock else _GET, {'b_uuid': migration_uuid})


def get_by_id(session, instance_uuid, migration_id, lock=False):
    """The server's migration of this (API) id; None when it is not the
    server's or the id is not a number a migration can have."""
    text = str(migration_id)
    if not (text.isascii() and text.isdigit()) or not 0 < int(text) < 2 ** 31:
        return None
    number = int(text)
    stmt = sa.select(models.Migration).where(
        models.Migration.id == number,
        models.Migration.instance_uuid == instance_uuid)
    return session.scalar(stmt.with_for_update() if lock else stmt)


def load_pair(session, instance_uuid, migration_uuid, lock=False):
    # Instance first, then migration: the order the API's confirm and
    # revert take them in.
    return (instance_mod.get(session, instance_uuid, lock),
            get_migration(session, migration_uuid, lock))


def fail_migration(session, instance_uuid, migration_uuid, reason,
                   error, host) -> None:
    """Shared by computes and the conductor's stuck-migration clean-up."""
    instance, migration = load_pair(session, instance_uuid, migration_uuid,
                                    lock=True)
    if migration is None or migration.status in states.MIGRATION_TERMINAL:
        return
    if instance is not None:
        home = home_after_failure(instance, migration)
    set_status(migration, states.MIGRATION_ERROR)
    migration.error_reason = reason
    if instance is None:
        claims.release(session, migration_uuid)
        return
    claims.settle(session, instance_uuid, migration_uuid, home)
    instance.host = instance.node = home
    restore_state(instance, migration)
    fault_mod.add_fault(session, instance_uuid, error, host)


def cancel(session, instance, migration, reason: str) -> None:
    """End a move that has not reached its destination: the destination's
    claim is dropped, the server stays (and runs, if it ran) where it is."""
    set_status(migration, states.CANCELLED)
    migration.error_reason = reason
    claims.settle(session, instance.uuid, migration.uuid, instance.host)
    restore_state(instance, migration)


def home_after_failure(instance, migration) -> str:
    """The host a server lives on once its move is given up: where it runs,
    except during a revert after the destination dropped its copy, which
    leaves the source's copy as the only one."""
    if migration.status == states.REVERTING and \
            'revert_resize' in (migration.phase_times or {}):
        return migration.source_compute
    return instance.host


def restored_state(old_vm_state: str | None) -> dict:
    """The server's states once a move ends where it is to run: as it
    was before the move, stopped or running, with no task."""
    stopped = old_vm_state == states.STOPPED
    return {'vm_state': states.STOPPED if stopped else states.ACTIVE,
            'power_state': states.SHUTDOWN if stopped else states.RUNNING,
            'task_state': None}


def restore_state(instance, migration) -> None:
    for name, value in restored_state(migration.old_vm_state).items():
        setattr(instance, name, value)


def set_status(migration, status: str) -> None:
    now = models.utcnow()
    migration.status = status
    migration.phase_times = dict(migration.phase_times or {},
                                 **{status: now.isoformat()})
    migration.last_progress_at = now


def start_confirm(session, migration_uuid) -> bool:
    migration = get_migration(session, migration_uuid, lock=True)
    if migration is None or migration.status != states.FINISHED:
        return False
    set_status(migration, states.CONFIRMING)
    return True
