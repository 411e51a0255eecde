"""``python -m bench.bare_api PORT WORKERS``: the bare Falcon floor app
under gunicorn, with the options migrator-api uses."""

import sys

from gunicorn.app import base as gunicorn_base

from bench import floors


class _Bare(gunicorn_base.BaseApplication):
    def __init__(self, options):
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            if key in self.cfg.settings:
                self.cfg.set(key, value)

    def load(self):
        return floors.bare_app()


def main() -> None:
    port, workers = int(sys.argv[1]), int(sys.argv[2])
    # The options migrator.cmd.api gives gunicorn, on another port.
    options = {'bind': '127.0.0.1:%d' % port, 'workers': workers,
               'worker_class': 'gthread', 'threads': 8, 'timeout': 120,
               'accesslog': None, 'control_socket_disable': True}
    _Bare(options).run()


if __name__ == '__main__':
    main()
