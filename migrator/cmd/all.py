"""migrator-all: the embedded default.

API, conductor, scheduler and the simulated computes in one process, on the
in-process transport and a SQLite file in ``[DEFAULT] state_path``.
"""

import signal
import sys
import threading

from migrator import deployment
from migrator.cmd import common, wsgi_server


def build(conf) -> deployment.Deployment:
    """Every service of the embedded default, not yet started."""
    dep = deployment.Deployment(conf)
    dep.add_scheduler()
    dep.add_conductor()
    for host in conf.all_in_one.compute_hosts:
        dep.add_compute(host)
    return dep


def client_hint(conf, url: str) -> list:
    """How to point a client at this API, for its auth strategy."""
    if conf.api.auth_strategy == 'keystone':
        return ['Requests need a Keystone token ([api] auth_strategy = keystone).',
                'Set OS_CLOUD or the OS_* variables for a user with a role in a '
                'project (reader, member, manager or admin);',
                'with the compute endpoint of the catalog at %s:' % url,
                '  migrator hypervisor list',
                'or send a token yourself:',
                '  curl -H "X-Auth-Token: $(openstack token issue -f value -c id)" '
                '%s/servers' % url]
    return ['Point a client at it (noauth2):',
            '  export MIGRATOR_URL=%s MIGRATOR_TOKEN=admin:admin' % url,
            '  migrator hypervisor list',
            'MIGRATOR_TOKEN is user:project[:role], role one of reader, member, '
            'manager, admin.']


def main(argv=None) -> int:
    conf = common.setup(argv)
    dep = build(conf)
    if conf.all_in_one.create_default_flavors:
        deployment.create_default_flavors(dep.db)
    dep.start()
    server = wsgi_server.WSGIServer(dep.wsgi_app(), conf.api.host, conf.api.port)
    common.tune_collector()
    url = 'http://%s:%d/v2.1' % (conf.api.host, server.port)
    print('migrator-all: API on %s (computes: %s; database: %s)' % (
        url, ', '.join(conf.all_in_one.compute_hosts), dep.db.url.render_as_string()))
    print('Dashboard: http://%s:%d/dashboard/' % (conf.api.host, server.port))
    for line in client_hint(conf, url):
        print(line)
    print('Press Ctrl-C to stop.', flush=True)
    stopping = threading.Event()

    def stop(signum, frame):
        stopping.set()
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    server.start()
    stopping.wait()
    print('migrator-all: stopping', flush=True)
    server.stop()
    dep.stop()
    return 0


if __name__ == '__main__':
    sys.exit(main())
