"""migrator-conductor [--host NAME]: run as many as the load needs.

Conductors share the ``conductor`` topic, so RabbitMQ hands each request to
one of them; ``--host`` (``[DEFAULT] host``) names each in os-services.
``[conductor] workers`` forks that many processes under one name.
"""

import sys

from migrator.cmd import service_runner


def main(argv=None) -> int:
    conf = service_runner.parse(argv)
    return service_runner.run_workers(conf, lambda dep: dep.add_conductor(),
                                      conf.conductor.workers,
                                      'migrator-conductor', 'conductor')


if __name__ == '__main__':
    sys.exit(main())
