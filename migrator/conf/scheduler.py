"""[scheduler] options: the filter and weigher pipeline."""

from oslo_config import cfg

scheduler_group = cfg.OptGroup('scheduler', title='Scheduler options')

DEFAULT_FILTERS = ['ComputeFilter', 'AvailabilityZoneFilter', 'CapacityFilter',
                   'AggregateInstanceExtraSpecsFilter',
                   'ServerGroupAffinityFilter', 'ServerGroupAntiAffinityFilter',
                   'SameHostFilter', 'DifferentHostFilter']

scheduler_opts = [
    cfg.ListOpt('enabled_filters', default=DEFAULT_FILTERS,
                help='Filters every candidate host must pass, by class name. '
                     'An unknown name stops the service at start.'),
    cfg.FloatOpt('ram_weight_multiplier', default=1.0,
                 help='Weight of free RAM; positive spreads, negative stacks.'),
    cfg.FloatOpt('cpu_weight_multiplier', default=1.0,
                 help='Weight of free VCPUs; positive spreads, negative '
                      'stacks.'),
    cfg.FloatOpt('disk_weight_multiplier', default=1.0,
                 help='Weight of free disk; positive spreads, negative '
                      'stacks.'),
    cfg.IntOpt('max_attempts', default=3, min=1,
               help='Hosts tried, best first, when a claim is lost to a '
                    'concurrent request (untargeted requests only).'),
    cfg.IntOpt('host_subset_size', default=1, min=1,
               help='Pick randomly among this many best hosts, to spread '
                    'concurrent requests.'),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(scheduler_group)
    conf.register_opts(scheduler_opts, group=scheduler_group)


def list_opts():
    return {scheduler_group: scheduler_opts}
