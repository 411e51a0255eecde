"""Configuration options, one module per group.

Services use oslo.config's global ``cfg.CONF`` (oslo.messaging registers its
own options there only); tests reset it with oslo.config's fixture.
"""

from oslo_config import cfg

from migrator.conf import (
    all_in_one,
    api,
    compute,
    conductor,
    database,
    default,
    scheduler,
    upgrade_levels,
)

CONF = cfg.CONF

_MODULES = (default, api, all_in_one, compute, conductor, database, scheduler,
            upgrade_levels)


def register_all(conf: cfg.ConfigOpts = CONF) -> None:
    """Register every option group on ``conf`` (idempotent)."""
    for module in _MODULES:
        module.register_opts(conf)


register_all(CONF)
