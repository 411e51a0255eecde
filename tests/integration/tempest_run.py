"""Run tempest's own compute API tests against migrator.

``python -m tests.integration.tempest_run [--workdir DIR] [--concurrency N]
[--list]`` starts a real Keystone and ``migrator-all`` behind it (the
harness of tests/integration/keystone.py, three compute hosts), writes
``tempest.conf`` from ``etc/tempest/tempest.conf.template``, and runs
``tempest run`` over the compute tests of what migrator serves, less the
tests of ``etc/tempest/exclude.txt`` (each line says why). It prints
tempest's summary and exits with tempest's status: any failure fails.
"""

import argparse
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

from tests.integration import allinone
from tests.integration import keystone as keystone_mod

ROOT = pathlib.Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / 'etc' / 'tempest' / 'tempest.conf.template'
EXCLUDE = ROOT / 'etc' / 'tempest' / 'exclude.txt'
HOSTS = ('kc1', 'kc2', 'kc3')

#: The compute API tests of what migrator serves: migrations, hypervisors,
#: services, zones, aggregates, flavors, servers, server groups, server
#: actions, instance actions, versions and limits.
SELECTED = (
    r'^tempest\.api\.compute\.('
    r'admin\.test_(migrations|hypervisor|hypervisor_negative|services|'
    r'services_negative|availability_zone|availability_zone_negative|'
    r'aggregates_negative|flavors|flavors_access|flavors_access_negative|'
    r'flavors_extra_specs|flavors_extra_specs_negative|flavors_microversions|'
    r'create_server|delete_server|servers|servers_negative|'
    r'servers_on_multinodes)'
    r'|servers\.test_(availability_zone|create_server|delete_server|'
    r'instance_actions|instance_actions_negative|list_server_filters|'
    r'list_servers_negative|multiple_create|multiple_create_negative|'
    r'server_actions|server_group|servers|servers_negative)'
    r'|flavors\.|limits\.|test_versions)\b')


def write_conf(cloud, workdir: str) -> str:
    """tempest.conf for ``cloud`` in the tempest workspace ``workdir``."""
    conf = TEMPLATE.read_text().format(
        workdir=workdir, auth_url=cloud.keystone.auth_url,
        admin_password=cloud.keystone.password)
    path = os.path.join(workdir, 'etc', 'tempest.conf')
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w') as out:
        out.write(conf)
    return path


def tempest(workdir: str, *args: str, cwd: str | None = None) -> int:
    """``tempest ARGS`` for the run in ``workdir``."""
    env = allinone.without_os_variables()
    env['TEMPEST_CONFIG_DIR'] = os.path.join(workdir, 'tempest', 'etc')
    # tempest keeps a registry of workspaces in ~/.tempest: the run's own
    # (HOME is its work directory), so runs never collide with each other
    # or with the user's.
    env['HOME'] = workdir
    command = allinone.command('tempest') + list(args)
    return subprocess.call(command, cwd=cwd or workdir, env=env,
                           stdin=subprocess.DEVNULL)


def run(workdir: str, concurrency: int, list_only: bool, only: str | None = None) -> int:
    workspace = os.path.join(workdir, 'tempest')
    if not os.path.exists(os.path.join(workspace, '.stestr.conf')):
        status = tempest(workdir, 'init', workspace)
        if status:
            return status
    cloud_dir = os.path.join(workdir, 'cloud')
    shutil.rmtree(cloud_dir, ignore_errors=True)  # a new Keystone each run
    with keystone_mod.running_cloud(cloud_dir, hosts=HOSTS) as cloud:
        write_conf(cloud, workspace)
        args = ['run', '--regex', SELECTED if only is None else only,
                '--exclude-list', str(EXCLUDE),
                '--concurrency', str(concurrency)]
        if list_only:
            args.append('--list-tests')
        status = tempest(workdir, *args, cwd=workspace)
        if status:
            print(cloud.tails(60), file=sys.stderr)
        return status


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--workdir', help='Where Keystone, migrator-all and the '
                        'tempest workspace live (default: a new temporary '
                        'directory).')
    # Keystone on SQLite locks under concurrent dynamic credentials.
    parser.add_argument('--concurrency', type=int, default=1)
    parser.add_argument('--list', action='store_true',
                        help='Only list the tests that would run.')
    parser.add_argument('--only', metavar='REGEX',
                        help='Run the tests matching REGEX instead of the '
                             'selection (the exclusion list still applies).')
    args = parser.parse_args(argv)
    workdir = args.workdir or tempfile.mkdtemp(prefix='migrator-tempest-')
    os.makedirs(workdir, exist_ok=True)
    return run(os.path.abspath(workdir), args.concurrency, args.list, args.only)


if __name__ == '__main__':
    sys.exit(main())
