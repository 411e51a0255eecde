"""Every registered rule, for six personas, through the enforcer.

The expected decisions are written out below: for the rules Nova has, they
are Nova's defaults (nova/policies/*.py: admin; project manager, member or
reader, or admin; anyone); for migrator's own rules they are the personas
their descriptions justify. Each persona holds the roles Keystone's
implications give it (admin > manager > member > reader). The target is a
resource of project ``proj``; for the rules Nova checks against the
caller's own project (listing, creating), the other-project personas are
thus shown acting inside ``proj``.
"""

import importlib.util
import os
import pathlib
import textwrap
import time
import warnings

import pytest
from oslo_config import cfg
from oslo_config import fixture as config_fixture
from oslo_policy import opts as policy_opts
from oslo_policy import policy as oslo_policy

from migrator import context
from migrator.api import auth, policies, policy
from migrator.api.policies import base, hypervisors, migrations, servers

PERSONAS = {
    # name: (project, role as given; implied roles are added)
    'admin': ('proj', 'admin'),
    'manager': ('proj', 'manager'),
    'member': ('proj', 'member'),
    'reader': ('proj', 'reader'),
    'other-member': ('other', 'member'),
    'other-admin': ('other', 'admin'),
}
TARGET = {'project_id': 'proj'}

# Y: allowed, -: refused. Columns in the order of PERSONAS.
EXPECTED = """
                                                      admin mgr mem rdr omem oadm
context_is_admin                                        Y    -   -   -   -    Y
admin_or_owner                                          Y    Y   Y   Y   -    Y
admin_api                                               Y    -   -   -   -    Y
project_manager_api                                     Y    Y   -   -   -    -
project_member_api                                      Y    Y   Y   -   -    -
project_reader_api                                      Y    Y   Y   Y   -    -
project_manager_or_admin                                Y    Y   -   -   -    Y
project_member_or_admin                                 Y    Y   Y   -   -    Y
project_reader_or_admin                                 Y    Y   Y   Y   -    Y
os_compute_api:servers:index                            Y    Y   Y   Y   -    Y
os_compute_api:servers:detail                           Y    Y   Y   Y   -    Y
os_compute_api:servers:index:get_all_tenants            Y    -   -   -   -    Y
os_compute_api:servers:detail:get_all_tenants           Y    -   -   -   -    Y
os_compute_api:servers:allow_all_filters                Y    -   -   -   -    Y
os_compute_api:servers:show                             Y    Y   Y   Y   -    Y
os_compute_api:servers:show:host_status                 Y    -   -   -   -    Y
os_compute_api:servers:show:host_status:unknown-only    Y    -   -   -   -    Y
os_compute_api:servers:create                           Y    Y   Y   -   -    Y
os_compute_api:servers:delete                           Y    Y   Y   -   -    Y
os_compute_api:servers:update                           Y    Y   Y   -   -    Y
os_compute_api:servers:start                            Y    Y   Y   -   -    Y
os_compute_api:servers:stop                             Y    Y   Y   -   -    Y
os_compute_api:servers:reboot                           Y    Y   Y   -   -    Y
os_compute_api:servers:confirm_resize                   Y    Y   Y   -   -    Y
os_compute_api:servers:revert_resize                    Y    Y   Y   -   -    Y
os_compute_api:os-extended-server-attributes            Y    -   -   -   -    Y
os_compute_api:os-lock-server:lock                      Y    Y   Y   -   -    Y
os_compute_api:os-lock-server:unlock                    Y    Y   Y   -   -    Y
os_compute_api:os-lock-server:unlock:unlock_override    Y    -   -   -   -    Y
os_compute_api:os-admin-actions:reset_state             Y    -   -   -   -    Y
os_compute_api:os-migrate-server:migrate                Y    Y   -   -   -    Y
os_compute_api:os-migrate-server:migrate:host           Y    -   -   -   -    Y
os_compute_api:os-migrate-server:migrate:force          Y    -   -   -   -    Y
os_compute_api:servers:migrations:index                 Y    Y   -   -   -    Y
os_compute_api:servers:migrations:index:host            Y    -   -   -   -    Y
os_compute_api:servers:migrations:show                  Y    -   -   -   -    Y
os_compute_api:servers:migrations:delete                Y    Y   -   -   -    Y
os_compute_api:os-migrations:index                      Y    Y   -   -   -    Y
os_compute_api:os-migrations:index:all_projects         Y    -   -   -   -    Y
os_compute_api:os-migrations:index:host                 Y    -   -   -   -    Y
os_compute_api:os-instance-actions:list                 Y    Y   Y   Y   -    Y
os_compute_api:os-instance-actions:show                 Y    Y   Y   Y   -    Y
os_compute_api:os-instance-actions:events               Y    -   -   -   -    Y
os_compute_api:os-instance-actions:events:details       Y    -   -   -   -    Y
os_compute_api:flavors:index                            Y    Y   Y   Y   Y    Y
os_compute_api:flavors:show                             Y    Y   Y   Y   Y    Y
os_compute_api:os-flavor-manage:create                  Y    -   -   -   -    Y
os_compute_api:os-flavor-manage:update                  Y    -   -   -   -    Y
os_compute_api:os-flavor-manage:delete                  Y    -   -   -   -    Y
os_compute_api:os-flavor-extra-specs:index              Y    Y   Y   Y   -    Y
os_compute_api:os-flavor-extra-specs:show               Y    Y   Y   Y   -    Y
os_compute_api:os-flavor-extra-specs:create             Y    -   -   -   -    Y
os_compute_api:os-flavor-extra-specs:update             Y    -   -   -   -    Y
os_compute_api:os-flavor-extra-specs:delete             Y    -   -   -   -    Y
os_compute_api:os-flavor-access                         Y    -   -   -   -    Y
os_compute_api:os-flavor-access:add_tenant_access       Y    -   -   -   -    Y
os_compute_api:os-flavor-access:remove_tenant_access    Y    -   -   -   -    Y
os_compute_api:os-hypervisors:list                      Y    -   -   -   -    Y
os_compute_api:os-hypervisors:list-detail               Y    -   -   -   -    Y
os_compute_api:os-hypervisors:statistics                Y    -   -   -   -    Y
os_compute_api:os-hypervisors:show                      Y    -   -   -   -    Y
os_compute_api:os-hypervisors:uptime                    Y    -   -   -   -    Y
os_compute_api:os-hypervisors:search                    Y    -   -   -   -    Y
os_compute_api:os-hypervisors:servers                   Y    -   -   -   -    Y
os_compute_api:os-services:list                         Y    -   -   -   -    Y
os_compute_api:os-services:update                       Y    -   -   -   -    Y
os_compute_api:os-services:delete                       Y    -   -   -   -    Y
os_compute_api:os-aggregates:index                      Y    -   -   -   -    Y
os_compute_api:os-aggregates:create                     Y    -   -   -   -    Y
os_compute_api:os-aggregates:show                       Y    -   -   -   -    Y
os_compute_api:os-aggregates:update                     Y    -   -   -   -    Y
os_compute_api:os-aggregates:delete                     Y    -   -   -   -    Y
os_compute_api:os-aggregates:add_host                   Y    -   -   -   -    Y
os_compute_api:os-aggregates:remove_host                Y    -   -   -   -    Y
os_compute_api:os-aggregates:set_metadata               Y    -   -   -   -    Y
os_compute_api:os-availability-zone:list                Y    Y   Y   Y   Y    Y
os_compute_api:os-availability-zone:detail              Y    -   -   -   -    Y
os_compute_api:os-server-groups:index                   Y    Y   Y   Y   -    Y
os_compute_api:os-server-groups:index:all_projects      Y    -   -   -   -    Y
os_compute_api:os-server-groups:create                  Y    Y   Y   -   -    Y
os_compute_api:os-server-groups:show                    Y    Y   Y   Y   -    Y
os_compute_api:os-server-groups:delete                  Y    Y   Y   -   -    Y
os_compute_api:limits                                   Y    Y   Y   Y   Y    Y
os_compute_api:limits:other_project                     Y    -   -   -   -    Y
migrator:capacity:index                                 Y    -   -   -   -    Y
migrator:capacity:show                                  Y    -   -   -   -    Y
migrator:migrations:index                               Y    Y   -   -   -    Y
migrator:migrations:index:all_projects                  Y    -   -   -   -    Y
migrator:migrations:index:host                          Y    -   -   -   -    Y
migrator:migrations:show                                Y    Y   -   -   -    Y
migrator:migrations:show:host                           Y    -   -   -   -    Y
migrator:migration-checks:create                        Y    -   -   -   -    Y
migrator:drains:index                                   Y    -   -   -   -    Y
migrator:drains:create                                  Y    -   -   -   -    Y
migrator:drains:show                                    Y    -   -   -   -    Y
migrator:drains:delete                                  Y    -   -   -   -    Y
"""


