"""migrator-scheduler [--host NAME]: stateless, reads host state from the DB."""

import sys

from migrator.cmd import service_runner


def main(argv=None) -> int:
    conf = service_runner.parse(argv)
    return service_runner.run(conf, lambda dep: dep.add_scheduler())


if __name__ == '__main__':
    sys.exit(main())
