"""A private configuration of the global ``cfg.CONF`` for one bench phase.

oslo.messaging registers its options on the global CONF only (DESIGN §6),
so each phase takes it over with oslo.config's fixture and gives it back.
"""

import contextlib
import uuid

from oslo_config import fixture as config_fixture
from oslo_messaging import opts as messaging_opts

from migrator import conf as migrator_conf
from migrator import rpc


@contextlib.contextmanager
def configured(state_path: str, **overrides):
    """CONF with ``state_path`` and ``group__name=value`` overrides set."""
    fixture = config_fixture.Config(migrator_conf.CONF)
    fixture.setUp()
    try:
        conf = fixture.conf
        rpc.set_defaults(conf)
        # The driver registers these when it loads; overrides come earlier.
        for group, opts in messaging_opts.list_opts():
            if group == 'oslo_messaging_rabbit':
                conf.register_opts(opts, group=group)
        conf([], project='migrator', default_config_files=[])
        conf.set_override('state_path', state_path)
        conf.set_override('transport_url', 'inproc://bench-%s/' % uuid.uuid4().hex)
        for key, value in overrides.items():
            group, _, name = key.rpartition('__')
            conf.set_override(name, value, group=group or None)
        yield conf
    finally:
        fixture.cleanUp()
