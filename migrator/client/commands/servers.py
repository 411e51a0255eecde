"""server list / show / create / delete / stop / start."""

from cliff import command, lister, show

from migrator.client import lookup, output
from migrator.client.commands import base

_LIST_COLUMNS = [
    ('ID', 'id'),
    ('Name', 'name'),
    ('Status', 'status'),
    ('Task State', 'OS-EXT-STS:task_state'),
    ('Host', 'OS-EXT-SRV-ATTR:host'),
    ('Flavor', lambda s: flavor_name(s.get('flavor'))),
]
_LONG_COLUMNS = [
    ('Power State', 'OS-EXT-STS:power_state'),
    ('Availability Zone', 'OS-EXT-AZ:availability_zone'),
    ('Project ID', 'tenant_id'),
]


def flavor_name(flavor) -> str | None:
    """The flavor's name (2.47+ embeds it) or, before that, its ID."""
    if not isinstance(flavor, dict):
        return flavor
    return flavor.get('original_name') or flavor.get('id')


def server_columns(server: dict) -> tuple:
    body = {k: v for k, v in server.items() if k != 'links'}
    if isinstance(body.get('flavor'), dict):
        body['flavor'] = flavor_name(body['flavor'])
    if isinstance(body.get('image'), dict):
        body['image'] = body['image'].get('id')
    return output.show(body)


class ServerList(lister.Lister):
    """List servers, with the host each one runs on."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('--all-projects', action='store_true',
                            help='Servers of every project (admin).')
        parser.add_argument('--host', help='Only servers on this compute host.')
        parser.add_argument('--status', help='Only servers with this status '
                            '(ACTIVE, SHUTOFF, VERIFY_RESIZE, ERROR, ...).')
        parser.add_argument('--name', help='Only servers whose name contains this.')
        parser.add_argument('--long', action='store_true',
                            help='Also show power state, zone and project.')
        return parser

    def take_action(self, args):
        params = {'host': args.host, 'status': args.status, 'name': args.name}
        if args.all_projects:
            params['all_tenants'] = 'true'
        servers = self.app.client.get('/servers/detail', **params)['servers']
        columns = _LIST_COLUMNS + (_LONG_COLUMNS if args.long else [])
        return output.listing(servers, columns)


class ServerShow(show.ShowOne):
    """Show one server (by name or ID)."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('server', help='Server name or ID.')
        return parser

    def take_action(self, args):
        return server_columns(lookup.find_server(self.app.client, args.server))


class ServerCreate(show.ShowOne):
    """Boot a server; the scheduler picks its host."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('name', help='Name of the new server.')
        parser.add_argument('--flavor', required=True, help='Flavor name or ID.')
        parser.add_argument('--image', help='Image ID (recorded, not used).')
        parser.add_argument('--availability-zone', metavar='ZONE')
        parser.add_argument('--group', metavar='SERVER_GROUP',
                            help='Server group (name or ID) to boot into.')
        parser.add_argument('--hint', action='append', metavar='KEY=VALUE',
                            help='Scheduler hint (same_host, different_host); '
                                 'repeatable.')
        base.add_wait_arguments(parser, 'the server is ACTIVE')
        return parser

    def take_action(self, args):
        client = self.app.client
        flavor = lookup.find_flavor(client, args.flavor)
        server = {'name': args.name, 'flavorRef': flavor['id']}
        if args.image:
            server['imageRef'] = args.image
        if args.availability_zone:
            server['availability_zone'] = args.availability_zone
        body = {'server': server}
        hints = output.key_values(args.hint, '--hint')
        if args.group:
            hints['group'] = lookup.find_server_group(client, args.group)['id']
        if hints:
            body['os:scheduler_hints'] = hints
        server_id = client.post('/servers', body)['server']['id']
        if args.wait:
            return server_columns(base.wait_for_server(client, server_id,
                                                       ('ACTIVE',), args.timeout))
        return server_columns(client.get('/servers/%s' % server_id)['server'])


class _OneServerCommand(command.Command):
    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('server', help='Server name or ID.')
        base.add_wait_arguments(parser, self.waits_for)
        return parser


class ServerDelete(_OneServerCommand):
    """Delete a server and release what it holds."""

    waits_for = 'the server is gone'

    def take_action(self, args):
        client = self.app.client
        server = lookup.find_server(client, args.server)
        client.delete('/servers/%s' % server['id'])
        if args.wait:
            base.wait_for_deletion(client, server['id'], args.timeout)
        return 0


class ServerStop(_OneServerCommand):
    """Stop (power off) a server."""

    waits_for = 'the server is SHUTOFF'
    action, status = 'os-stop', 'SHUTOFF'

    def take_action(self, args):
        client = self.app.client
        server = lookup.find_server(client, args.server)
        client.post('/servers/%s/action' % server['id'], {self.action: None})
        if args.wait:
            base.wait_for_server(client, server['id'], (self.status,), args.timeout)
        return 0


class ServerStart(ServerStop):
    """Start (power on) a stopped server."""

    waits_for = 'the server is ACTIVE'
    action, status = 'os-start', 'ACTIVE'
