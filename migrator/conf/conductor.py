"""[conductor] options of migrator-conductor."""

from oslo_config import cfg

conductor_group = cfg.OptGroup('conductor', title='Conductor options')

conductor_opts = [
    cfg.IntOpt('workers', default=1, min=1,
               help='Conductor worker processes (migrator-conductor).'),
    cfg.IntOpt('migration_timeout', default=600, min=1,
               help='A migration with no progress for this many seconds is '
                    'set to error and its claim rolled back.'),
    cfg.IntOpt('periodic_interval', default=60, min=1,
               help='Seconds between runs of the conductor periodic tasks '
                    '(stuck migration clean-up).'),
    cfg.IntOpt('drain_lease_seconds', default=90, min=2,
               help='How long a conductor owns a drain without renewing its '
                    'lease; another conductor takes over a drain whose owner '
                    'stayed silent this long. Keep it above [api] '
                    'migrate_call_timeout: a step waits that long for a move.'),
    cfg.FloatOpt('drain_interval', default=0.05, min=0.01,
                 help='Seconds between steps of the drains a conductor owns. '
                      'A server waits a step to be confirmed and another for '
                      'its slot to be reused, so this bounds how fast a drain '
                      'goes; steps are only taken while a drain runs.'),
    cfg.FloatOpt('drain_idle_interval', default=2.0, min=0.01,
                 help='Seconds between looks for a drain to take, when the '
                      'conductor owns none.'),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(conductor_group)
    conf.register_opts(conductor_opts, group=conductor_group)


def list_opts():
    return {conductor_group: conductor_opts}
