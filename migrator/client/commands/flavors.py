"""flavor list / show / create / delete."""

from cliff import command, lister, show

from migrator.client import lookup, output

_COLUMNS = [
    ('ID', 'id'),
    ('Name', 'name'),
    ('RAM', 'ram'),
    ('Disk', 'disk'),
    ('Ephemeral', 'OS-FLV-EXT-DATA:ephemeral'),
    ('VCPUs', 'vcpus'),
    ('Is Public', 'os-flavor-access:is_public'),
]


def _flavor_columns(flavor: dict) -> tuple:
    return output.show({k: v for k, v in flavor.items() if k != 'links'})


class FlavorList(lister.Lister):
    """List flavors."""

    def take_action(self, args):
        return output.listing(self.app.client.get('/flavors/detail')['flavors'],
                              _COLUMNS)


class FlavorShow(show.ShowOne):
    """Show one flavor (by name or ID)."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('flavor', help='Flavor name or ID.')
        return parser

    def take_action(self, args):
        return _flavor_columns(lookup.find_flavor(self.app.client, args.flavor))


class FlavorCreate(show.ShowOne):
    """Create a flavor (admin)."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('name', help='Name of the new flavor.')
        parser.add_argument('--id', help='Flavor ID (default: generated).')
        parser.add_argument('--ram', type=int, required=True, metavar='MB')
        parser.add_argument('--vcpus', type=int, required=True)
        parser.add_argument('--disk', type=int, default=0, metavar='GB')
        parser.add_argument('--ephemeral', type=int, default=0, metavar='GB')
        parser.add_argument('--swap', type=int, default=0, metavar='MB')
        parser.add_argument('--private', action='store_true',
                            help='Not public (default: public).')
        return parser

    def take_action(self, args):
        flavor = {'name': args.name, 'ram': args.ram, 'vcpus': args.vcpus,
                  'disk': args.disk, 'OS-FLV-EXT-DATA:ephemeral': args.ephemeral,
                  'swap': args.swap, 'os-flavor-access:is_public': not args.private}
        if args.id:
            flavor['id'] = args.id
        created = self.app.client.post('/flavors', {'flavor': flavor})['flavor']
        return _flavor_columns(created)


class FlavorDelete(command.Command):
    """Delete a flavor (admin)."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('flavor', help='Flavor name or ID.')
        return parser

    def take_action(self, args):
        flavor = lookup.find_flavor(self.app.client, args.flavor)
        self.app.client.delete('/flavors/%s' % flavor['id'])
        return 0
