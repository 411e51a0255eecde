"""A listener for the versioned notifications a deployment sends."""

import contextlib
import threading
import time

import oslo_messaging as messaging


class Collector:
    """Every notification heard, as (event_type, publisher_id, payload)."""

    def __init__(self):
        self.events = []
        self.lock = threading.Lock()

    def info(self, ctxt, publisher_id, event_type, payload, metadata):
        with self.lock:
            self.events.append((event_type, publisher_id, payload))

    error = info

    def types(self) -> list:
        with self.lock:
            return [event[0] for event in self.events]

    def wait_for(self, event_type: str, timeout: float = 10) -> None:
        deadline = time.monotonic() + timeout
        while event_type not in self.types():
            if time.monotonic() > deadline:
                raise AssertionError('%s never sent; got %s' % (
                    event_type, self.types()))
            time.sleep(0.01)


@contextlib.contextmanager
def listening(transport):
    """A ``Collector`` of ``transport``'s versioned notifications while
    the block runs."""
    collector = Collector()
    listener = messaging.get_notification_listener(
        transport, [messaging.Target(topic='versioned_notifications')],
        [collector], executor='threading')
    listener.start()
    try:
        yield collector
    finally:
        listener.stop()
        listener.wait()
