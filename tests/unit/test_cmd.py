"""Console scripts: command line parsing, gunicorn settings, systemd units."""

import configparser
import importlib.metadata
import pathlib
import shlex

import pytest
import sqlalchemy as sa
import webtest
from oslo_config import fixture as config_fixture

from migrator import conf as migrator_conf
from migrator.api import wsgi
from migrator.cmd import all as all_cmd
from migrator.cmd import api, common, service_runner
from migrator.db import migration


@pytest.fixture
def conf(monkeypatch):
    fixture = config_fixture.Config(migrator_conf.CONF)
    fixture.setUp()
    monkeypatch.setattr(common, '_configured', False)
    yield fixture.conf
    fixture.cleanUp()


@pytest.mark.parametrize('order', ['host-first', 'host-last', 'equals'])
def test_host_on_the_command_line_wins_over_the_file(conf, tmp_path, order):
    config_file = tmp_path / 'migrator.conf'
    config_file.write_text('[DEFAULT]\nhost = from-file\n[compute]\nvcpus = 3\n')
    files = ['--config-file', str(config_file)]
    argv = {'host-first': ['--host', 'c9'] + files,
            'host-last': files + ['--host', 'c9'],
            'equals': ['--host=c9'] + files}[order]
    parsed = service_runner.parse(argv)
    assert parsed.host == 'c9'
    assert parsed.compute.vcpus == 3


def test_host_from_the_file_without_the_option(conf, tmp_path):
    config_file = tmp_path / 'migrator.conf'
    config_file.write_text('[DEFAULT]\nhost = from-file\n')
    parsed = service_runner.parse(['--config-file', str(config_file)])
    assert parsed.host == 'from-file'


def test_gunicorn_options_follow_the_api_group(conf):
    conf([], project='migrator', default_config_files=[])
    conf.set_override('workers', 3, group='api')
    conf.set_override('port', 18774, group='api')
    options = api.gunicorn_options(conf)
    assert options['workers'] == 3
    assert options['bind'] == '127.0.0.1:18774'
    # Each API on a machine must not take over another's control socket.
    assert options['control_socket_disable'] is True


UNITS = pathlib.Path(__file__).parents[2] / 'etc' / 'systemd'


@pytest.mark.parametrize('unit', sorted(p.name for p in UNITS.glob('*.service')))
def test_systemd_unit_starts_a_console_script_with_known_options(unit, conf,
                                                                 tmp_path):
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.read(UNITS / unit)
    command = shlex.split(parser['Service']['ExecStart'].replace('%i', 'c1'))
    scripts = {ep.name: ep for ep in importlib.metadata.entry_points(
        group='console_scripts')}
    script = scripts[pathlib.Path(command[0]).name]
    assert script.value.startswith('migrator.cmd.')
    # The options parse, with the configuration files the unit names.
    argv = []
    for arg in command[1:]:
        if arg.startswith('/etc/migrator/'):
            arg = str(tmp_path / pathlib.Path(arg).name)
            pathlib.Path(arg).write_text('[DEFAULT]\n')
        argv.append(arg)
    parsed = (service_runner.parse(argv) if '--host' in argv
              else common.setup(argv))
    assert parsed.config_file == [a for a in argv if a.startswith(str(tmp_path))]
    if '--host' in argv:
        assert parsed.host == 'c1'


def test_wsgi_entry_point_reads_migrator_config_files(conf, tmp_path, monkeypatch):
    """``gunicorn migrator.api.wsgi:application`` builds the app once, from
    the files MIGRATOR_CONFIG_FILES names."""
    db_url = 'sqlite:///%s' % (tmp_path / 'api.sqlite')
    migration.db_sync(sa.create_engine(db_url))
    config_file = tmp_path / 'api.conf'
    config_file.write_text('[DEFAULT]\ntransport_url = inproc://wsgi-%s/\n'
                           '[database]\nconnection = %s\n' % (tmp_path.name, db_url))
    monkeypatch.setenv('MIGRATOR_CONFIG_FILES', str(config_file))
    monkeypatch.setattr(wsgi, '_application', None)
    app = webtest.TestApp(wsgi.application)
    assert app.get('/v2.1/').json['version']['id'] == 'v2.1'
    built = wsgi._application
    resp = app.get('/v2.1/flavors', headers={'X-Auth-Token': 'admin:admin'})
    assert resp.json == {'flavors': []}
    assert wsgi._application is built
    assert conf.database.connection == db_url
    built.db.dispose()


def test_migrator_all_hint_fits_the_auth_strategy(conf):
    """The noauth2 export line only where a noauth2 token works."""
    conf([], project='migrator', default_config_files=[])
    url = 'http://127.0.0.1:8774/v2.1'
    noauth2 = '\n'.join(all_cmd.client_hint(conf, url))
    assert 'export MIGRATOR_URL=%s MIGRATOR_TOKEN=admin:admin' % url in noauth2
    assert 'user:project[:role]' in noauth2
    conf.set_override('auth_strategy', 'keystone', group='api')
    keystone = '\n'.join(all_cmd.client_hint(conf, url))
    assert 'MIGRATOR_TOKEN' not in keystone
    assert 'Keystone token' in keystone and 'OS_CLOUD' in keystone
