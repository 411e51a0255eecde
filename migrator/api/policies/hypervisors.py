"""os-hypervisors: the compute hosts, their capacity and usage. Every rule
reveals hosts, so every default is administrators only.

Until 0.2.0 one rule, ``os_compute_api:os-hypervisors``, covered them all;
each rule here names it as its deprecated predecessor, so a policy file
that overrides it keeps deciding every one of them.
"""

from migrator.api.policies import base

PREFIX = 'os_compute_api:os-hypervisors:%s'
OLD_NAME = 'os_compute_api:os-hypervisors'

LIST = PREFIX % 'list'
LIST_DETAIL = PREFIX % 'list-detail'
STATISTICS = PREFIX % 'statistics'
SHOW = PREFIX % 'show'
UPTIME = PREFIX % 'uptime'
SEARCH = PREFIX % 'search'
SERVERS = PREFIX % 'servers'

_REASON = (
    'The single rule os_compute_api:os-hypervisors is split into one rule '
    'per operation, as in Nova, so that a deployer can open one without '
    'the others')


def _rule(name, description, path):
    return base.rule(name, base.ADMIN, description, [('GET', path)],
                     base.deprecated(OLD_NAME, base.LEGACY_ADMIN, _REASON))


rules = [
    _rule(LIST, 'List the hypervisors (compute hosts) with their state.',
          '/os-hypervisors'),
    _rule(LIST_DETAIL, 'List the hypervisors with capacity, usage and free '
          'space.', '/os-hypervisors/detail'),
    _rule(STATISTICS, 'Show capacity and usage summed over every '
          'hypervisor.', '/os-hypervisors/statistics'),
    _rule(SHOW, 'Show one hypervisor with capacity, usage and free space.',
          '/os-hypervisors/{hypervisor_id}'),
    _rule(UPTIME, 'Show the uptime of a hypervisor.',
          '/os-hypervisors/{hypervisor_id}/uptime'),
    _rule(SEARCH, 'Find hypervisors by host name pattern (before 2.53).',
          '/os-hypervisors/{hypervisor_hostname_pattern}/search'),
    _rule(SERVERS, 'List the servers on the hypervisors matching a host '
          'name pattern (before 2.53).',
          '/os-hypervisors/{hypervisor_hostname_pattern}/servers'),
]
