"""[api] options of migrator-api."""

from oslo_config import cfg

api_group = cfg.OptGroup('api', title='API options')

api_opts = [
    cfg.HostAddressOpt('host', default='127.0.0.1',
                       help='Address the API listens on.'),
    cfg.PortOpt('port', default=8774, help='Port the API listens on.'),
    cfg.IntOpt('workers', default=1, min=1,
               help='Number of gunicorn worker processes (migrator-api).'),
    cfg.StrOpt('auth_strategy', default='noauth2',
               choices=[('noauth2', 'Token "user:project[:role]"; without a '
                         'role the user "admin" is an administrator, anyone '
                         'else a member. For development and tests.'),
                        ('keystone', 'keystonemiddleware auth_token; configure '
                         'it in [keystone_authtoken].')],
               help='How requests are authenticated.'),
    cfg.IntOpt('max_request_body_size', default=114688, min=1024,
               help='Largest request body accepted, in bytes; larger ones '
                    'get 413.'),
    cfg.IntOpt('max_limit', default=1000, min=1,
               help='Most items a list call returns in one page.'),
    cfg.IntOpt('migrate_call_timeout', default=60, min=1,
               help='Seconds the API waits for the conductor to choose and '
                    'claim a destination before answering 503.'),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(api_group)
    conf.register_opts(api_opts, group=api_group)


def list_opts():
    return {api_group: api_opts}
