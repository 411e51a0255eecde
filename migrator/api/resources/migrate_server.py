"""The migrate action (2.56: to a named host, optionally forced), and
confirmResize / revertResize that end a move.

Order of checks (DESIGN §3): body schema, 404 server, 403 policy, 409 state,
400 host unknown or the source, then the conductor's verdict (400 with the
filters' reasons, 409 when a concurrent request won the claim).
"""

import falcon
import oslo_messaging as messaging
import sqlalchemy as sa

from migrator import exception
from migrator.api import microversion as mv
from migrator.api import schemas
from migrator.api.policies import migrate_server as migrate_policies
from migrator.api.policies import servers as server_policies
from migrator.api.resources import base
from migrator.api.resources.server_power import begin_task
from migrator.api.resources.servers import request_spec_for, target_of
from migrator.api.schemas import migrate_server as schema
from migrator.api.schemas import server_actions as action_schema
from migrator.compute import states
from migrator.db import models
from migrator.objects import instance_action
from migrator.objects import migration as migration_mod
from migrator.scheduler import host_state

_NOVACLIENT_HINT = (
    'Invalid input for field/attribute migrate. At microversion 2.56 and later '
    'an object body must name the target host: send {"migrate": {"host": '
    '"<compute host>"}} (optionally with "force": true), or {"migrate": null} '
    'to let the scheduler choose.')


_FORCE_NEEDS_HOST = (
    'Invalid input for field/attribute force. force requires a target host: '
    '"force": true is only accepted with "host" set to a compute host name.')


def _validate(req) -> dict | None:
    """The migrate value after schema validation (None: scheduler chooses)."""
    body = base.json_body(req)
    if base.version_at_least(req, mv.MIGRATE_HOST_FORCE):
        value = body.get('migrate') if isinstance(body, dict) else None
        if isinstance(value, dict) and 'host' not in value and \
                set(value) <= {'force'}:
            if value.get('force') is True:
                raise exception.ValidationError(message=_FORCE_NEEDS_HOST)
            raise exception.ValidationError(message=_NOVACLIENT_HINT)
        schemas.validate(schema.migrate_v256, body)
    else:
        schemas.validate(schema.migrate_v21, body)
    return body['migrate']


def migrate(deps, req, instance, body):
    ctx = base.context(req)
    value = _validate(req) or {}
    host, force = value.get('host'), value.get('force')
    if force and not host:
        raise exception.ValidationError(message=_FORCE_NEEDS_HOST)
    target = target_of(instance)
    deps.authorizer.authorize(ctx, migrate_policies.MIGRATE, target)
    if host:
        deps.authorizer.authorize(ctx, migrate_policies.MIGRATE_HOST, target)
    if force:
        deps.authorizer.authorize(ctx, migrate_policies.MIGRATE_FORCE, target)
    if instance.locked:
        raise exception.InstanceIsLocked(instance_id=instance.uuid)
    _check_state(instance)
    instance, group_uuid = deps.db.write(_begin_migrate, ctx, instance, host,
                                         deps.conf.service_down_time)
    spec = request_spec_for(instance, group_uuid=group_uuid)
    spec.is_move = True
    spec.requested_destination = host if host and not force else None
    if not deps.conf.allow_resize_to_same_host or host:
        spec.ignore_hosts = [instance.host]
    # Below 2.56 the request cannot express force: the key is not sent at all.
    options = {}
    if base.version_at_least(req, mv.MIGRATE_HOST_FORCE):
        options['force'] = force
    try:
        deps.conductor_api.migrate_server(ctx, instance.uuid, spec.to_dict(),
                                          host, **options)
    except exception.ComputeHostNotFound as error:
        raise exception.Invalid(error.format_message())
    except messaging.MessagingTimeout:
        raise exception.ServiceUnavailable(
            reason='the conductor did not answer within %ss; the migration may '
                   'still start, see GET /servers/%s/os-instance-actions'
                   % (deps.conf.api.migrate_call_timeout, instance.uuid))
    return falcon.HTTP_202


