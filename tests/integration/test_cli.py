"""The ``migrator`` CLI, as its own process, against the distributed
deployment (PostgreSQL, RabbitMQ, services as processes)."""

import json
import os
import subprocess

import pytest

from tests import fixtures
from tests.integration import cluster as cluster_mod
from tests.integration import conftest

pytestmark = [pytest.mark.integration, pytest.mark.timeout(300)]

HOSTS = ('k1', 'k2', 'k3')


@pytest.fixture(scope='module')
def cli(tmp_path_factory):
    with fixtures.postgres_database() as url, conftest.running_cluster(
            tmp_path_factory.mktemp('cli-cluster'), url, hosts=HOSTS) as cluster:
        env = dict(os.environ, MIGRATOR_URL=cluster.url('/v2.1'),
                   MIGRATOR_TOKEN=cluster_mod.ADMIN_TOKEN)
        command = cluster_mod._script('migrator')

        def run(*args, check=True) -> subprocess.CompletedProcess:
            result = subprocess.run(command + list(args), env=env, text=True,
                                    capture_output=True, timeout=120)
            if check:
                assert result.returncode == 0, (args, result.stdout, result.stderr)
            return result

        def show(server) -> dict:
            return json.loads(run('server', 'show', server, '-f', 'json').stdout)

        run.show = show
        run('flavor', 'create', '--id', '1', '--ram', '512', '--vcpus', '1',
            '--disk', '1', 'm1.tiny')
        yield run


def _boot(cli, name, with_id=False):
    server = json.loads(cli('server', 'create', '--flavor', 'm1.tiny', '--wait',
                            name, '-f', 'json').stdout)
    assert server['status'] == 'ACTIVE'
    host = server['OS-EXT-SRV-ATTR:host']
    return (host, server['id']) if with_id else host


def _other(source):
    return next(h for h in HOSTS if h != source)


def test_cli_targeted_migrate_and_confirm(cli):
    source = _boot(cli, 'cli-targeted')
    dest = _other(source)
    cli('migrate', 'cli-targeted', dest, '--wait')
    server = cli.show('cli-targeted')
    assert (server['status'], server['OS-EXT-SRV-ATTR:host']) == ('VERIFY_RESIZE', dest)
    cli('resize-confirm', 'cli-targeted', '--wait')
    server = cli.show('cli-targeted')
    assert (server['status'], server['OS-EXT-SRV-ATTR:host']) == ('ACTIVE', dest)


def test_cli_refused_host_then_forced_and_reverted(cli):
    source, server_id = _boot(cli, 'cli-forced', with_id=True)
    dest = _other(source)
    cli('service', 'disable', dest, '--reason', 'cli maintenance')
    try:
        refused = cli('migrate', 'cli-forced', dest, check=False)
        assert refused.returncode != 0
        assert 'ComputeFilter' in refused.stderr and 'cli maintenance' in refused.stderr
        cli('migrate', 'cli-forced', dest, '--force', '--wait')
    finally:
        cli('service', 'enable', dest)
    assert cli.show('cli-forced')['OS-EXT-SRV-ATTR:host'] == dest
    cli('resize-revert', 'cli-forced', '--wait')
    server = cli.show('cli-forced')
    assert (server['status'], server['OS-EXT-SRV-ATTR:host']) == ('ACTIVE', source)
    migrations = json.loads(cli('migration', 'list', '-f', 'json').stdout)
    assert [(m['Destination'], m['Forced'], m['Status']) for m in migrations
            if m['Server UUID'] == server_id] == [(dest, True, 'reverted')]


def test_cli_untargeted_migrate_and_confirm(cli):
    source, server_id = _boot(cli, 'cli-untargeted', with_id=True)
    cli('migrate', 'cli-untargeted', '--wait')
    dest = cli.show('cli-untargeted')['OS-EXT-SRV-ATTR:host']
    assert dest in HOSTS and dest != source
    cli('resize-confirm', 'cli-untargeted', '--wait')
    migrations = json.loads(cli('migration', 'list', '-f', 'json').stdout)
    mine = [(m['Source'], m['Destination'], m['Status'])
            for m in migrations if m['Server UUID'] == server_id]
    assert mine == [(source, dest, 'confirmed')]