def _table() -> dict:
    lines = [line.split() for line in EXPECTED.strip().splitlines()[1:]]
    return {name: dict(zip(PERSONAS, (cell == 'Y' for cell in cells), strict=True))
            for name, *cells in lines}


TABLE = _table()


def persona(name: str) -> context.RequestContext:
    project, role = PERSONAS[name]
    roles = auth.expand_roles([role])
    return context.RequestContext(user_id='u-' + name, project_id=project,
                                  roles=roles, is_admin='admin' in roles,
                                  overwrite=False)


@pytest.fixture
def conf():
    fixture = config_fixture.Config(cfg.ConfigOpts())
    fixture.setUp()
    fixture.conf([], project='migrator', default_config_files=[])
    policy_opts.set_defaults(fixture.conf)  # registers [oslo_policy]
    yield fixture.conf
    fixture.cleanUp()


@pytest.fixture
def enforcer(conf):
    enforcer = policy.get_enforcer(conf)
    enforcer.load_rules()
    return enforcer


def policy_file(conf, tmp_path, text: str):
    path = tmp_path / 'policy.yaml'
    path.write_text(textwrap.dedent(text))
    conf.set_override('policy_file', str(path), group='oslo_policy')


def allowed(enforcer, rule: str, who: str, target=TARGET) -> bool:
    return policy.Authorizer(enforcer).check(persona(who), rule, dict(target))


