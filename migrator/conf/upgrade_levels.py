"""[upgrade_levels] RPC version pins for rolling upgrades."""

from oslo_config import cfg

upgrade_group = cfg.OptGroup(
    'upgrade_levels', title='RPC version caps',
    help='Cap the RPC API version a client sends, so services of the '
         'previous release can still understand it during an upgrade. Set '
         'the same pins on every service that sends to the capped one (the '
         'API, the conductors, the computes), upgrade, then remove them.')

_VERSION = r'^\d+\.\d+$'

upgrade_opts = [
    cfg.StrOpt('conductor', regex=_VERSION,
               help='Newest conductor RPC API version sent (X.Y), for '
                    'example the version of the oldest conductor still '
                    'running. Unset: the newest this release knows.'),
    cfg.StrOpt('scheduler', regex=_VERSION,
               help='Newest scheduler RPC API version sent (X.Y).'),
    cfg.StrOpt('compute', regex=_VERSION,
               help='Newest compute RPC API version sent (X.Y), for example '
                    'the version of the oldest compute still running.'),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(upgrade_group)
    conf.register_opts(upgrade_opts, group=upgrade_group)


def list_opts():
    return {upgrade_group: upgrade_opts}
