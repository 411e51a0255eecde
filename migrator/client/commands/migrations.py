"""migration list: every move, with how far it got and why it failed, from
migrator's own record of moves (/migrator/migrations); migration abort: stop
a server's move before its disk copy ends (Nova's DELETE
/servers/{id}/migrations/{id}, 2.24)."""

import argparse

from cliff import command, lister

from migrator.client import http, lookup, output

_ABORT_VERSION = (2, 24)

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
        parser.add_argument('--limit', type=_positive, metavar='N',
                            help='At most N moves, the newest (default: every '
                                 'move, read a page at a time).')
        parser.add_argument('--marker', metavar='UUID',
                            help='Start after this move (a UUID this command '
                                 'listed).')
        parser.add_argument('--long', action='store_true',
                            help='Also show the requested host, the filters a '
                                 'forced move went past, and phase times.')
        return parser

    def take_action(self, args):
        client = self.app.client
        params = {'host': args.host, 'status': args.status,
                  'limit': args.limit, 'marker': args.marker}
        if args.server:
            params['server_id'] = lookup.find_server(client, args.server)['id']
        migrations = []
        while True:
            page = client.migrator.get('/migrations', **params)
            migrations += page['migrations']
            # A full page links to the next; --limit asks for one page.
            if args.limit is not None or not page.get('migrations_links'):
                break
            params['marker'] = migrations[-1]['uuid']
        columns = _COLUMNS + (_LONG_COLUMNS if args.long else [])
        return output.listing(migrations, columns)


def _positive(value: str) -> int:
    """--limit: a whole number of moves, 1 or more."""
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(
            'must be a whole number of moves, 1 or more, not %r' % value)
    return number


class MigrationAbort(command.Command):
    """Abort a server's move before its disk copy ends: the server stays
    where it was, as it was. A move past its copy is reverted instead."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('server', help='Server (name or ID).')
        parser.add_argument('migration', nargs='?',
                            help="The move's ID (as server migration list "
                                 'shows it); default: the move in progress.')
        return parser

    def take_action(self, args):
        client = self.app.client
        server_id = lookup.find_server(client, args.server)['id']
        migration_id = args.migration
        if migration_id is None:
            moves = client.request('GET', '/servers/%s/migrations' % server_id,
                                   version=_ABORT_VERSION)['migrations']
            if len(moves) != 1:
                raise http.CommandError(
                    'Server %s has %d moves in progress; name the one to abort.'
                    % (server_id, len(moves)))
            migration_id = moves[0]['id']
        client.request('DELETE', '/servers/%s/migrations/%s'
                       % (server_id, migration_id), version=_ABORT_VERSION)
        self.app.stdout.write('Aborted migration %s of server %s.\n'
                              % (migration_id, server_id))
