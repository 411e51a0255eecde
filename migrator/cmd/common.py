"""Start-up shared by every console script: config files, logging."""

import gc
import logging as std_logging
import sys

from oslo_config import cfg
from oslo_log import log as logging

from migrator import conf as migrator_conf
from migrator import rpc

CONF = migrator_conf.CONF
_configured = False


def configured() -> bool:
    return _configured


def setup(argv=None, cli_opts=(), default_config_files=None) -> cfg.ConfigOpts:
    """Parse ``--config-file`` and friends into the global CONF; set up logs."""
    rpc.set_defaults(CONF)
    if cli_opts:
        CONF.register_cli_opts(cli_opts)
    logging.register_options(CONF)
    CONF(sys.argv[1:] if argv is None else argv, project='migrator',
         default_config_files=default_config_files)
    logging.set_defaults(default_log_levels=logging.get_default_log_levels() + [
        'oslo_messaging=WARN', 'oslo_policy=WARN', 'alembic=WARN',
        'stevedore=WARN'])
    logging.setup(CONF, 'migrator')
    # oslo.policy reports deprecated rules in a policy file as warnings.
    std_logging.captureWarnings(True)
    global _configured
    _configured = True
    return CONF


def freeze_start_up_objects() -> None:
    """Hide what start-up made from the cycle collector (``gc.freeze``).

    Modules, options, the app, engines and pools live as long as the
    process, yet every full collection walked them all: a request that
    builds ten thousand small objects (a check of every host) paid for
    several such walks. Frozen, a full collection walks only what came
    after. Called once each process has started its services."""
    gc.collect()
    gc.freeze()
