"""aggregate list / show / create / delete / add-host / remove-host / set."""

from cliff import command, lister, show

from migrator.client import http, lookup, output

_COLUMNS = [
    ('ID', 'id'),
    ('Name', 'name'),
    ('Availability Zone', 'availability_zone'),
    ('Hosts', 'hosts'),
    ('Properties', 'metadata'),
]


def _aggregate_columns(aggregate: dict) -> tuple:
    return output.show(aggregate, ['id', 'name', 'availability_zone', 'hosts',
                                   'metadata', 'created_at', 'updated_at'])


class _OneAggregate(show.ShowOne):
    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('aggregate', help='Aggregate name or ID.')
        return parser


class AggregateList(lister.Lister):
    """List host aggregates."""

    def take_action(self, args):
        return output.listing(self.app.client.get('/os-aggregates')['aggregates'],
                              _COLUMNS)


class AggregateShow(_OneAggregate):
    """Show one host aggregate."""

    def take_action(self, args):
        return _aggregate_columns(lookup.find_aggregate(self.app.client,
                                                        args.aggregate))


class AggregateCreate(show.ShowOne):
    """Create a host aggregate, optionally an availability zone."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('name', help='Name of the new aggregate.')
        parser.add_argument('--zone', metavar='AVAILABILITY_ZONE',
                            help='Make the aggregate this availability zone.')
        return parser

    def take_action(self, args):
        body = {'name': args.name}
        if args.zone:
            body['availability_zone'] = args.zone
        return _aggregate_columns(
            self.app.client.post('/os-aggregates', {'aggregate': body})['aggregate'])


class AggregateDelete(command.Command):
    """Delete an empty host aggregate."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('aggregate', help='Aggregate name or ID.')
        return parser

    def take_action(self, args):
        aggregate = lookup.find_aggregate(self.app.client, args.aggregate)
        self.app.client.delete('/os-aggregates/%s' % aggregate['id'])
        return 0


class AggregateAddHost(_OneAggregate):
    """Add a compute host to an aggregate."""

    action = 'add_host'

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('host', help='Compute host name.')
        return parser

    def take_action(self, args):
        aggregate = lookup.find_aggregate(self.app.client, args.aggregate)
        updated = self.app.client.post(
            '/os-aggregates/%s/action' % aggregate['id'],
            {self.action: {'host': args.host}})['aggregate']
        return _aggregate_columns(updated)


class AggregateRemoveHost(AggregateAddHost):
    """Remove a compute host from an aggregate."""

    action = 'remove_host'


class AggregateSet(_OneAggregate):
    """Rename an aggregate, change its zone, or set its properties."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('--name', help='New name.')
        parser.add_argument('--zone', metavar='AVAILABILITY_ZONE',
                            help='New availability zone.')
        parser.add_argument('--property', action='append', metavar='KEY=VALUE',
                            help='Set a property (metadata); repeatable. An '
                                 'empty value (KEY=) removes the key.')
        return parser

    def take_action(self, args):
        client = self.app.client
        properties = output.key_values(args.property, '--property')
        if not (args.name or args.zone or properties):
            raise http.CommandError('Nothing to set: give --name, --zone or '
                                    '--property KEY=VALUE.')
        aggregate = lookup.find_aggregate(client, args.aggregate)
        path = '/os-aggregates/%s' % aggregate['id']
        updates = {k: v for k, v in (('name', args.name),
                                     ('availability_zone', args.zone)) if v}
        if updates:
            aggregate = client.put(path, {'aggregate': updates})['aggregate']
        if properties:
            metadata = {k: (v if v != '' else None) for k, v in properties.items()}
            aggregate = client.post(path + '/action', {
                'set_metadata': {'metadata': metadata}})['aggregate']
        return _aggregate_columns(aggregate)
