"""oslo.policy enforcement, built once per app."""

from oslo_config import cfg
from oslo_policy import policy

from migrator import exception
from migrator.api import policies


def get_enforcer(conf: cfg.ConfigOpts | None = None) -> policy.Enforcer:
    """Entry point for oslopolicy-* tools, and the app factory."""
    conf = conf if conf is not None else cfg.CONF
    enforcer = policy.Enforcer(conf)
    enforcer.register_defaults(policies.list_rules())
    return enforcer


class Authorizer:
    def __init__(self, enforcer: policy.Enforcer):
        self.enforcer = enforcer
        self.enforcer.load_rules()

    def authorize(self, context, action: str, target: dict | None = None) -> None:
        """403 unless ``action`` is allowed for ``context`` on ``target``."""
        if target is None:
            target = {'project_id': context.project_id, 'user_id': context.user_id}
        try:
            allowed = self.enforcer.authorize(action, target, context,
                                              do_raise=False)
        except policy.PolicyNotRegistered:
            raise exception.PolicyNotRegistered(action=action)
        if not allowed:
            raise exception.Forbidden(action=action)

    def check(self, context, action: str, target: dict | None = None) -> bool:
        try:
            self.authorize(context, action, target)
        except exception.Forbidden:
            return False
        return True
