"""migrator-api: the WSGI app under gunicorn, ``[api] workers`` processes."""

import sys

from gunicorn.app import base as gunicorn_base

from migrator.cmd import common


class _Gunicorn(gunicorn_base.BaseApplication):
    def __init__(self, options: dict, argv: list):
        self.options = options
        self.argv = argv
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            if key in self.cfg.settings:
                self.cfg.set(key, value)

    def load(self):
        # Built in each worker, after the fork: its own DB pool and transport.
        from migrator.api import wsgi
        app = wsgi.build_application(self.argv)
        common.tune_collector()
        return app


def gunicorn_options(conf) -> dict:
    """gunicorn settings from the [api] options."""
    return {'bind': '%s:%d' % (conf.api.host, conf.api.port),
            'workers': conf.api.workers, 'worker_class': 'gthread',
            'threads': 8, 'timeout': 120, 'graceful_timeout': 10,
            'accesslog': None, 'proc_name': 'migrator-api',
            # gunicorn 25.1+ opens one control socket per user at a fixed
            # path; a second API on the machine would take it over.
            'control_socket_disable': True}


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    conf = common.setup(argv)
    _Gunicorn(gunicorn_options(conf), argv).run()
    return 0


if __name__ == '__main__':
    sys.exit(main())
