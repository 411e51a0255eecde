"""oslo.policy enforcement, built once per app.

As in Nova, ``[oslo_policy] enforce_new_defaults`` and scope checks keep
oslo.policy's defaults (since 4.4.0: on): only the persona defaults apply,
and a token scoped to the system or a domain is refused, every rule being
project-scoped. ``enforce_new_defaults = False`` also accepts each rule's
deprecated default (the old admin_api / admin_or_owner ones).
"""

import time

from oslo_config import cfg
from oslo_policy import policy

from migrator import exception
from migrator.api import policies


class Enforcer(policy.Enforcer):
    """oslo.policy's Enforcer, which looks at the policy file and
    directories (a path search and a stat each) before every check; this
    one looks at most once every ``RECHECK_SECONDS``, so an edited policy
    file still takes effect within a second without a restart."""

    RECHECK_SECONDS = 1.0
    _checked_at: float | None = None
    # Changes whenever the rules in force may have changed.
    generation = 0

    def load_rules(self, force_reload: bool = False) -> None:
        now = time.monotonic()
        if (not force_reload and self.rules and self._checked_at is not None
                and now - self._checked_at < self.RECHECK_SECONDS):
            return
        before = (self.rules, dict(self.rules))
        super().load_rules(force_reload)
        if self.rules is not before[0] or dict(self.rules) != before[1]:
            self.generation += 1
        self._checked_at = now

    def set_rules(self, rules, overwrite=True, use_conf=False):
        super().set_rules(rules, overwrite, use_conf)
        self.generation += 1


def get_enforcer(conf: cfg.ConfigOpts | None = None) -> policy.Enforcer:
    """Entry point for oslopolicy-* tools, and the app factory."""
    conf = conf if conf is not None else cfg.CONF
    enforcer = Enforcer(conf)
    # As Nova: nearly every default changed at once, and a warning for each
    # would bury the ones that matter (renamed rules still overridden, old
    # base rules still in a policy file), which stay on.
    enforcer.suppress_default_change_warnings = True
    enforcer.register_defaults(policies.list_rules())
    return enforcer


def _frozen(value):
    if isinstance(value, dict):
        return tuple(sorted((k, _frozen(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple, set, frozenset)):
        return tuple(sorted(_frozen(v) for v in value))
    return value


def _credentials_key(context):
    """What oslo.policy is handed as credentials, whatever oslo.context
    puts there, as a key; worked out once per context (a request's
    context is complete when its handler runs, and a request asks several
    rules)."""
    key = context.__dict__.get('_policy_credentials_key')
    if key is None:
        key = _frozen(dict(context.to_policy_values()))
        context.__dict__['_policy_credentials_key'] = key
    return key


class Authorizer:
    """Decisions are remembered per (rule, target, credentials) until the
    rules change: a poll of a server asks the same three rules for the
    same caller again and again, and oslo.policy evaluates each check
    afresh (an introspection of the check per rule)."""

    MAX_DECISIONS = 10000

    def __init__(self, enforcer: policy.Enforcer):
        self.enforcer = enforcer
        self.enforcer.load_rules()
        self._decisions: dict = {}
        self._generation = None

    def _allowed(self, context, action: str, target: dict) -> bool:
        self.enforcer.load_rules()
        generation = getattr(self.enforcer, 'generation', None)
        if generation is None:  # a plain Enforcer: ask it every time
            return self._enforce(context, action, target)
        if generation != self._generation:
            self._decisions = {}
            self._generation = generation
        key = (action, _frozen(target), _credentials_key(context))
        allowed = self._decisions.get(key)
        if allowed is None:
            allowed = self._enforce(context, action, target)
            if len(self._decisions) >= self.MAX_DECISIONS:
                self._decisions = {}
            self._decisions[key] = allowed
        return allowed

    def _enforce(self, context, action, target) -> bool:
        try:
            return bool(self.enforcer.authorize(action, target, context,
                                                do_raise=False))
        except policy.PolicyNotRegistered:
            raise exception.PolicyNotRegistered(action=action)
        except policy.InvalidScope:
            # oslo.policy before 6.0 raises this even with do_raise=False.
            return False

    def authorize(self, context, action: str, target: dict | None = None) -> None:
        """403 unless ``action`` is allowed for ``context`` on ``target``
        (by default the caller's own project)."""
        if target is None:
            target = {'project_id': context.project_id, 'user_id': context.user_id}
        if not self._allowed(context, action, target):
            raise exception.Forbidden(action=action)

    def check(self, context, action: str, target: dict | None = None) -> bool:
        try:
            self.authorize(context, action, target)
        except exception.Forbidden:
            return False
        return True