def test_the_table_names_every_registered_rule_once():
    names = [r.name for r in policies.list_rules()]
    assert len(names) == len(set(names))
    assert list(TABLE) == names


@pytest.mark.parametrize('rule', list(TABLE))
def test_default(rule, enforcer):
    decisions = {who: allowed(enforcer, rule, who) for who in PERSONAS}
    assert decisions == TABLE[rule]


def test_every_api_rule_is_documented_and_project_scoped():
    base_names = {r.name for r in base.rules}
    for rule in policies.list_rules():
        if rule.name in base_names:
            continue
        assert isinstance(rule, oslo_policy.DocumentedRuleDefault), rule.name
        assert rule.scope_types == ['project'], rule.name
        assert rule.description.strip(), rule.name


def test_every_changed_default_keeps_its_old_one_as_deprecated(enforcer):
    """Each rule whose default changed names its old name and default, so
    enforce_new_defaults = False or an old policy file still apply."""
    old = {'rule:admin_api', 'rule:admin_or_owner', '@'}
    for rule in policies.list_rules():
        deprecated = rule.deprecated_rule
        if deprecated is None:
            continue
        assert deprecated.check_str in old | {'is_admin:True',
                                               'is_admin:True or project_id:%(project_id)s'}
        assert deprecated.deprecated_since == base.DEPRECATED_SINCE
        assert deprecated.deprecated_reason


def test_enforce_new_defaults_is_on_as_in_nova(conf):
    assert conf.oslo_policy.enforce_new_defaults is True


def test_a_system_scoped_token_is_refused(enforcer):
    """Every rule is project-scoped: an admin with a system-scoped token is
    refused, as Nova refuses it."""
    ctx = context.RequestContext(user_id='cloud', roles=['admin', 'manager', 'member',
                                                         'reader'],
                                 system_scope='all', is_admin=True, overwrite=False)
    authorizer = policy.Authorizer(enforcer)
    assert not authorizer.check(ctx, hypervisors.LIST)
    assert not authorizer.check(ctx, servers.INDEX)


def test_decisions_are_kept_per_credentials_oslo_policy_is_handed(enforcer):
    """One authorizer keeps its decisions; two callers that differ only in
    a credential oslo.context hands oslo.policy (the token's scope, a
    service token's roles) are decided each on their own."""
    authorizer = policy.Authorizer(enforcer)
    roles = ['admin', 'manager', 'member', 'reader']
    project = context.RequestContext(user_id='cloud', project_id='infra',
                                     roles=roles, is_admin=True, overwrite=False)
    system = context.RequestContext(user_id='cloud', project_id='infra',
                                    roles=roles, system_scope='all', is_admin=True,
                                    overwrite=False)
    for _ in range(2):  # the second time from the kept decisions
        assert authorizer.check(project, hypervisors.LIST)
        assert not authorizer.check(system, hypervisors.LIST)


def test_old_defaults_still_apply_when_new_defaults_are_not_enforced(conf):
    """[oslo_policy] enforce_new_defaults = False: each rule also accepts
    its deprecated default, so a reader may create again, as before."""
    conf.set_override('enforce_new_defaults', False, group='oslo_policy')
    enforcer = policy.get_enforcer(conf)
    with warnings.catch_warnings():
        warnings.simplefilter('error')  # the default changes are not warned of
        enforcer.load_rules()
    assert allowed(enforcer, servers.CREATE, 'reader')
    assert not allowed(enforcer, servers.CREATE, 'other-member')
    assert allowed(enforcer, migrations.INDEX, 'admin')
    assert not allowed(enforcer, migrations.INDEX, 'reader')


