"""migration list: every move, with how far it got and why it failed, from
migrator's own record of moves (/migrator/migrations)."""

from cliff import lister

from migrator.client import lookup, output

_COLUMNS = [
    ('UUID', 'uuid'),
    ('Server UUID', 'server_id'),
    ('Status', 'status'),
    ('Source', 'source'),
    ('Destination', 'destination'),
    ('Type', 'type'),
    ('Forced', 'forced'),
    ('Progress', 'progress'),
    ('Error Reason', 'error_reason'),
    ('Created At', 'created_at'),
    ('Updated At', 'updated_at'),
]
_LONG_COLUMNS = [
    ('Requested Host', 'requested_host'),
    ('Forced Past Filters', 'forced_past'),
    ('Phase Times', 'phase_times'),
]


class MigrationList(lister.Lister):
    """List migrations, newest first."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('--host', help='Only moves from or to this host.')
        parser.add_argument('--status', help='Only moves in this status '
                            '(migrating, finished, confirmed, error, ...).')
        parser.add_argument('--server', help='Only moves of this server '
                            '(name or ID).')
        parser.add_argument('--long', action='store_true',
                            help='Also show the requested host, the filters a '
                                 'forced move went past, and phase times.')
        return parser

    def take_action(self, args):
        client = self.app.client
        params = {'host': args.host, 'status': args.status}
        if args.server:
            params['server_id'] = lookup.find_server(client, args.server)['id']
        migrations = client.migrator.get('/migrations', **params)['migrations']
        columns = _COLUMNS + (_LONG_COLUMNS if args.long else [])
        return output.listing(migrations, columns)
