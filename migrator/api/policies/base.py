from oslo_policy import policy

ADMIN = 'rule:admin_api'
ADMIN_OR_OWNER = 'rule:admin_or_owner'
ANY = '@'

rules = [
    policy.RuleDefault('context_is_admin', 'role:admin',
                       'Decides what an administrator is.'),
    policy.RuleDefault('admin_or_owner',
                       'is_admin:True or project_id:%(project_id)s',
                       'An administrator, or a member of the owning project.'),
    policy.RuleDefault('admin_api', 'is_admin:True',
                       'Administrators only.'),
]


def rule(name: str, check: str, description: str, method: str, path: str):
    return policy.DocumentedRuleDefault(
        name, check, description, [{'method': method, 'path': path}])
