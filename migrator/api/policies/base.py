"""The personas every default is built from, with Nova's names.

Keystone's default roles imply one another (admin > manager > member >
reader), so a rule open to the project reader is open to every role of that
project, and the administrator passes every rule. Four bases name the
personas; a default refers to one of them, never to a role directly:

* ``ADMIN``: the cloud administrator (``role:admin``, any project);
* ``PROJECT_MANAGER_OR_ADMIN``: a manager of the target's project;
* ``PROJECT_MEMBER_OR_ADMIN``: a member of the target's project;
* ``PROJECT_READER_OR_ADMIN``: a reader of the target's project.

Before these, migrator had two bases, ``admin_api`` and ``admin_or_owner``
(any role of the owning project). They stay registered, deprecated, so that
policy files which refer to them still load, and an override of either one
still stands for the personas it used to mean (see ``_LEGACY_ADMIN`` and
``_LEGACY_OWNER`` below).
"""

from oslo_policy import policy

ADMIN = 'rule:context_is_admin'
PROJECT_MANAGER_OR_ADMIN = 'rule:project_manager_or_admin'
PROJECT_MEMBER_OR_ADMIN = 'rule:project_member_or_admin'
PROJECT_READER_OR_ADMIN = 'rule:project_reader_or_admin'
ANY = '@'

# Every rule acts within a project: a system- or domain-scoped token is
# refused, as in Nova.
SCOPE_TYPES = ['project']

# The bases of the old defaults, which rules named before the personas.
LEGACY_ADMIN = 'rule:admin_api'
LEGACY_ADMIN_OR_OWNER = 'rule:admin_or_owner'

# The release that replaced the old defaults by the personas.
DEPRECATED_SINCE = '0.2.0'
# oslo.policy puts each reason into a sentence of its own: no final stop.
DEPRECATED_REASON = (
    "Defaults follow Keystone's roles (reader, member, manager, admin), as "
    "Nova's do, instead of any role of the owning project. "
    '[oslo_policy] enforce_new_defaults = False also accepts the old default')

_LEGACY_ADMIN = policy.DeprecatedRule(
    'admin_api', 'is_admin:True', deprecated_reason=DEPRECATED_REASON,
    deprecated_since=DEPRECATED_SINCE)
_LEGACY_OWNER = policy.DeprecatedRule(
    'admin_or_owner', 'is_admin:True or project_id:%(project_id)s',
    deprecated_reason=DEPRECATED_REASON, deprecated_since=DEPRECATED_SINCE)


def deprecated(name: str, check_str: str, reason: str = DEPRECATED_REASON
               ) -> policy.DeprecatedRule:
    """What a rule was called and defaulted to before ``DEPRECATED_SINCE``."""
    return policy.DeprecatedRule(name, check_str, deprecated_reason=reason,
                                 deprecated_since=DEPRECATED_SINCE)


def rule(name: str, check_str: str, description: str, operations: list,
         deprecated_rule: policy.DeprecatedRule | None = None
         ) -> policy.DocumentedRuleDefault:
    """A project-scoped documented default; ``operations`` holds
    ``(method, path)`` pairs."""
    return policy.DocumentedRuleDefault(
        name=name, check_str=check_str, description=description,
        operations=[{'method': method, 'path': path} for method, path in operations],
        scope_types=SCOPE_TYPES, deprecated_rule=deprecated_rule)


rules = [
    policy.RuleDefault(
        'context_is_admin', 'role:admin',
        'The cloud administrator: holds the admin role, in any project.',
        deprecated_rule=_LEGACY_ADMIN),
    policy.RuleDefault(
        'admin_or_owner', 'is_admin:True or project_id:%(project_id)s',
        'Old base: an administrator, or any role in the owning project. No '
        'default refers to it any more.',
        deprecated_for_removal=True, deprecated_reason=DEPRECATED_REASON,
        deprecated_since=DEPRECATED_SINCE),
    policy.RuleDefault(
        'admin_api', 'is_admin:True',
        'Old base: administrators only. No default refers to it any more.',
        deprecated_for_removal=True, deprecated_reason=DEPRECATED_REASON,
        deprecated_since=DEPRECATED_SINCE),
    policy.RuleDefault(
        'project_manager_api', 'role:manager and project_id:%(project_id)s',
        'A manager of the project that owns the target.',
        deprecated_rule=_LEGACY_ADMIN),
    policy.RuleDefault(
        'project_member_api', 'role:member and project_id:%(project_id)s',
        'A member of the project that owns the target.',
        deprecated_rule=_LEGACY_OWNER),
    policy.RuleDefault(
        'project_reader_api', 'role:reader and project_id:%(project_id)s',
        'A reader of the project that owns the target.',
        deprecated_rule=_LEGACY_OWNER),
    policy.RuleDefault(
        'project_manager_or_admin',
        'rule:project_manager_api or rule:context_is_admin',
        'A manager of the owning project, or the cloud administrator.',
        deprecated_rule=_LEGACY_ADMIN),
    policy.RuleDefault(
        'project_member_or_admin',
        'rule:project_member_api or rule:context_is_admin',
        'A member of the owning project, or the cloud administrator.',
        deprecated_rule=_LEGACY_OWNER),
    policy.RuleDefault(
        'project_reader_or_admin',
        'rule:project_reader_api or rule:context_is_admin',
        'A reader of the owning project, or the cloud administrator.',
        deprecated_rule=_LEGACY_OWNER),
]
