"""migrator-manage: database schema and consistency checks."""

import sys

from oslo_config import cfg

from migrator import audit
from migrator.cmd import common
from migrator.db import api as db_api
from migrator.db import migration


def _db_sync(conf) -> int:
    db = db_api.Database.from_conf(conf)
    migration.db_sync(db.engine, conf.command.version or 'head')
    print('Database %s is at revision %s.' % (
        db.url.render_as_string(), migration.db_version(db.engine)))
    return 0


def _db_version(conf) -> int:
    db = db_api.Database.from_conf(conf)
    print(migration.db_version(db.engine) or 'empty (run: migrator-manage db sync)')
    return 0


def _audit(conf) -> int:
    """Print every broken invariant; exit 1 if anything was found."""
    db = db_api.Database.from_conf(conf)
    timeout = conf.conductor.migration_timeout
    problems = db.read(audit.find_problems, timeout)
    for problem in problems:
        print('%s%s' % (problem, '' if problem.fixable or not conf.command.fix
                        else ' (needs an operator)'))
    if conf.command.fix and problems:
        for line in db.write(audit.repair, problems):
            print('fixed: %s' % line)
    if not problems:
        print('No problems found.')
    return 1 if problems else 0


def _add_commands(subparsers):
    check = subparsers.add_parser(
        'audit', help='Check claims, allocations and migrations for '
        'consistency; exit 1 if anything is wrong.')
    check.add_argument('--fix', action='store_true',
                       help='Repair what is safe: stuck migrations, orphan '
                       'allocations, usage counters.')
    check.set_defaults(func=_audit)
    db = subparsers.add_parser('db', help='Database schema.')
    db_sub = db.add_subparsers(dest='action')
    sync = db_sub.add_parser('sync', help='Create or upgrade the schema.')
    sync.add_argument('version', nargs='?', help='Revision (default: head).')
    sync.set_defaults(func=_db_sync)
    version = db_sub.add_parser('version', help='Print the schema revision.')
    version.set_defaults(func=_db_version)


def main(argv=None) -> int:
    command = cfg.SubCommandOpt('command', title='Commands',
                                handler=_add_commands)
    conf = common.setup(argv, cli_opts=[command])
    func = getattr(conf.command, 'func', None)
    if func is None:
        print('usage: migrator-manage [--config-file FILE] {db {sync,version},audit [--fix]}',
              file=sys.stderr)
        return 2
    return func(conf)


if __name__ == '__main__':
    sys.exit(main())
