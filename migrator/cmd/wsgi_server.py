"""The WSGI server of the embedded default.

The distributed API runs under gunicorn (migrator-api); migrator-all serves
the same app in its own process with cheroot: HTTP/1.1 keep-alive, a pool
of worker threads, and idle keep-alive connections waiting in a selector
rather than each holding a thread.
"""

import threading

from cheroot import wsgi

# Enough for a few dozen clients at once; a thread waits on the database or
# the conductor as often as it computes.
THREADS = 16


class WSGIServer:
    def __init__(self, app, host: str, port: int, threads: int = THREADS):
        self.server = wsgi.Server((host, port), app, numthreads=threads,
                                  request_queue_size=128, shutdown_timeout=5,
                                  server_name='migrator')
        self.server.prepare()  # bound and listening from here on
        self.thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return self.server.bind_addr[1]

    def serve_forever(self) -> None:
        self.server.serve()

    def start(self) -> None:
        self.thread = threading.Thread(target=self.serve_forever, daemon=True,
                                       name='wsgi')
        self.thread.start()

    def stop(self) -> None:
        self.server.stop()
        if self.thread is not None:
            self.thread.join(timeout=10)
