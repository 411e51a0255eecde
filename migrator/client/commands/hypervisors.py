"""hypervisor list / show: capacity, usage and what is free on each host.

Nova's os-hypervisors gives totals and usage; migrator's own API
(/migrator/capacity) gives, per resource class, the total, reserved,
allocation ratio, resulting capacity, used, held by moves in flight and
free -- the numbers the scheduler and the claims work with. The commands
show those, and fall back on Nova's fields where the caller may not read
migrator's capacity.
"""

from cliff import lister, show

from migrator.client import http, lookup, output

# (column label, resource class, Nova's total field, Nova's used field)
_RESOURCES = [
    ('vCPUs', 'VCPU', 'vcpus', 'vcpus_used'),
    ('RAM MB', 'MEMORY_MB', 'memory_mb', 'memory_mb_used'),
    ('Disk GB', 'DISK_GB', 'local_gb', 'local_gb_used'),
]


def capacities(client: http.ComputeClient) -> dict:
    """host -> migrator's capacity record; empty when the caller may not
    read it (the columns then come from Nova's fields)."""
    try:
        hosts = client.migrator.get('/capacity')['hosts']
    except http.ApiError as error:
        if error.status in (403, 404):
            return {}
        raise
    return {h['host']: h for h in hosts}


def with_capacity(hypervisor: dict, found: dict) -> dict:
    """The hypervisor with migrator's resources of its host, if known."""
    host = found.get(hypervisor.get('hypervisor_hostname'))
    return dict(hypervisor, resources=host['resources']) if host else hypervisor


def usage(hypervisor: dict, resource_class: str, total_key: str,
          used_key: str) -> tuple:
    """(used, capacity, free) of one resource class."""
    capacity = (hypervisor.get('resources') or {}).get(resource_class)
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
        client = self.app.client
        hypervisors = client.get('/os-hypervisors/detail', **params)['hypervisors']
        found = capacities(client)
        return output.listing([with_capacity(h, found) for h in hypervisors],
                              _list_columns())


class HypervisorShow(show.ShowOne):
    """Show one compute host (by ID or host name)."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('hypervisor', help='Hypervisor ID or host name.')
        return parser

    def take_action(self, args):
        client = self.app.client
        hypervisor = with_capacity(lookup.find_hypervisor(client, args.hypervisor),
                                   capacities(client))
        shown = {key: value for key, value in hypervisor.items() if key != 'resources'}
        for label, rc, total_key, used_key in _RESOURCES:
            used, capacity, free = usage(hypervisor, rc, total_key, used_key)
            key = label.lower().replace(' ', '_')
            shown.update({'%s_used' % key: used, '%s_capacity' % key: capacity,
                          '%s_free' % key: free})
        return output.show(shown)
