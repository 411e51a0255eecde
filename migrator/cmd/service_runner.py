"""Run one kind of service until SIGTERM/SIGINT (the distributed entry points)."""

import signal
import threading

from migrator import deployment


def run(conf, add_services) -> int:
    dep = deployment.Deployment(conf, sync_db=False)
    add_services(dep)
    dep.start()
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    signal.signal(signal.SIGINT, lambda *_: stopping.set())
    stopping.wait()
    dep.stop()
    return 0
