"""availability-zone list."""

from cliff import lister


class AvailabilityZoneList(lister.Lister):
    """List availability zones; --long adds each host and its services."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('--long', action='store_true',
                            help='Show the hosts and services of each zone.')
        return parser

    def take_action(self, args):
        path = '/os-availability-zone/detail' if args.long else '/os-availability-zone'
        zones = self.app.client.get(path)['availabilityZoneInfo']
        rows = []
        for zone in zones:
            state = 'available' if zone['zoneState']['available'] else 'not available'
            if not args.long:
                rows.append((zone['zoneName'], state))
                continue
            for host, services in sorted((zone.get('hosts') or {}).items()):
                for binary, service in sorted(services.items()):
                    rows.append((zone['zoneName'], state, host, binary,
                                 '%s, %s' % ('enabled' if service['active'] else 'disabled',
                                             'up' if service['available'] else 'down'),
                                 service.get('updated_at')))
        if args.long:
            return (('Zone Name', 'Zone Status', 'Host Name', 'Service Name',
                     'Service Status', 'Updated At'), rows)
        return ('Zone Name', 'Zone Status'), rows
