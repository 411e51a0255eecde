"""migrator-compute --host NAME: one simulated hypervisor."""

import sys

from migrator.cmd import common, service_runner


def main(argv=None) -> int:
    conf = common.setup(argv)
    return service_runner.run(conf, lambda dep: dep.add_compute(conf.host))


if __name__ == '__main__':
    sys.exit(main())
