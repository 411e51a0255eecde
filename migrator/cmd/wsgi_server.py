"""A small threaded WSGI server for the embedded default.

The distributed API runs under gunicorn (migrator-api); migrator-all serves
the same app from the standard library so that it needs no extra process.
"""

import socketserver
import threading
from wsgiref import simple_server


class _QuietHandler(simple_server.WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - stdlib signature
        pass


class _ThreadingWSGIServer(socketserver.ThreadingMixIn, simple_server.WSGIServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # socketserver's 5 resets bursts of clients


class WSGIServer:
    def __init__(self, app, host: str, port: int):
        self.httpd = simple_server.make_server(host, port, app,
                                               server_class=_ThreadingWSGIServer,
                                               handler_class=_QuietHandler)
        self.thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return self.httpd.server_address[1]

    def serve_forever(self) -> None:
        self.httpd.serve_forever(poll_interval=0.2)

    def start(self) -> None:
        self.thread = threading.Thread(target=self.serve_forever, daemon=True,
                                       name='wsgi')
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
