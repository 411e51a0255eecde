"""[upgrade_levels] RPC version pins for rolling upgrades."""

from oslo_config import cfg

upgrade_group = cfg.OptGroup(
    'upgrade_levels', title='RPC version caps',
    help='Cap the RPC API version a client sends, so services of the '
         'previous release can still understand it during an upgrade.')

upgrade_opts = [
    cfg.StrOpt('conductor', help='Version cap for the conductor RPC API.'),
    cfg.StrOpt('scheduler', help='Version cap for the scheduler RPC API.'),
    cfg.StrOpt('compute', help='Version cap for the compute RPC API.'),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(upgrade_group)
    conf.register_opts(upgrade_opts, group=upgrade_group)


def list_opts():
    return {upgrade_group: upgrade_opts}
