"""server-group create / list / delete."""

from cliff import command, lister, show

from migrator.client import lookup, output

_COLUMNS = [('ID', 'id'), ('Name', 'name'), ('Policies', 'policies'),
            ('Members', 'members')]


class ServerGroupCreate(show.ShowOne):
    """Create a server group: its members share a host, or never do."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('name', help='Name of the new group.')
        parser.add_argument('--policy', required=True,
                            choices=['affinity', 'anti-affinity'])
        return parser

    def take_action(self, args):
        group = self.app.client.post('/os-server-groups', {'server_group': {
            'name': args.name, 'policies': [args.policy]}})['server_group']
        return output.show(group)


class ServerGroupList(lister.Lister):
    """List server groups."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('--all-projects', action='store_true',
                            help='Groups of every project (admin).')
        return parser

    def take_action(self, args):
        params = {'all_projects': 'true'} if args.all_projects else {}
        groups = self.app.client.get('/os-server-groups', **params)['server_groups']
        return output.listing(groups, _COLUMNS)


class ServerGroupDelete(command.Command):
    """Delete a server group."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('group', help='Server group name or ID.')
        return parser

    def take_action(self, args):
        group = lookup.find_server_group(self.app.client, args.group)
        self.app.client.delete('/os-server-groups/%s' % group['id'])
        return 0
