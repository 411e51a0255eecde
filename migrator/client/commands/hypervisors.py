"""hypervisor list / show: capacity, usage and what is free on each host.

The service adds ``migrator:capacity`` beside Nova's fields: per resource
class the total, reserved, allocation ratio, resulting capacity, used and
free -- the numbers the scheduler and the claims work with. Nova's fields
are used when a service does not send it.
"""

from cliff import lister, show

from migrator.client import lookup, output

# (column label, resource class, Nova's total field, Nova's used field)
_RESOURCES = [
    ('vCPUs', 'VCPU', 'vcpus', 'vcpus_used'),
    ('RAM MB', 'MEMORY_MB', 'memory_mb', 'memory_mb_used'),
    ('Disk GB', 'DISK_GB', 'local_gb', 'local_gb_used'),
]


def usage(hypervisor: dict, resource_class: str, total_key: str,
          used_key: str) -> tuple:
    """(used, capacity, free) of one resource class."""
    capacity = (hypervisor.get('migrator:capacity') or {}).get(resource_class)
    if capacity:
        return capacity['used'], capacity['capacity'], capacity['free']
    total, used = hypervisor.get(total_key), hypervisor.get(used_key)
    free = total - used if total is not None and used is not None else None
    return used, total, free


def _list_columns() -> list:
    columns = [('ID', 'id'), ('Hostname', 'hypervisor_hostname'),
               ('State', 'state'), ('Status', 'status')]
    for label, rc, total_key, used_key in _RESOURCES:
        for index, what in enumerate(('Used', 'Capacity', 'Free')):
            columns.append(('%s %s' % (label, what),
                            lambda h, a=(rc, total_key, used_key), i=index:
                            usage(h, *a)[i]))
    columns.append(('Servers', 'running_vms'))
    return columns


class HypervisorList(lister.Lister):
    """List compute hosts with their capacity, usage and free resources.

    Capacity is what the claims allow: (total - reserved) x allocation ratio.
    """

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('--matching', metavar='HOSTNAME',
                            help='Only hosts whose name contains this.')
        return parser

    def take_action(self, args):
        params = {'hypervisor_hostname_pattern': args.matching}
        hypervisors = self.app.client.get('/os-hypervisors/detail',
                                          **params)['hypervisors']
        return output.listing(hypervisors, _list_columns())


class HypervisorShow(show.ShowOne):
    """Show one compute host (by ID or host name)."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('hypervisor', help='Hypervisor ID or host name.')
        return parser

    def take_action(self, args):
        hypervisor = dict(lookup.find_hypervisor(self.app.client, args.hypervisor))
        for label, rc, total_key, used_key in _RESOURCES:
            used, capacity, free = usage(hypervisor, rc, total_key, used_key)
            key = label.lower().replace(' ', '_')
            hypervisor.update({'%s_used' % key: used,
                               '%s_capacity' % key: capacity,
                               '%s_free' % key: free})
        return output.show(hypervisor)
