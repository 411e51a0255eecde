"""WSGI entry point: ``gunicorn migrator.api.wsgi:application``.

Configuration files come from ``MIGRATOR_CONFIG_FILES`` (comma separated) or
oslo.config's default locations (/etc/migrator/migrator.conf, ...). The app
is built on the first request, in the worker process: its database pool and
transport are never shared across a fork.
"""

import os
import threading

_application = None
_lock = threading.Lock()


def build_application(argv=None):
    """The API's WSGI app, on the configuration already parsed or on
    ``argv`` (default: the files named by MIGRATOR_CONFIG_FILES)."""
    from migrator import deployment
    from migrator.cmd import common
    if argv is None:
        files = [f for f in os.environ.get('MIGRATOR_CONFIG_FILES', '').split(',') if f]
        argv = [arg for f in files for arg in ('--config-file', f)]
    conf = common.CONF if common.configured() else common.setup(argv)
    dep = deployment.Deployment(conf, sync_db=False)
    return dep.wsgi_app()


def application(environ, start_response):
    global _application
    if _application is None:
        with _lock:  # gthread workers: the first requests may arrive together
            if _application is None:
                _application = build_application()
    return _application(environ, start_response)
