"""[database] options."""

from oslo_config import cfg

database_group = cfg.OptGroup('database', title='Database options')

database_opts = [
    cfg.StrOpt('connection', secret=True,
               help='SQLAlchemy URL of the database, e.g. '
                    'postgresql+psycopg://user:pw@host/migrator or '
                    'mysql+pymysql://user:pw@host/migrator. Default: a '
                    'SQLite file migrator.sqlite in state_path.'),
    cfg.IntOpt('max_pool_size', default=10, min=1,
               help='Connections kept in the pool (server databases).'),
    cfg.IntOpt('max_overflow', default=20, min=0,
               help='Connections allowed beyond max_pool_size.'),
    cfg.IntOpt('sqlite_busy_timeout', default=30, min=1,
               help='Seconds a SQLite writer waits for the write lock.'),
    cfg.IntOpt('db_max_retries', default=5, min=0,
               help='Retries of a transaction that failed on a deadlock or '
                    'lost connection.'),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(database_group)
    conf.register_opts(database_opts, group=database_group)


def list_opts():
    return {database_group: database_opts}
