"""os-stop, os-start, lock and unlock."""

import falcon
import sqlalchemy as sa

from migrator import exception
from migrator.api.policies import lock_server as lock_policies
from migrator.api.policies import servers as server_policies
from migrator.api.resources import base
from migrator.api.resources.servers import target_of
from migrator.api.schemas import server_actions as schema
from migrator.compute import states
from migrator.db import models
from migrator.objects import instance_action


def begin_task(session, ctx, instance_uuid, action, allowed_vm_states,
               task_state, check_lock=True):
    """Compare-and-set the task_state; 409 naming the state that blocks it."""
    # The row lock makes the check and the set one step on every backend
    # (SQLite's writer transaction already holds the database lock).
    instance = session.scalar(sa.select(models.Instance)
                              .where(models.Instance.uuid == instance_uuid)
                              .with_for_update())
    if instance is None:
        raise exception.InstanceNotFound(instance_id=instance_uuid)
    if check_lock and instance.locked and not ctx.is_admin:
        raise exception.InstanceIsLocked(instance_id=instance_uuid)
    if instance.task_state is not None:
        raise exception.InstanceInvalidState(
            action=action, instance_id=instance_uuid, attr='task_state',
            state=instance.task_state)
    if instance.vm_state not in allowed_vm_states:
        raise exception.InstanceInvalidState(
            action=action, instance_id=instance_uuid, attr='vm_state',
            state=instance.vm_state)
    if not instance.host:
        raise exception.Conflict('Instance %s is not ready: it has no host '
                                 '(its boot failed); delete it instead.'
                                 % instance_uuid)
    instance.task_state = task_state
    instance_action.start_action(session, ctx, instance_uuid, action)
    return instance


def _power(deps, req, instance, body, action, rule, allowed, task_state):
    ctx = base.context(req)
    base.json_body(req, getattr(schema, 'os_' + action))
    deps.authorizer.authorize(ctx, rule, target_of(instance))
    instance = deps.db.write(begin_task, ctx, instance.uuid, action, allowed,
                             task_state)
    cast = deps.compute_api.stop_instance if action == 'stop' else \
        deps.compute_api.start_instance
    cast(ctx, instance.host, instance.uuid)
    return falcon.HTTP_202


def stop(deps, req, instance, body):
    return _power(deps, req, instance, body, 'stop', server_policies.STOP,
                  (states.ACTIVE, states.ERROR), states.POWERING_OFF)


def start(deps, req, instance, body):
    return _power(deps, req, instance, body, 'start',
                  server_policies.START, (states.STOPPED,),
                  states.POWERING_ON)


def lock(deps, req, instance, body):
    ctx = base.context(req)
    base.json_body(req, schema.lock)
    deps.authorizer.authorize(ctx, lock_policies.LOCK,
                              dict(target_of(instance), user_id=instance.user_id))
    locked_by = 'owner' if ctx.project_id == instance.project_id else 'admin'
    deps.db.write(_set_lock, ctx, instance.uuid, True, locked_by)
    return falcon.HTTP_202


def unlock(deps, req, instance, body):
    ctx = base.context(req)
    base.json_body(req, schema.unlock)
    deps.authorizer.authorize(ctx, lock_policies.UNLOCK,
                              target_of(instance))
    # As Nova: a lock set by the other side (owner vs admin) needs the override.
    expected = 'owner' if ctx.project_id == instance.project_id else 'admin'
    if instance.locked_by and instance.locked_by != expected:
        deps.authorizer.authorize(
            ctx, lock_policies.UNLOCK_OVERRIDE,
            target_of(instance))
    deps.db.write(_set_lock, ctx, instance.uuid, False, None)
    return falcon.HTTP_202


def _set_lock(session, ctx, instance_uuid, locked, locked_by):
    instance = session.scalar(sa.select(models.Instance)
                              .where(models.Instance.uuid == instance_uuid))
    instance.locked = locked
    instance.locked_by = locked_by
    instance_action.start_action(session, ctx, instance_uuid,
                                 'lock' if locked else 'unlock')