def _check_state(instance) -> None:
    if instance.task_state is not None:
        raise exception.InstanceInvalidState(
            action='migrate', instance_id=instance.uuid, attr='task_state',
            state=instance.task_state)
    if instance.vm_state not in (states.ACTIVE, states.STOPPED):
        raise exception.InstanceInvalidState(
            action='migrate', instance_id=instance.uuid, attr='vm_state',
            state=instance.vm_state)


def _begin_migrate(session, ctx, instance, host, down_time):
    """One transaction: the hosts checked, the task set, the group read."""
    _check_hosts(session, instance, host, down_time)
    instance = begin_task(session, ctx, instance.uuid, 'migrate',
                          (states.ACTIVE, states.STOPPED), states.RESIZE_PREP,
                          check_lock=False)
    return instance, _group_of(session, instance.uuid)


def _check_hosts(session, instance, host, down_time) -> None:
    source = session.scalar(sa.select(models.Service)
                            .where(models.Service.host == instance.host,
                                   models.Service.binary == 'migrator-compute'))
    if not host_state.service_is_up(source, down_time):
        raise exception.ComputeServiceUnavailable(host=instance.host)
    if host is None:
        return
    exists = session.scalar(sa.select(models.ComputeNode.id)
                            .where(models.ComputeNode.host == host))
    if exists is None:
        raise exception.Invalid(
            exception.ComputeHostNotFound(host=host).format_message())
    if host == instance.host:
        raise exception.UnableToMigrateToSelf()


def _group_of(session, instance_uuid):
    return session.scalar(
        sa.select(models.ServerGroup.uuid)
        .join(models.ServerGroupMember,
              models.ServerGroupMember.group_id == models.ServerGroup.id)
        .where(models.ServerGroupMember.instance_uuid == instance_uuid))


def confirm_resize(deps, req, instance, body):
    ctx = base.context(req)
    base.json_body(req, action_schema.confirm_resize)
    deps.authorizer.authorize(ctx, server_policies.CONFIRM_RESIZE,
                              target_of(instance))
    migration = deps.db.write(_begin_end_of_move, ctx, instance.uuid,
                              'confirmResize', states.CONFIRMING, None)
    deps.compute_api.confirm_resize(ctx, migration.source_compute,
                                    instance.uuid, migration.uuid)
    return falcon.HTTP_204


def revert_resize(deps, req, instance, body):
    ctx = base.context(req)
    base.json_body(req, action_schema.revert_resize)
    deps.authorizer.authorize(ctx, server_policies.REVERT_RESIZE,
                              target_of(instance))
    migration = deps.db.write(_begin_end_of_move, ctx, instance.uuid,
                              'revertResize', states.REVERTING,
                              states.RESIZE_REVERTING)
    deps.compute_api.revert_resize(ctx, migration.dest_compute,
                                   instance.uuid, migration.uuid)
    return falcon.HTTP_202


def _begin_end_of_move(session, ctx, instance_uuid, action, status, task_state):
    instance = session.scalar(sa.select(models.Instance)
                              .where(models.Instance.uuid == instance_uuid)
                              .with_for_update())
    if instance.locked and not ctx.is_admin:
        raise exception.InstanceIsLocked(instance_id=instance_uuid)
    if instance.vm_state != states.RESIZED or instance.task_state is not None:
        attr, state = (('task_state', instance.task_state)
                       if instance.task_state else ('vm_state', instance.vm_state))
        raise exception.InstanceInvalidState(action=action,
                                             instance_id=instance_uuid,
                                             attr=attr, state=state)
    migration = session.scalar(
        sa.select(models.Migration)
        .where(models.Migration.instance_uuid == instance_uuid,
               models.Migration.status == states.FINISHED)
        .order_by(models.Migration.id.desc()).limit(1))
    if migration is None:
        raise exception.MigrationNotFoundByStatus(instance_id=instance_uuid,
                                                  status=states.FINISHED)
    migration_mod.set_status(migration, status)
    instance.task_state = task_state
    instance_action.start_action(session, ctx, instance_uuid, action)
    return migration
