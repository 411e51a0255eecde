"""migrate [--force] [--wait] <server> [<host>], migrate --dry-run [--force]
<server> [<host> ...], resize-confirm, resize-revert."""

from cliff import command, lister

from migrator.client import http, lookup, output, progress
from migrator.client.commands import base


def _describe(server: dict) -> str:
    return '%s (%s)' % (server['name'], server['id'])


def _refusal(entry) -> str:
    """One filter that would have refused a forced host, and why."""
    if isinstance(entry, dict):
        return '%s: %s' % (entry.get('filter'), entry.get('reason'))
    return str(entry)


def _reasons(verdicts: list) -> str:
    return '; '.join('%s: %s' % (v['check'], v['reason']) for v in verdicts)


def _force_would(host: dict) -> str:
    """What --force changes for one host, in words."""
    overrides, blocks = host['force']['overrides'], host['force']['blocks']
    parts = []
    if overrides:
        parts.append('go past ' + _reasons(overrides))
    if blocks:
        parts.append('still be refused: ' + _reasons(blocks))
    return '; '.join(parts) or 'change nothing'


class Migrate(lister.Lister):
    """Cold-migrate a server, to a host you name or where the scheduler says.

    With a host, the host must pass the scheduler's filters; the service
    answers with the filters that refused it. With --force the filters are
    skipped (capacity is still claimed) and the migration records which
    filters would have refused the host.

    With --dry-run nothing moves: the service checks the hosts named (every
    host when none is) as it would for the move, and answers per host
    whether it would be accepted, why not, and (with --force) what force
    would change, followed by a summary line.
    """

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('server', help='Server name or ID.')
        parser.add_argument('host', nargs='*',
                            help='Target compute host (default: the scheduler '
                                 'chooses). Needs compute API 2.56. Several '
                                 'only with --dry-run.')
        parser.add_argument('--force', action='store_true',
                            help='Skip the scheduler filters for the named '
                                 'host (requires <host>).')
        parser.add_argument('--dry-run', action='store_true',
                            help='Move nothing: show for each host (every host '
                                 'when none is named) whether the move would be '
                                 'accepted and why not.')
        base.add_wait_arguments(parser, 'the server is in VERIFY_RESIZE, '
                                'showing the progress')
        return parser

    def run(self, parsed_args):
        if parsed_args.dry_run:
            return super().run(parsed_args)
        if len(parsed_args.host) > 1:
            raise http.CommandError(
                'A move goes to one host; name several only with --dry-run.')
        parsed_args.host = parsed_args.host[0] if parsed_args.host else None
        return self._migrate(parsed_args)

    def take_action(self, args):
        """--dry-run: the migration check, one row per host."""
        client = self.app.client
        server = lookup.find_server(client, args.server)
        body = {'server_id': server['id'], 'force': args.force}
        if args.host:
            body['hosts'] = args.host
        answer = client.migrator.post('/migration-checks',
                                      {'migration_check': body})['migration_check']
        hosts = answer['hosts']
        # A page holds at most the API's max_limit hosts: follow the pages.
        while answer.get('next_marker'):
            answer = client.migrator.post('/migration-checks', {'migration_check': dict(
                body, marker=answer['next_marker'])})['migration_check']
            hosts += answer['hosts']
        self.summary = answer['summary']
        columns = [('Host', 'host'), ('Accepted', 'accepted'),
                   ('Reasons', lambda h: _reasons(
                       answer['server_refusals'] + h['refusals']))]
        if args.force:
            columns.append(('Force would', _force_would))
        return output.listing(hosts, columns)

    def produce_output(self, parsed_args, column_names, data):
        result = super().produce_output(parsed_args, column_names, data)
        # The summary follows a table; beside JSON or other machine formats
        # it goes to stderr, so that stdout stays parseable.
        stream = self.app.stdout if parsed_args.formatter == 'table' else \
            self.app.stderr
        stream.write(self.summary + '\n')
        return result

    def _migrate(self, args):
        if args.force and not args.host:
            raise http.CommandError(
                '--force requires a target host: migrator migrate --force '
                '<server> <host>. Without a host the scheduler chooses, and '
                'there is nothing to force.')
        client = self.app.client
        if args.host and not client.supports(http.MIGRATE_HOST_VERSION):
            raise http.CommandError(
                'Naming a target host needs compute API %s or later; this '
                'session speaks %s (see --os-compute-api-version).' % (
                    http.format_version(http.MIGRATE_HOST_VERSION),
                    http.format_version(client.version)))
        server = lookup.find_server(client, args.server)
        body = {'migrate': None}
        if args.host:
            body['migrate'] = {'host': args.host}
            if args.force:
                body['migrate']['force'] = True
        if not args.wait:
            client.post('/servers/%s/action' % server['id'], body)
            self.app.stdout.write(
                'Migration of server %s to %s accepted. Follow it with: '
                'migrator migration list --server %s\n' % (
                    _describe(server), args.host or 'a host the scheduler chose',
                    server['id']))
            return 0
        return self._migrate_and_wait(client, server, body, args)

    def _migrate_and_wait(self, client, server, body, args):
        earlier = {m['uuid'] for m in progress.migrations_of(client, server['id'])}
        bar = progress.ProgressBar(self.app.stderr)
        try:
            bar.update(*progress.phase_of(None))
            client.post('/servers/%s/action' % server['id'], body)
            ours = [m for m in progress.migrations_of(client, server['id'])
                    if m['uuid'] not in earlier]
            if not ours:
                raise http.CommandError(
                    'The service accepted the migration of server %s but '
                    'lists no new migration for it.' % _describe(server))
            migration = progress.follow(client, server['id'], ours[0]['uuid'],
                                        'finished', bar, args.timeout)
        finally:
            bar.finish()
        self.app.stdout.write(
            'Server %s is in VERIFY_RESIZE on %s (migration %s from %s).\n' % (
                _describe(server), migration.get('destination', 'its new host'),
                migration['uuid'], migration.get('source', 'its old host')))
        refused_by = migration.get('forced_past') or []
        if refused_by:
            self.app.stdout.write('Forced past the filters that refused the '
                                  'host: %s\n' % '; '.join(
                                      _refusal(entry) for entry in refused_by))
        self.app.stdout.write(
            'Confirm with "migrator resize-confirm %s" or go back with '
            '"migrator resize-revert %s".\n' % (server['id'], server['id']))
        return 0


