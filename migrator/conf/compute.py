"""[compute] options of migrator-compute and its fake driver."""

from oslo_config import cfg

compute_group = cfg.OptGroup('compute', title='Simulated compute host')

FAILURE_POINTS = ('prep_resize', 'resize_instance', 'finish_resize',
                  'confirm_resize', 'revert_resize', 'finish_revert_resize',
                  'spawn')

compute_opts = [
    cfg.IntOpt('vcpus', default=16, min=1,
               help='VCPUs the simulated hypervisor reports.'),
    cfg.IntOpt('memory_mb', default=32768, min=1,
               help='Memory the simulated hypervisor reports, in MB.'),
    cfg.IntOpt('local_gb', default=500, min=1,
               help='Local disk the simulated hypervisor reports, in GB.'),
    cfg.FloatOpt('cpu_allocation_ratio', default=4.0, min=0.0,
                 help='Virtual to physical CPU ratio for claims.'),
    cfg.FloatOpt('ram_allocation_ratio', default=1.0, min=0.0,
                 help='Virtual to physical memory ratio for claims.'),
    cfg.FloatOpt('disk_allocation_ratio', default=1.0, min=0.0,
                 help='Virtual to physical disk ratio for claims.'),
    cfg.IntOpt('reserved_host_cpus', default=0, min=0,
               help='VCPUs kept for the host itself.'),
    cfg.IntOpt('reserved_host_memory_mb', default=512, min=0,
               help='Memory kept for the host itself, in MB.'),
    cfg.IntOpt('reserved_host_disk_mb', default=0, min=0,
               help='Disk kept for the host itself, in MB.'),
    cfg.IntOpt('resize_confirm_window', default=0, min=0,
               help='Seconds after which a server in VERIFY_RESIZE is '
                    'confirmed automatically; 0 disables auto-confirm.'),
    cfg.IntOpt('max_concurrent_disk_copies', default=64, min=1,
               help='Disk copies this host runs at once; more wait for one '
                    'to end. Copies run on threads of their own, so they '
                    'never keep the host from taking its other requests '
                    '(whose threads [DEFAULT] executor_thread_pool_size '
                    'bounds). 64 lets a drain of the largest max_parallel '
                    'copy every move at once.'),
    cfg.FloatOpt('disk_copy_rate_mb', default=0.0, min=0.0,
                 help='Fake driver: simulated disk copy rate in MB/s during '
                      'resize_instance; 0 copies instantly.'),
    cfg.ListOpt('fail_at', default=[],
                item_type=cfg.types.String(choices=FAILURE_POINTS),
                help='Fake driver: steps that raise an error, for failure '
                     'injection in tests. One of: %s.' % ', '.join(FAILURE_POINTS)),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(compute_group)
    conf.register_opts(compute_opts, group=compute_group)


def list_opts():
    return {compute_group: compute_opts}
