"""host drain <host> [--dry-run] [--wait], drain list|show|cancel: taking a
host down for maintenance, through migrator's own API (/migrator/drains)."""

import time

from cliff import lister, show

from migrator.client import http, lookup, output, progress

_ENDED = ('complete', 'incomplete', 'cancelled')
_PLAN_COLUMNS = [('Server', 'server_id'), ('Name', 'name'),
                 ('Destination', 'destination'), ('Forced', 'forced'),
                 ('Reason', 'reason')]
_ITEM_COLUMNS = [('Server', 'server_id'), ('Status', 'status'),
                 ('Destination', 'destination'), ('Attempts', 'attempts'),
                 ('Reason', 'reason')]
_LIST_COLUMNS = [('UUID', 'uuid'), ('Host', 'host'), ('Status', 'status'),
                 ('Progress', 'progress'), ('Counts', 'counts'),
                 ('Created At', 'created_at'), ('Finished At', 'finished_at')]


def _counts(drain: dict) -> str:
    return ', '.join('%d %s' % (n, status)
                     for status, n in sorted(drain['counts'].items()) if n)


class HostDrain(lister.Lister):
    """Empty a compute host for maintenance: move every server elsewhere.

    With --dry-run nothing moves: the answer is where each server would go
    (earlier servers of the plan and moves in flight count) or why it
    cannot be placed. Without it the host's compute service is disabled
    and its servers move, at most --max-parallel at a time; with --wait
    the command follows the drain to its end and exits 1 unless it ends
    complete. `migrator service enable <host>` brings the host back.
    """

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('host', help='The compute host to empty.')
        parser.add_argument('--dry-run', action='store_true',
                            help='Only show where each server would go.')
        parser.add_argument('--max-parallel', type=int,
                            help='Moves in flight at once (default 2).')
        parser.add_argument('--max-attempts', type=int,
                            help='Tries per server before it counts as failed.')
        parser.add_argument('--no-confirm', action='store_true',
                            help='Leave each move in VERIFY_RESIZE for you to '
                                 'confirm or revert.')
        parser.add_argument('--reason', help='Why (recorded as the disabled '
                                             "service's reason).")
        parser.add_argument('--to-host', action='append', dest='hosts',
                            metavar='HOST', help='Only to this host (repeat).')
        parser.add_argument('--aggregate', help='Only to hosts of this aggregate.')
        parser.add_argument('--zone', help='Only to hosts of this zone.')
        parser.add_argument('--exclude-host', action='append', metavar='HOST',
                            help='Never to this host (repeat).')
        parser.add_argument('--include-stopped', action='store_true',
                            help='Move stopped servers too.')
        parser.add_argument('--force-server', action='append', metavar='SERVER',
                            help='Move this server past the filters (still '
                                 'claimed; name or ID, repeat).')
        parser.add_argument('--wait', action='store_true',
                            help='Follow the drain to its end.')
        return parser

    def _body(self, args) -> dict:
        client = self.app.client
        body = {'host': args.host, 'dry_run': args.dry_run}
        for key, value in (('max_parallel', args.max_parallel),
                           ('max_attempts', args.max_attempts),
                           ('reason', args.reason), ('hosts', args.hosts),
                           ('aggregate', args.aggregate), ('zone', args.zone),
                           ('exclude_hosts', args.exclude_host)):
            if value is not None:
                body[key] = value
        if args.no_confirm:
            body['confirm'] = False
        if args.include_stopped:
            body['include_stopped'] = True
        if args.force_server:
            body['force_servers'] = [lookup.find_server(client, ref)['id']
                                     for ref in args.force_server]
        return body

    def take_action(self, args):
        self.incomplete = False
        if args.wait and args.dry_run:
            raise http.CommandError('--wait follows a drain; a --dry-run starts none.')
        answer = self.app.client.migrator.post('/drains', {'drain': self._body(args)})
        if args.dry_run:
            plan = answer['drain_plan']
            self.app.stderr.write('%s\n' % plan['summary'])
            return output.listing(plan['servers'], _PLAN_COLUMNS)
        drain = answer['drain']
        self.app.stderr.write('Drain %s of %s started.\n' % (drain['uuid'],
                                                             drain['host']))
        if args.wait:
            drain = follow(self.app.client, drain['uuid'], self.app.stderr)
            self.incomplete = drain['status'] != 'complete'
        return output.listing(drain['servers'], _ITEM_COLUMNS)

    def run(self, parsed_args):
        status = super().run(parsed_args)
        return status or (1 if getattr(self, 'incomplete', False) else 0)


def follow(client, drain_id: str, stream, interval: float = 1.0) -> dict:
    """Poll a drain until it ends: a progress bar (on a terminal) and a line
    whenever a server's status changes; the drain as it ended."""
    bar = progress.ProgressBar(stream)
    seen: dict = {}
    while True:
        drain = client.migrator.get('/drains/%s' % drain_id)['drain']
        for item in drain['servers']:
            if seen.get(item['server_id']) != item['status']:
                seen[item['server_id']] = item['status']
                bar.finish()
                stream.write('%s\n' % _line(item))
        bar.update('%s (%s)' % (drain['status'], _counts(drain)),
                   (drain['progress'] or 0) / 100.0)
        if drain['status'] in _ENDED:
            bar.finish()
            stream.write('Drain %s ended %s: %s.\n' % (
                drain['uuid'], drain['status'], _counts(drain)))
            return drain
        time.sleep(interval)


class DrainList(lister.Lister):
    """List drains, newest first."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('--host', help='Only drains of this host.')
        parser.add_argument('--status', help='Only drains in this status.')
        return parser

    def take_action(self, args):
        drains = self.app.client.migrator.get('/drains', host=args.host,
                                              status=args.status)['drains']
        for drain in drains:
            drain['counts'] = _counts(drain)
        return output.listing(drains, _LIST_COLUMNS)


class _OneDrain(show.ShowOne):
    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('drain', help='Drain UUID.')
        return parser


class DrainShow(_OneDrain):
    """Show a drain, each of its servers with its status."""

    def take_action(self, args):
        return _show(self.app.client.migrator.get('/drains/%s' % args.drain)['drain'])


class DrainCancel(_OneDrain):
    """Cancel a drain: no new move starts; the moves in flight finish, or,
    with --abort-moves, those still copying their disk are aborted."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('--abort-moves', action='store_true',
                            help='Also abort the moves in flight that have not '
                                 'finished their disk copy; the others finish.')
        return parser

    def take_action(self, args):
        params = {'abort_moves': 'true'} if args.abort_moves else None
        return _show(self.app.client.migrator.request(
            'DELETE', '/drains/%s' % args.drain, params=params)['drain'])


def _line(item: dict) -> str:
    """One server of a drain: its status, and where it went or why not."""
    if item['reason']:
        return '%s %s: %s' % (item['server_id'], item['status'], item['reason'])
    if item['destination']:
        return '%s %s -> %s' % (item['server_id'], item['status'], item['destination'])
    return '%s %s' % (item['server_id'], item['status'])


def _show(drain: dict) -> tuple:
    drain = dict(drain, counts=_counts(drain))
    drain['servers'] = '\n'.join(_line(item) for item in drain['servers'])
    return output.show(drain)