class _EndOfMove(command.Command):
    action = until = verb = ''

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('server', help='Server name or ID.')
        base.add_wait_arguments(parser, 'the move is %s' % self.until)
        return parser

    def take_action(self, args):
        client = self.app.client
        server = lookup.find_server(client, args.server)
        # The service acts on the newest finished migration; follow that one.
        finished = [m for m in progress.migrations_of(client, server['id'])
                    if m['status'] == 'finished']
        client.post('/servers/%s/action' % server['id'], {self.action: None})
        if not args.wait or not finished:
            self.app.stdout.write('%s of server %s requested.\n' % (
                self.verb, _describe(server)))
            return 0
        bar = progress.ProgressBar(self.app.stderr)
        try:
            migration = progress.follow(client, server['id'], finished[0]['uuid'],
                                        self.until, bar, args.timeout)
        finally:
            bar.finish()
        server = base.wait_for_server(client, server['id'], ('ACTIVE', 'SHUTOFF'),
                                      args.timeout)
        self.app.stdout.write('Server %s is %s on %s (migration %s %s).\n' % (
            _describe(server), server['status'],
            server.get('OS-EXT-SRV-ATTR:host') or 'its host', migration['uuid'],
            migration['status']))
        return 0


class ResizeConfirm(_EndOfMove):
    """Confirm a migration: the server stays on its new host."""

    action, until, verb = 'confirmResize', 'confirmed', 'Confirmation'


class ResizeRevert(_EndOfMove):
    """Revert a migration: the server goes back to its source host."""

    action, until, verb = 'revertResize', 'reverted', 'Revert'
