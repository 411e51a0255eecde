"""Run one kind of service until SIGTERM/SIGINT (the distributed entry points)."""

import signal
import sys
import threading

from migrator import deployment
from migrator.cmd import common
from migrator.conf import default as default_conf


def host_opt():
    """``[DEFAULT] host``, to be offered as ``--host`` on the command line:
    one configuration file then serves every service on a machine."""
    return next(opt for opt in default_conf.default_opts if opt.name == 'host')


def parse(argv=None):
    """``common.setup`` with ``--host NAME``, which wins over any
    ``[DEFAULT] host`` in the configuration files.

    oslo.config lets whichever comes later on the command line win, so
    ``--host c1 --config-file f`` would take f's host; ``--host`` is moved
    last before parsing.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    rest, host = [], []
    while argv:
        arg = argv.pop(0)
        if arg == '--host' and argv:
            host = [arg, argv.pop(0)]
        elif arg.startswith('--host='):
            host = [arg]
        else:
            rest.append(arg)
    return common.setup(rest + host, cli_opts=[host_opt()])


def run(conf, add_services) -> int:
    """Start the services ``add_services(deployment)`` adds; stop them on
    SIGTERM or SIGINT, letting the messages in hand finish."""
    dep = deployment.Deployment(conf, sync_db=False)
    add_services(dep)
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    signal.signal(signal.SIGINT, lambda *_: stopping.set())
    dep.start()
    stopping.wait()
    dep.stop()
    return 0
