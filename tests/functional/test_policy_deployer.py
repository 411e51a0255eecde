"""What a deployer's policy file changes: who may migrate, name a host or
force one (three separate rules), and readers made read-only."""

import dataclasses
import itertools

import pytest

from migrator.api import policy as api_policy
from tests import fixtures
from tests.functional import hostile
from tests.functional.policy_world import (
    ACTION,
    ACTIVE,
    ADMIN,
    CALLS,
    READER,
    Call,
    Clients,
    World,
    assert_no_admin_details,
    keystone_app,
    keystone_tokens,
    send,
)


@pytest.fixture(scope='module')
def service(tmp_path_factory):
    svc = fixtures.Service(tmp_path_factory.mktemp('policy'))
    yield svc
    svc.stop()


@pytest.fixture(scope='module')
def tokens():
    fixture = keystone_tokens()
    yield fixture
    fixture.cleanUp()


@pytest.fixture(scope='module')
def world(service):
    return World(service)


_MIGRATE = 'os_compute_api:os-migrate-server:%s'
_PROJECT_MANAGER = 'is_admin:True or (role:manager and project_id:%(project_id)s)'
_PROJECT_MEMBER = 'is_admin:True or (role:member and project_id:%(project_id)s)'


def policy_clients(service, tmp_path, rules: dict, personas) -> Clients:
    """A Keystone app enforcing ``rules`` from a deployer's policy file."""
    policy_file = tmp_path / ('policy-%d.yaml' % len(list(tmp_path.iterdir())))
    policy_file.write_text(''.join('"%s": "%s"\n' % item for item in rules.items()))
    service.conf.set_override('policy_file', str(policy_file), group='oslo_policy')
    try:
        enforcer = api_policy.get_enforcer(service.conf)
        enforcer.load_rules()
    finally:
        service.conf.clear_override('policy_file', group='oslo_policy')
    return Clients(service, keystone_app(service, enforcer),
                   {p: 'tok-' + p for p in personas})


_CONFIGS = {
    'default': {},
    'untargeted for project managers': {_MIGRATE % 'migrate': _PROJECT_MANAGER},
    'targeted too, force for cloud admins': {
        _MIGRATE % 'migrate': _PROJECT_MANAGER,
        _MIGRATE % 'migrate:host': _PROJECT_MANAGER},
    'force without host': {_MIGRATE % 'migrate': _PROJECT_MANAGER,
                           _MIGRATE % 'migrate:force': _PROJECT_MANAGER},
}


def _migrate_refusal(config: str, persona: str, kind: str) -> str | None:
    """The rule that refuses a migrate of ``kind``, or None if it is allowed."""
    if persona == 'cloud-admin':
        return None
    rules = _CONFIGS[config]
    needed = {'untargeted': ['migrate'], 'host': ['migrate', 'migrate:host'],
              'forced': ['migrate', 'migrate:host', 'migrate:force']}[kind]
    for rule in needed:  # the order the API checks them in
        if persona != 'manager' or _MIGRATE % rule not in rules:
            return _MIGRATE % rule
    return None


@pytest.mark.parametrize('config', sorted(_CONFIGS))
def test_migrate_host_and_force_are_separate_rules(config, service, world, tokens,
                                                   tmp_path):
    """A deployer can let project managers migrate (untargeted, or targeted
    too) while forcing stays with cloud admins; each refusal names its rule."""
    personas = ['cloud-admin', 'manager', 'keystone-member', 'other-manager']
    clients = policy_clients(service, tmp_path, _CONFIGS[config], personas)
    bodies = {'untargeted': {'migrate': None},
              'host': {'migrate': {'host': '<other>'}},
              'forced': {'migrate': {'host': '<other>', 'force': True}}}
    for persona, kind in itertools.product(personas, sorted(bodies)):
        rule = _migrate_refusal(config, persona, kind)
        status = 404 if persona == 'other-manager' else 403 if rule else 202
        call = Call('POST', ACTION, {persona: status}, bodies[kind], ACTIVE,
                    'migrate')
        before = None if status == 202 else hostile.snapshot(service.db)
        resp = send(call, persona, world, clients)
        assert resp.status_int == status, (config, persona, kind, resp.text)
        if status == 403:
            assert resp.json['forbidden']['message'] == (
                'Policy does not allow %s to be performed.' % rule)
        if before is not None:
            hostile.assert_unchanged(before, hostile.snapshot(service.db), kind)
        else:
            hostile.settle(service, quiet=True)
        assert_no_admin_details(resp, persona, (config, kind))


_WRITES = ('os_compute_api:servers:create', 'os_compute_api:servers:delete',
           'os_compute_api:servers:start', 'os_compute_api:servers:stop',
           'os_compute_api:servers:confirm_resize',
           'os_compute_api:servers:revert_resize',
           'os_compute_api:os-lock-server:lock', 'os_compute_api:os-lock-server:unlock',
           'os_compute_api:os-server-groups:create',
           'os_compute_api:os-server-groups:delete')


def test_deployer_can_make_readers_read_only(service, world, tokens, tmp_path):
    """Owner rules check the project, not the role; a policy file that asks
    for the member role on writes leaves readers every read and no write."""
    clients = policy_clients(service, tmp_path, dict.fromkeys(_WRITES, _PROJECT_MEMBER),
                             [READER, 'keystone-member'])
    writes = 0
    for call in CALLS:
        default = call.expect[READER]
        owner_write = call.method != 'GET' and 200 <= default < 300 and \
            call.expect[ADMIN] == default
        expected = 403 if owner_write else default
        for persona, status in ((READER, expected), ('keystone-member', default)):
            if persona == 'keystone-member' and not owner_write:
                continue
            before = None if status < 300 else hostile.snapshot(service.db)
            resp = send(dataclasses.replace(call, expect={persona: status}), persona,
                        world, clients)
            assert resp.status_int == status, (persona, call.path, call.action,
                                               resp.text[:300])
            if before is not None:
                hostile.assert_unchanged(before, hostile.snapshot(service.db),
                                         (persona, call.path))
            else:
                hostile.settle(service, quiet=True)
            assert_no_admin_details(resp, persona, call.path)
        writes += owner_write
    assert writes == len(_WRITES)