# oslo.policy warns again each time it reloads: once is what is tested.
@pytest.mark.filterwarnings('ignore:Policy:UserWarning')
def test_an_old_policy_file_still_enforces_what_it_says(conf, tmp_path):
    """A policy file written for the admin_or_owner defaults: a rule set to
    the old base, the old single hypervisors rule opened to an operator
    role, and the old base itself narrowed to members. Each still decides
    what it decided, and oslo.policy warns of the deprecated names."""
    policy_file(conf, tmp_path, '''
        "admin_or_owner": "is_admin:True or (role:member and project_id:%(project_id)s)"
        "os_compute_api:servers:create": "rule:admin_or_owner or role:reader"
        "os_compute_api:os-hypervisors": "rule:admin_api or role:ops"
    ''')
    enforcer = policy.get_enforcer(conf)
    with pytest.warns(UserWarning) as caught:
        enforcer.load_rules()
    messages = [str(w.message) for w in caught]
    assert any('"os_compute_api:os-hypervisors"' in m and hypervisors.LIST in m
               for m in messages), messages
    assert any('"admin_or_owner"' in m and 'deprecated for removal' in m
               for m in messages), messages

    assert allowed(enforcer, servers.CREATE, 'reader')
    ops = context.RequestContext(user_id='ops', project_id='infra', roles=['ops'],
                                 overwrite=False)
    authorizer = policy.Authorizer(enforcer)
    for rule in (hypervisors.LIST, hypervisors.LIST_DETAIL, hypervisors.STATISTICS,
                 hypervisors.SHOW):
        assert authorizer.check(ops, rule), rule
        assert not allowed(enforcer, rule, 'member'), rule
        assert allowed(enforcer, rule, 'admin'), rule
    # The narrowed old base still stands for the project personas.
    assert not allowed(enforcer, servers.SHOW, 'reader')
    assert allowed(enforcer, servers.SHOW, 'member')
    assert allowed(enforcer, servers.SHOW, 'other-admin')


@pytest.mark.filterwarnings('ignore:Policy:UserWarning')
def test_an_old_override_of_the_migrations_list_decides_its_split_rules(conf,
                                                                       tmp_path):
    policy_file(conf, tmp_path, '''
        "os_compute_api:os-migrations:index": "role:ops or rule:admin_api"
    ''')
    enforcer = policy.get_enforcer(conf)
    with pytest.warns(UserWarning):
        enforcer.load_rules()
    ops = context.RequestContext(user_id='ops', project_id='infra', roles=['ops'],
                                 overwrite=False)
    authorizer = policy.Authorizer(enforcer)
    for rule in (migrations.INDEX, migrations.INDEX_ALL_PROJECTS, migrations.INDEX_HOST):
        assert authorizer.check(ops, rule), rule
        assert not allowed(enforcer, rule, 'manager'), rule


def test_the_documented_persona_table_agrees():
    """The admin guide's table (doc/source/_ext) is computed from the rules;
    it must show what this file expects for the same personas."""
    pytest.importorskip('docutils', reason='the docs extras are not installed')
    path = pathlib.Path(__file__).parents[2] / 'doc' / 'source' / '_ext' / \
        'policy_personas.py'
    spec = importlib.util.spec_from_file_location('policy_personas', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    columns = ['admin', 'manager', 'member', 'reader', 'other-member']
    shown = {name: dict(zip(columns, decisions, strict=True))
             for name, _operations, decisions in module.rows()}
    base_names = {r.name for r in base.rules}
    assert shown == {name: {who: TABLE[name][who] for who in columns}
                     for name in TABLE if name not in base_names}


def test_an_edited_policy_file_takes_effect_within_a_second(conf, tmp_path):
    """Decisions are remembered, and the file is looked at once a second at
    most: an edit applies to the next check after that, without a restart,
    and a remembered decision is for one caller and one target only."""
    rule = '"os_compute_api:servers:create": "role:%s and project_id:%%(project_id)s"\n'
    policy_file(conf, tmp_path, rule % 'reader')
    enforcer = policy.get_enforcer(conf)
    authorizer = policy.Authorizer(enforcer)
    reader, admin = persona('reader'), persona('admin')
    assert authorizer.check(reader, servers.CREATE, dict(TARGET))
    assert authorizer.check(admin, servers.CREATE, dict(TARGET))
    assert not authorizer.check(reader, servers.CREATE, {'project_id': 'elsewhere'})
    path = tmp_path / 'policy.yaml'
    path.write_text(rule % 'admin')
    os.utime(path, (time.time() + 5, time.time() + 5))  # a visibly newer file
    time.sleep(policy.Enforcer.RECHECK_SECONDS + 0.1)
    assert not authorizer.check(reader, servers.CREATE, dict(TARGET))
    assert authorizer.check(admin, servers.CREATE, dict(TARGET))
