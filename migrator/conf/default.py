"""[DEFAULT] options shared by every service."""

import os
import socket

from oslo_config import cfg

default_opts = [
    cfg.StrOpt('state_path',
               default=os.path.join(os.getcwd(), 'state'),
               sample_default='$cwd/state',
               help='Directory where migrator keeps its state: the SQLite '
                    'database of the embedded default lives here.'),
    cfg.StrOpt('host',
               default=socket.gethostname(),
               sample_default='<current hostname>',
               help='Name of this node. For migrator-compute this is the '
                    'name of the simulated hypervisor (--host overrides it).'),
    cfg.IntOpt('report_interval', default=10, min=1,
               help='Seconds between service heartbeats written to the '
                    'database.'),
    cfg.IntOpt('service_down_time', default=60, min=1,
               help='A service whose last heartbeat is older than this many '
                    'seconds is reported as down and is not scheduled to.'),
    cfg.BoolOpt('allow_resize_to_same_host', default=False,
                help='Let an untargeted migration choose the source host. '
                     'A targeted one is never allowed to.'),
    cfg.StrOpt('default_availability_zone', default='nova',
               help='Availability zone of hosts not in any aggregate that '
                    'sets one.'),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_opts(default_opts)


def list_opts():
    return {'DEFAULT': default_opts}
