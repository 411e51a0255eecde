"""How the CLI finds and talks to the service: endpoint, token, microversion."""

import json

import pytest

from tests.functional import http_service
from tests.functional.http_service import cli


@pytest.fixture(scope='module')
def api(tmp_path_factory):
    with http_service.running(tmp_path_factory.mktemp('session')) as service:
        yield service


@pytest.fixture
def clean_env(monkeypatch):
    for name in ('MIGRATOR_URL', 'MIGRATOR_TOKEN', 'OS_CLOUD', 'OS_AUTH_URL',
                 'OS_COMPUTE_API_VERSION'):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_endpoint_and_token_from_the_environment(api, capsys, clean_env):
    api.svc.boot(name='mine', token='alice:p1')
    api.svc.boot(name='theirs', token='bob:p2')
    clean_env.setenv('MIGRATOR_URL', api.url)
    clean_env.setenv('MIGRATOR_TOKEN', 'alice:p1')
    result = cli(capsys, None, 'server', 'list', '-f', 'json')
    assert result.code == 0, result.err
    assert [row['Name'] for row in json.loads(result.out)] == ['mine']


def test_token_defaults_to_admin(api, capsys, clean_env):
    result = cli(capsys, api.url, 'hypervisor', 'list', '-f', 'value',
                 '-c', 'Hostname')
    assert result.code == 0, result.err
    assert result.out.split() == ['compute1', 'compute2', 'compute3']


def test_policy_refusal_is_one_line(api, capsys, clean_env):
    result = cli(capsys, api.url, '--os-token', 'alice:p1', 'hypervisor', 'list')
    assert result.code != 0
    assert result.err.startswith('HTTP 403 Forbidden: ')
    assert len(result.err.splitlines()) == 1


def test_negotiates_the_highest_common_microversion(api, capsys, clean_env):
    # 2.23 added migration_type to os-migrations; 2.53 service UUIDs.
    ids = json.loads(cli(capsys, api.url, 'service', 'list', '-f', 'json').out)
    assert all(len(str(row['ID'])) == 36 for row in ids)
    old = cli(capsys, api.url, '--os-compute-api-version', '2.1', 'service',
              'list', '-f', 'json')
    assert old.code == 0, old.err
    assert all(isinstance(row['ID'], int) for row in json.loads(old.out))


def test_microversion_out_of_range(api, capsys, clean_env):
    result = cli(capsys, api.url, '--os-compute-api-version', '2.99',
                 'server', 'list')
    assert result.code != 0
    assert result.err.startswith('HTTP 406 Not Acceptable: Version 2.99 is not '
                                 'supported by the API.')


def test_malformed_microversion(api, capsys, clean_env):
    result = cli(capsys, api.url, '--os-compute-api-version', 'two', 'server', 'list')
    assert result.code != 0
    assert "--os-compute-api-version 'two' is not a compute microversion" in result.err


def test_unversioned_endpoint(api, capsys, clean_env):
    root = api.url.rsplit('/v2.1', 1)[0]
    result = cli(capsys, root, 'flavor', 'show', 'm1.small', '-f', 'value',
                 '-c', 'disk')
    assert result.code == 0, result.err
    assert result.out.strip() == '20'


def test_unreachable_endpoint(capsys, clean_env):
    result = cli(capsys, 'http://127.0.0.1:9/v2.1', 'server', 'list')
    assert result.code != 0
    assert result.err.startswith('Cannot reach the compute API at '
                                 'http://127.0.0.1:9/v2.1')
    assert 'Traceback' not in result.err


def test_unknown_command_exits_2(capsys, clean_env):
    assert cli(capsys, None, 'teleport').code == 2


def test_help_needs_no_service(capsys, clean_env):
    result = cli(capsys, None, 'help', 'migrate')
    assert result.code == 0
    assert '--force' in result.out and '--wait' in result.out


def test_usage_error_exits_2(capsys, clean_env):
    result = cli(capsys, None, 'migrate')
    assert result.code == 2
    assert 'the following arguments are required: server' in result.err
