"""``.. policy-personas::``: who may do what with the default policy.

The table is computed when the documentation is built: every documented
rule registered by migrator is evaluated by oslo.policy, for each persona,
against a resource of one project. It cannot drift from the code.
"""

from docutils import statemachine
from docutils.parsers.rst import Directive
from oslo_config import cfg
from oslo_policy import opts as policy_opts
from oslo_policy import policy as oslo_policy

from migrator import context
from migrator.api import auth, policies, policy

OWNER = 'proj'
# Column title: (project, role); the roles a role implies are added.
PERSONAS = (
    ('admin', (OWNER, 'admin')),
    ('project manager', (OWNER, 'manager')),
    ('project member', (OWNER, 'member')),
    ('project reader', (OWNER, 'reader')),
    ("another project's member", ('other', 'member')),
)
YES, NO = 'yes', 'no'


def _persona(project: str, role: str) -> context.RequestContext:
    roles = auth.expand_roles([role])
    return context.RequestContext(user_id=role, project_id=project, roles=roles,
                                  is_admin='admin' in roles, overwrite=False)


def rows() -> list:
    """(rule, operations, decision per persona) for every documented rule."""
    conf = cfg.ConfigOpts()
    conf([], project='migrator', default_config_files=[])
    policy_opts.set_defaults(conf)
    authorizer = policy.Authorizer(policy.get_enforcer(conf))
    callers = [_persona(*who) for _title, who in PERSONAS]
    found = []
    for rule in policies.list_rules():
        if not isinstance(rule, oslo_policy.DocumentedRuleDefault):
            continue
        operations = ['%s %s' % (op['method'], op['path']) for op in rule.operations]
        decisions = [authorizer.check(ctx, rule.name, {'project_id': OWNER})
                     for ctx in callers]
        found.append((rule.name, operations, decisions))
    return found


class PolicyPersonas(Directive):
    has_content = False

    def run(self):
        lines = ['.. list-table::', '   :header-rows: 1',
                 '   :widths: 34 34 %s' % ' '.join(['8'] * len(PERSONAS)), '',
                 '   * - rule', '     - operations']
        lines += ['     - %s' % title for title, _who in PERSONAS]
        for name, operations, decisions in rows():
            lines.append('   * - ``%s``' % name)
            lines.append('     - * ``%s``' % operations[0])
            lines += ['       * ``%s``' % op for op in operations[1:]]
            lines += ['     - %s' % (YES if allowed else NO) for allowed in decisions]
        lines.append('')
        source = self.state_machine.input_lines.source(
            self.lineno - self.state_machine.input_offset - 1)
        self.state_machine.insert_input(statemachine.StringList(lines, source),
                                        source)
        return []


def setup(app):
    app.add_directive('policy-personas', PolicyPersonas)
    return {'parallel_read_safe': True, 'parallel_write_safe': True}
