"""A pool of daemon threads for work taken off an RPC server's threads.

Neither pool at hand fits work that may last minutes in a service that
must stop when told: futurist's (under oslo.messaging) starts a thread on
every call until it is full and wakes each idle one once a second, and the
standard library's keeps the interpreter from exiting until the work in
hand has ended. Here a thread is started only when none is idle, an idle
one sleeps until work comes, and a process that stops waiting for the
threads leaves them behind.
"""

import logging
import queue
import threading

LOG = logging.getLogger(__name__)


class Workers:
    """Up to ``size`` daemon threads named ``name-N``, started as needed
    and kept; calls beyond ``size`` at once wait in order."""

    def __init__(self, size: int, name: str):
        if size < 1:
            raise ValueError('a pool needs at least one thread, not %d' % size)
        self.size = size
        self.name = name
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        # Released by a thread each time it is idle again; taken by the
        # call that puts it back to work, so that no two calls count on
        # the same idle thread.
        self._idle = threading.Semaphore(0)
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        self._closed = False

    def submit(self, fn, *args) -> None:
        """Run ``fn(*args)`` on a thread of the pool; its exceptions are
        logged, as nobody waits for its result."""
        with self._lock:
            if self._closed:
                raise RuntimeError('%s: the pool is shut down' % self.name)
            self._queue.put((fn, args))
            if self._idle.acquire(blocking=False):
                return
            if len(self._threads) < self.size:
                thread = threading.Thread(
                    target=self._run, daemon=True,
                    name='%s-%d' % (self.name, len(self._threads) + 1))
                self._threads.append(thread)
                thread.start()

    def _run(self) -> None:
        while True:
            work = self._queue.get()
            if work is None:
                return
            fn, args = work
            try:
                fn(*args)
            except Exception:  # nobody else would see it
                LOG.exception('%s: %s failed', self.name,
                              getattr(fn, '__name__', fn))
            del work, fn, args
            self._idle.release()

    def shutdown(self) -> None:
        """Take no more calls; wait for the calls in hand and those
        waiting. (A caller that cannot wait that long waits for this on a
        thread of its own, as ``Deployment.stop`` waits for a service.)"""
        with self._lock:
            self._closed = True
            threads = list(self._threads)
        for _ in threads:
            self._queue.put(None)  # after every call already waiting
        for thread in threads:
            thread.join()

    @property
    def threads(self) -> int:
        """Threads started so far."""
        return len(self._threads)
