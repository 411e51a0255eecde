"""`migrator`: the operator's command line for the migrator compute API.

Built on cliff (the framework under python-openstackclient) and a
keystoneauth1 session. Every command is in the COMMANDS table below.
"""

import argparse
import logging
import os
import sys

from cliff import app, commandmanager

from migrator.client import http
from migrator.client.commands import (
    aggregates,
    availability_zones,
    drains,
    flavors,
    hypervisors,
    instance_actions,
    migrate,
    migrations,
    server_groups,
    servers,
    services,
)

VERSION = '0.1.0'

#: Every command, by the words an operator types (grep here to find one).
COMMANDS = [
    ('migrate', migrate.Migrate),
    ('resize-confirm', migrate.ResizeConfirm),
    ('resize-revert', migrate.ResizeRevert),
    ('server list', servers.ServerList),
    ('server show', servers.ServerShow),
    ('server create', servers.ServerCreate),
    ('server delete', servers.ServerDelete),
    ('server stop', servers.ServerStop),
    ('server start', servers.ServerStart),
    ('flavor list', flavors.FlavorList),
    ('flavor show', flavors.FlavorShow),
    ('flavor create', flavors.FlavorCreate),
    ('flavor delete', flavors.FlavorDelete),
    ('hypervisor list', hypervisors.HypervisorList),
    ('hypervisor show', hypervisors.HypervisorShow),
    ('service list', services.ServiceList),
    ('service disable', services.ServiceDisable),
    ('service enable', services.ServiceEnable),
    ('aggregate list', aggregates.AggregateList),
    ('aggregate show', aggregates.AggregateShow),
    ('aggregate create', aggregates.AggregateCreate),
    ('aggregate delete', aggregates.AggregateDelete),
    ('aggregate add-host', aggregates.AggregateAddHost),
    ('aggregate remove-host', aggregates.AggregateRemoveHost),
    ('aggregate set', aggregates.AggregateSet),
    ('availability-zone list', availability_zones.AvailabilityZoneList),
    ('server-group create', server_groups.ServerGroupCreate),
    ('server-group list', server_groups.ServerGroupList),
    ('server-group delete', server_groups.ServerGroupDelete),
    ('migration list', migrations.MigrationList),
    ('migration abort', migrations.MigrationAbort),
    ('host drain', drains.HostDrain),
    ('drain list', drains.DrainList),
    ('drain show', drains.DrainShow),
    ('drain cancel', drains.DrainCancel),
    ('instance-action list', instance_actions.InstanceActionList),
    ('instance-action show', instance_actions.InstanceActionShow),
]

#: Keystone options: flag, environment variable, help.
KEYSTONE_OPTIONS = [
    ('--os-auth-url', 'OS_AUTH_URL', 'Keystone URL.'),
    ('--os-username', 'OS_USERNAME', 'Keystone user name.'),
    ('--os-password', 'OS_PASSWORD', 'Keystone password.'),
    ('--os-project-name', 'OS_PROJECT_NAME', 'Project to scope to.'),
    ('--os-project-id', 'OS_PROJECT_ID', 'Project ID to scope to.'),
    ('--os-user-domain-name', 'OS_USER_DOMAIN_NAME', 'Domain of the user.'),
    ('--os-project-domain-name', 'OS_PROJECT_DOMAIN_NAME', 'Domain of the project.'),
    ('--os-region-name', 'OS_REGION_NAME', 'Region of the compute endpoint.'),
    ('--os-interface', 'OS_INTERFACE', 'Catalog interface (public, internal, admin).'),
]

#: Loggers whose records the CLI shows (its own errors, HTTP with --debug).
_LOGGERS = ('migrator.client', 'keystoneauth', 'cliff')


