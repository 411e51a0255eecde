"""oslo.policy enforcement, built once per app.

As in Nova, ``[oslo_policy] enforce_new_defaults`` and scope checks keep
oslo.policy's defaults (since 4.4.0: on): only the persona defaults apply,
and a token scoped to the system or a domain is refused, every rule being
project-scoped. ``enforce_new_defaults = False`` also accepts each rule's
deprecated default (the old admin_api / admin_or_owner ones).
"""

from oslo_config import cfg
from oslo_policy import policy

from migrator import exception
from migrator.api import policies


def get_enforcer(conf: cfg.ConfigOpts | None = None) -> policy.Enforcer:
    """Entry point for oslopolicy-* tools, and the app factory."""
    conf = conf if conf is not None else cfg.CONF
    enforcer = policy.Enforcer(conf)
    # As Nova: nearly every default changed at once, and a warning for each
    # would bury the ones that matter (renamed rules still overridden, old
    # base rules still in a policy file), which stay on.
    enforcer.suppress_default_change_warnings = True
    enforcer.register_defaults(policies.list_rules())
    return enforcer


class Authorizer:
    def __init__(self, enforcer: policy.Enforcer):
        self.enforcer = enforcer
        self.enforcer.load_rules()

    def authorize(self, context, action: str, target: dict | None = None) -> None:
        """403 unless ``action`` is allowed for ``context`` on ``target``
        (by default the caller's own project)."""
        if target is None:
            target = {'project_id': context.project_id, 'user_id': context.user_id}
        try:
            allowed = self.enforcer.authorize(action, target, context,
                                              do_raise=False)
        except policy.PolicyNotRegistered:
            raise exception.PolicyNotRegistered(action=action)
        except policy.InvalidScope:
            # oslo.policy before 6.0 raises this even with do_raise=False.
            allowed = False
        if not allowed:
            raise exception.Forbidden(action=action)

    def check(self, context, action: str, target: dict | None = None) -> bool:
        try:
            self.authorize(context, action, target)
        except exception.Forbidden:
            return False
        return True
