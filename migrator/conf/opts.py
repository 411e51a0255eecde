"""Entry points for oslo-config-generator."""

from oslo_config import cfg

from migrator import conf as migrator_conf


def list_opts():
    """Every migrator option, grouped, for the sample config generator."""
    grouped = {}
    for module in migrator_conf._MODULES:
        for group, opts in module.list_opts().items():
            grouped.setdefault(group, []).extend(opts)
    return list(grouped.items())


def set_defaults(conf: cfg.ConfigOpts = cfg.CONF) -> None:
    """Defaults migrator sets on library options (oslo.messaging)."""
    from migrator import rpc
    rpc.set_defaults(conf)
