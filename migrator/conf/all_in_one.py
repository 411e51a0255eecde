"""[all_in_one] options of the embedded default (migrator-all)."""

from oslo_config import cfg

all_in_one_group = cfg.OptGroup('all_in_one', title='Embedded default')

all_in_one_opts = [
    cfg.ListOpt('compute_hosts', default=['compute1', 'compute2', 'compute3'],
                help='Simulated hypervisors started inside migrator-all.'),
    cfg.BoolOpt('create_default_flavors', default=True,
                help='Create m1.tiny ... m1.xlarge on first start when no '
                     'flavor exists.'),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(all_in_one_group)
    conf.register_opts(all_in_one_opts, group=all_in_one_group)


def list_opts():
    return {all_in_one_group: all_in_one_opts}
