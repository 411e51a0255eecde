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
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(conductor_group)
    conf.register_opts(conductor_opts, group=conductor_group)


def list_opts():
    return {conductor_group: conductor_opts}
