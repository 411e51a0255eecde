"""Run one kind of service until SIGTERM/SIGINT (the distributed entry points)."""

import logging
import os
import signal
import sys
import threading
import time

from migrator import deployment
from migrator import service as service_mod
from migrator.cmd import common
from migrator.conf import default as default_conf
from migrator.db import api as db_api

LOG = logging.getLogger(__name__)


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
    common.tune_collector()
    stopping.wait()
    dep.stop()
    return 0


def run_workers(conf, add_services, workers: int, binary: str,
                topic: str) -> int:
    """``run`` in ``workers`` forked processes sharing one service record.

    The parent registers the service before forking (so the workers do not
    race to insert the same row), then only supervises: it passes SIGTERM
    and SIGINT on, and starts a worker again if one dies.
    """
    if workers <= 1:
        return run(conf, add_services)
    db = db_api.Database.from_conf(conf)
    db.write(service_mod._register, conf.host, binary, topic)
    db.dispose()
    stopping = threading.Event()
    children: set[int] = set()

    def spawn():
        pid = os.fork()
        if pid == 0:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            code = 1
            try:
                code = run(conf, add_services)
            except BaseException:
                LOG.exception('%s worker on %s failed', binary, conf.host)
            finally:
                os._exit(code)
        children.add(pid)

    def forward(signum, _frame):
        stopping.set()
        for pid in list(children):
            try:
                os.kill(pid, signum)
            except ProcessLookupError:
                pass

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    for _ in range(workers):
        spawn()
    LOG.info('%s on %s: %d workers (%s)', binary, conf.host, workers,
             ', '.join(map(str, sorted(children))))
    while children:
        try:
            pid, status = os.wait()
        except ChildProcessError:
            break
        children.discard(pid)
        if not stopping.is_set():
            LOG.error('%s worker %d exited (status %d); starting another',
                      binary, pid, status)
            time.sleep(1)
            spawn()
    return 0
