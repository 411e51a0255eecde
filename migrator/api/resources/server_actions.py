"""POST /servers/{id}/action: one key names the action.

The migrate action (2.56: to a named host, optionally forced) answers in
the order DESIGN §3 gives: body, 404 server, 400 body schema, 403 policy,
then the operations layer's 409 (lock, state, source down) and 400 (host
unknown or the source), then the conductor's verdict (400 with the
filters' reasons, 409 when a concurrent request won the claim).
"""

import falcon

from migrator import exception
from migrator.api import common
from migrator.api import microversion as mv
from migrator.api.policies import admin_actions as admin_action_policies
from migrator.api.policies import lock_server as lock_policies
from migrator.api.policies import migrate_server as migrate_policies
from migrator.api.policies import servers as server_policies
from migrator.api.views.servers import target_of
from migrator.operations import moves

_NOVACLIENT_HINT = (
    'Invalid input for field/attribute migrate. At microversion 2.56 and later '
    'an object body must name the target host: send {"migrate": {"host": '
    '"<compute host>"}} (optionally with "force": true), or {"migrate": null} '
    'to let the scheduler choose.')


def _migrate_value(req) -> dict:
    """The migrate value after validation ({} when the scheduler chooses).
    Below 2.56 the value is validated as anything and not read, as Nova."""
    if not common.version_at_least(req, mv.MIGRATE_HOST_FORCE):
        common.action_body(req, 'migrate')
        return {}
    raw = common.action(req)[1]
    if isinstance(raw, dict) and 'host' not in raw and set(raw) <= {'force'}:
        moves.check_force(None, raw.get('force') is True)
        raise exception.ValidationError(message=_NOVACLIENT_HINT)
    return common.action_body(req, 'migrate')['migrate'] or {}


def migrate(deps, req, instance):
    ctx = common.context(req)
    value = _migrate_value(req)
    host, force = value.get('host'), value.get('force')
    moves.check_force(host, force)
    target = target_of(instance)
    deps.authorizer.authorize(ctx, migrate_policies.MIGRATE, target)
    if host:
        deps.authorizer.authorize(ctx, migrate_policies.MIGRATE_HOST, target)
    if force:
        deps.authorizer.authorize(ctx, migrate_policies.MIGRATE_FORCE, target)
    # Below 2.56 the request cannot express force: the conductor is told so.
    deps.ops.moves.migrate(
        ctx, instance, host, force,
        force_given=common.version_at_least(req, mv.MIGRATE_HOST_FORCE))
    return falcon.HTTP_202


def confirm_resize(deps, req, instance):
    ctx = common.context(req)
    common.action_body(req, 'confirmResize')
    deps.authorizer.authorize(ctx, server_policies.CONFIRM_RESIZE,
                              target_of(instance))
    deps.ops.moves.confirm_resize(ctx, instance)
    return falcon.HTTP_204


def revert_resize(deps, req, instance):
    ctx = common.context(req)
    common.action_body(req, 'revertResize')
    deps.authorizer.authorize(ctx, server_policies.REVERT_RESIZE,
                              target_of(instance))
    deps.ops.moves.revert_resize(ctx, instance)
    return falcon.HTTP_202


def stop(deps, req, instance):
    ctx = common.context(req)
    common.action_body(req, 'os-stop')
    deps.authorizer.authorize(ctx, server_policies.STOP,
                              target_of(instance))
    deps.ops.servers.stop(ctx, instance)
    return falcon.HTTP_202


def start(deps, req, instance):
    ctx = common.context(req)
    common.action_body(req, 'os-start')
    deps.authorizer.authorize(ctx, server_policies.START,
                              target_of(instance))
    deps.ops.servers.start(ctx, instance)
    return falcon.HTTP_202


def lock(deps, req, instance):
    ctx = common.context(req)
    common.action_body(req, 'lock')
    deps.authorizer.authorize(ctx, lock_policies.LOCK,
                              dict(target_of(instance), user_id=instance.user_id))
    deps.ops.servers.lock(ctx, instance)
    return falcon.HTTP_202


def unlock(deps, req, instance):
    ctx = common.context(req)
    common.action_body(req, 'unlock')
    target = target_of(instance)
    deps.authorizer.authorize(ctx, lock_policies.UNLOCK, target)
    # As Nova: a lock set by the other side (owner vs admin) needs the override.
    if instance.locked_by and \
            instance.locked_by != deps.ops.servers.locker(ctx, instance):
        deps.authorizer.authorize(
            ctx, lock_policies.UNLOCK_OVERRIDE, target)
    deps.ops.servers.unlock(ctx, instance)
    return falcon.HTTP_202


def reboot(deps, req, instance):
    ctx = common.context(req)
    value = common.action_body(req, 'reboot')['reboot']
    deps.authorizer.authorize(ctx, server_policies.REBOOT, target_of(instance))
    deps.ops.servers.reboot(ctx, instance, value['type'].upper())
    return falcon.HTTP_202


def reset_state(deps, req, instance):
    ctx = common.context(req)
    value = common.action_body(req, 'os-resetState')['os-resetState']
    deps.authorizer.authorize(ctx, admin_action_policies.RESET_STATE,
                              target_of(instance))
    deps.ops.servers.reset_state(ctx, instance, value['state'])
    return falcon.HTTP_202


HANDLERS = {
    'migrate': migrate,
    'confirmResize': confirm_resize,
    'revertResize': revert_resize,
    'os-stop': stop,
    'os-start': start,
    'lock': lock,
    'unlock': unlock,
    'reboot': reboot,
    'os-resetState': reset_state,
}


class Action:
    def __init__(self, deps):
        self.deps = deps

    def on_post(self, req, resp, server_id):
        name, _value = common.action(req)
        instance = self.deps.ops.servers.get(common.context(req), server_id)
        resp.status = HANDLERS[name](self.deps, req, instance)
