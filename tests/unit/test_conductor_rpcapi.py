"""Below 2.56 the conductor is not told anything about force."""

from migrator.api.policies import migrate_server as migrate_policies
from migrator.conductor import rpcapi


class _Client:
    def __init__(self):
        self.calls = []

    def prepare(self, **kwargs):
        return self

    def call(self, context, method, **kwargs):
        self.calls.append((method, kwargs))
        return 'migration-uuid'


def _api():
    api = rpcapi.ConductorAPI.__new__(rpcapi.ConductorAPI)
    api.client = _Client()
    return api


def test_force_key_absent_when_not_given():
    api = _api()
    api.migrate_server(None, 'uuid', {}, None)
    (_method, kwargs), = api.client.calls
    assert 'force' not in kwargs


def test_force_false_is_sent_as_false():
    api = _api()
    api.migrate_server(None, 'uuid', {}, 'compute2', force=False)
    (_method, kwargs), = api.client.calls
    assert kwargs['force'] is False


def test_policy_names_match_the_design():
    assert (migrate_policies.MIGRATE, migrate_policies.MIGRATE_HOST,
            migrate_policies.MIGRATE_FORCE) == (
        'os_compute_api:os-migrate-server:migrate',
        'os_compute_api:os-migrate-server:migrate:host',
        'os_compute_api:os-migrate-server:migrate:force')