class MigratorApp(app.App):
    NAME = 'migrator'
    LOG = logging.getLogger('migrator.client')

    def __init__(self, stdout=None, stderr=None):
        # No entry-point scan: the table above is the whole CLI.
        manager = commandmanager.CommandManager(None)
        for name, command_class in COMMANDS:
            manager.add_command(name, command_class)
        super().__init__(description='The operator\'s command line for the '
                                     'migrator compute API.',
                         version=VERSION, command_manager=manager,
                         deferred_help=True, stdout=stdout, stderr=stderr)
        self._client = None
        self._handlers = []
        self._levels = {}

    def build_option_parser(self, description, version, argparse_kwargs=None):
        parser = super().build_option_parser(description, version, argparse_kwargs)
        parser.epilog = ('Against migrator-all (noauth2): export MIGRATOR_URL and '
                         'MIGRATOR_TOKEN as it prints. Against Keystone: '
                         '--os-cloud or the OS_* variables.')
        group = parser.add_argument_group('noauth2 (development, migrator-all)')
        group.add_argument('--os-endpoint', metavar='URL',
                           help='Compute API endpoint, e.g. '
                                'http://127.0.0.1:8774/v2.1 (env MIGRATOR_URL). '
                                'Wins over Keystone settings.')
        group.add_argument('--os-token', metavar='USER:PROJECT[:ROLE]',
                           default=os.environ.get('MIGRATOR_TOKEN', 'admin:admin'),
                           help='noauth2 token (env MIGRATOR_TOKEN, default '
                                'admin:admin; user "admin" is admin; ROLE is '
                                'reader, member, manager or admin).')
        group = parser.add_argument_group('Keystone')
        group.add_argument('--os-cloud', metavar='NAME',
                           help='Cloud in clouds.yaml (env OS_CLOUD).')
        for flag, env, help_ in KEYSTONE_OPTIONS:
            group.add_argument(flag, metavar='<%s>' % flag[5:],
                               help='%s (env %s)' % (help_, env))
        parser.add_argument('--os-compute-api-version', metavar='2.N',
                            default=os.environ.get('OS_COMPUTE_API_VERSION'),
                            help='Compute API microversion (env '
                                 'OS_COMPUTE_API_VERSION; default: the highest '
                                 'this client and the service both know).')
        parser.add_argument('--http-timeout', type=float, default=60.0,
                            metavar='SECONDS',
                            help='Timeout of each HTTP request (default 60).')
        return parser

    def configure_logging(self):
        """Log to this app's stderr from the CLI's loggers only: the root
        logger belongs to whatever else runs in the process."""
        if self.options.debug:
            level = logging.DEBUG
        else:
            level = {0: logging.ERROR, 1: logging.WARNING,
                     2: logging.INFO}.get(self.options.verbose_level, logging.DEBUG)
        handler = logging.StreamHandler(self.stderr)
        handler.setFormatter(logging.Formatter(self.CONSOLE_MESSAGE_FORMAT))
        handler.setLevel(level)
        for name in _LOGGERS:
            logger = logging.getLogger(name)
            self._levels[name] = logger.level
            logger.setLevel(min(level, logging.ERROR))
            logger.addHandler(handler)
        self._handlers.append(handler)

    def release_logging(self):
        for name in _LOGGERS:
            logger = logging.getLogger(name)
            for handler in self._handlers:
                logger.removeHandler(handler)
            if name in self._levels:
                logger.setLevel(self._levels[name])
        self._handlers = []

    @property
    def client(self) -> http.ComputeClient:
        """The compute API client, connected on first use."""
        if self._client is None:
            self._client = http.connect(*self._connection_settings(),
                                        timeout=self.options.http_timeout)
        return self._client

    def _connection_settings(self) -> tuple:
        """(endpoint, token, keystone options, microversion). A flag wins
        over the environment; noauth2 wins over Keystone at the same level."""
        options = self.options
        keystone = {flag[2:].replace('-', '_'): getattr(options, flag[2:].replace('-', '_'))
                    for flag, _, _ in KEYSTONE_OPTIONS}
        keystone['os_cloud'] = options.os_cloud
        endpoint = options.os_endpoint
        if not endpoint and not (options.os_cloud or options.os_auth_url):
            endpoint = os.environ.get('MIGRATOR_URL')
        uses_keystone = any(keystone.values()) or os.environ.get('OS_CLOUD') or \
            os.environ.get('OS_AUTH_URL')
        keystone_options = None
        if not endpoint and uses_keystone:
            # Only what the operator gave; openstacksdk reads OS_* itself.
            keystone_options = argparse.Namespace(
                **{k: v for k, v in keystone.items() if v})
        return (endpoint, options.os_token, keystone_options,
                options.os_compute_api_version)


def main(argv=None) -> int:
    """Entry point of the `migrator` console script."""
    migrator_app = MigratorApp()
    try:
        return migrator_app.run(sys.argv[1:] if argv is None else list(argv))
    except SystemExit as done:  # argparse: a usage error (2), or --version
        return done.code if isinstance(done.code, int) else 1
    finally:
        migrator_app.release_logging()


if __name__ == '__main__':
    sys.exit(main())
