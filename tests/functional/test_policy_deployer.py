"""What a deployer's policy file changes: who may migrate, name a host or
force one (three separate rules), and a policy file written for the old
admin_or_owner defaults, which still means what it says."""

import dataclasses
import itertools

import pytest

from migrator.api import policy as api_policy
from migrator.api.policies import migrate_server
from tests.functional import hostile
from tests.functional.policy_world import (
    ACTION,
    ACTIVE,
    ADMIN,
    CALLS,
    MANAGER,
    MEMBER,
    OTHER,
    READER,
    Call,
    Clients,
    app_with,
    assert_no_admin_details,
    send,
)

_PROJECT_MANAGER = 'rule:project_manager_or_admin'
_PROJECT_MEMBER = 'rule:project_member_or_admin'


@pytest.fixture
def policy_clients(policy_service, tmp_path):
    """Clients of an app enforcing ``rules`` from a deployer's policy file."""
    def build(rules: dict) -> Clients:
        policy_file = tmp_path / ('policy-%d.yaml' % len(list(tmp_path.iterdir())))
        policy_file.write_text(''.join('"%s": "%s"\n' % item for item in rules.items()))
        policy_service.conf.set_override('policy_file', str(policy_file), group='oslo_policy')
        try:
            enforcer = api_policy.get_enforcer(policy_service.conf)
            enforcer.load_rules()
        finally:
            policy_service.conf.clear_override('policy_file', group='oslo_policy')
        return Clients(app_with(policy_service, enforcer))
    return build


_CONFIGS = {
    'default': {},
    'members migrate untargeted': {migrate_server.MIGRATE: _PROJECT_MEMBER},
    'managers name hosts too, force for admins': {
        migrate_server.MIGRATE_HOST: _PROJECT_MANAGER},
    'managers force, but may not name hosts': {
        migrate_server.MIGRATE_FORCE: _PROJECT_MANAGER},
}
# Who each config lets pass each rule, beyond administrators (the defaults:
# the project manager may migrate, only administrators name or force a host).
_PASSES = {
    'default': {migrate_server.MIGRATE: {MANAGER}},
    'members migrate untargeted': {migrate_server.MIGRATE: {MANAGER, MEMBER}},
    'managers name hosts too, force for admins': {
        migrate_server.MIGRATE: {MANAGER}, migrate_server.MIGRATE_HOST: {MANAGER}},
    'managers force, but may not name hosts': {
        migrate_server.MIGRATE: {MANAGER}, migrate_server.MIGRATE_FORCE: {MANAGER}},
}


def _migrate_refusal(config: str, persona: str, kind: str) -> str | None:
    """The rule that refuses a migrate of ``kind``, or None if it is allowed."""
    if persona == ADMIN:
        return None
    needed = {'untargeted': [migrate_server.MIGRATE],
              'host': [migrate_server.MIGRATE, migrate_server.MIGRATE_HOST],
              'forced': [migrate_server.MIGRATE, migrate_server.MIGRATE_HOST,
                         migrate_server.MIGRATE_FORCE]}[kind]
    for rule in needed:  # the order the API checks them in
        if persona not in _PASSES[config].get(rule, ()):
            return rule
    return None


@pytest.mark.parametrize('config', sorted(_CONFIGS))
def test_migrate_host_and_force_are_separate_rules(config, policy_service, world,
                                                   policy_clients):
    """A deployer can open migrating, naming a host or forcing separately;
    a move needs every rule up to its own, and each refusal names its rule."""
    clients = policy_clients(_CONFIGS[config])
    bodies = {'untargeted': {'migrate': None},
              'host': {'migrate': {'host': '<other>'}},
              'forced': {'migrate': {'host': '<other>', 'force': True}}}
    for persona, kind in itertools.product([ADMIN, MANAGER, MEMBER, READER, OTHER],
                                           sorted(bodies)):
        rule = _migrate_refusal(config, persona, kind)
        status = 404 if persona == OTHER else 403 if rule else 202
        call = Call('POST', ACTION, {persona: status}, bodies[kind], ACTIVE,
                    'migrate')
        before = None if status == 202 else hostile.snapshot(policy_service.db)
        resp = send(call, persona, world, clients)
        assert resp.status_int == status, (config, persona, kind, resp.text)
        if status == 403:
            assert resp.json['forbidden']['message'] == (
                'Policy does not allow %s to be performed.' % rule)
        if before is not None:
            hostile.assert_unchanged(before, hostile.snapshot(policy_service.db), kind)
        else:
            hostile.settle(policy_service, quiet=True)
        assert_no_admin_details(resp, persona, (config, kind))


# What migrator's defaults were before the personas: any role of the owning
# project could do what its members do.
_OLD_WRITES = {
    'os_compute_api:servers:create': 'rule:admin_or_owner',
    'os_compute_api:servers:delete': 'rule:admin_or_owner',
    'os_compute_api:servers:start': 'rule:admin_or_owner',
    'os_compute_api:servers:stop': 'rule:admin_or_owner',
    'os_compute_api:servers:confirm_resize': 'rule:admin_or_owner',
    'os_compute_api:servers:revert_resize': 'rule:admin_or_owner',
    'os_compute_api:servers:reboot': 'rule:admin_or_owner',
    'os_compute_api:os-lock-server:lock': 'rule:admin_or_owner',
    'os_compute_api:os-lock-server:unlock': 'rule:admin_or_owner',
    'os_compute_api:os-server-groups:create': 'rule:admin_or_owner',
    'os_compute_api:os-server-groups:delete': 'rule:admin_or_owner',
}


@pytest.mark.filterwarnings('ignore:Policy:UserWarning')
def test_an_old_policy_file_still_lets_readers_write(policy_service, world, policy_clients):
    """A policy file that sets the writes to the old admin_or_owner base
    (as one generated before the personas would) keeps meaning it: the
    reader may write again, and every other decision stays the default."""
    clients = policy_clients(_OLD_WRITES)
    writes = 0
    for call in CALLS:
        default = call.expect[READER]
        reader_write = call.expect[MEMBER] < 300 and default == 403
        expected = call.expect[MEMBER] if reader_write else default
        before = None if expected < 300 else hostile.snapshot(policy_service.db)
        resp = send(dataclasses.replace(call, expect={READER: expected}), READER,
                    world, clients)
        assert resp.status_int == expected, (call.path, call.action, resp.text[:300])
        if before is not None:
            hostile.assert_unchanged(before, hostile.snapshot(policy_service.db), call.path)
        else:
            hostile.settle(policy_service, quiet=True)
        assert_no_admin_details(resp, READER, call.path)
        writes += reader_write
    assert writes == len(_OLD_WRITES)
