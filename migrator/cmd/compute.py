"""migrator-compute --host NAME: one simulated hypervisor.

``--host`` sets ``[DEFAULT] host``, the name of the hypervisor, so one
configuration file serves every simulated host on a machine.
"""

import sys

from migrator.cmd import service_runner


def main(argv=None) -> int:
    conf = service_runner.parse(argv)
    return service_runner.run(conf, lambda dep: dep.add_compute(conf.host))


if __name__ == '__main__':
    sys.exit(main())
