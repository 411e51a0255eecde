"""service list / disable [--reason] / enable."""

from cliff import lister, show

from migrator.client import lookup, output

#: From 2.53 a service is addressed by its UUID (PUT /os-services/{id}).
SERVICE_UUID_VERSION = (2, 53)

_COLUMNS = [
    ('ID', 'id'),
    ('Binary', 'binary'),
    ('Host', 'host'),
    ('Zone', 'zone'),
    ('Status', 'status'),
    ('State', 'state'),
    ('Updated At', 'updated_at'),
    ('Disabled Reason', 'disabled_reason'),
]


class ServiceList(lister.Lister):
    """List the services (computes, conductor, scheduler) and their state."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('--host', help='Only services on this host.')
        parser.add_argument('--binary', help='Only this binary, e.g. nova-compute.')
        return parser

    def take_action(self, args):
        services = self.app.client.get('/os-services', host=args.host,
                                       binary=args.binary)['services']
        columns = list(_COLUMNS)
        if any('forced_down' in s for s in services):
            columns.append(('Forced Down', 'forced_down'))
        return output.listing(services, columns)


class _SetStatus(show.ShowOne):
    status = ''

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('host', help='Host the service runs on.')
        parser.add_argument('--binary', default='nova-compute',
                            help='Service binary (default: nova-compute).')
        return parser

    def _update(self, args, reason=None):
        client = self.app.client
        if client.supports(SERVICE_UUID_VERSION):
            service = lookup.find_service(client, args.host, args.binary)
            body = {'status': self.status}
            if reason:
                body['disabled_reason'] = reason
            updated = client.put('/os-services/%s' % service['id'], body)['service']
        else:
            action = 'enable' if self.status == 'enabled' else 'disable'
            body = {'host': args.host, 'binary': args.binary}
            if reason:
                action = 'disable-log-reason'
                body['disabled_reason'] = reason
            client.put('/os-services/%s' % action, body)
            updated = lookup.find_service(client, args.host, args.binary)
        return output.show(updated)


class ServiceDisable(_SetStatus):
    """Disable a service: the scheduler stops sending servers to its host."""

    status = 'disabled'

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('--reason', help='Why (shown in service list and '
                            'in the scheduler\'s refusal).')
        return parser

    def take_action(self, args):
        return self._update(args, args.reason)


class ServiceEnable(_SetStatus):
    """Enable a service again."""

    status = 'enabled'

    def take_action(self, args):
        return self._update(args)
