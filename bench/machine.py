"""What a run was measured on, so that figures are comparable."""

import importlib.metadata
import os
import platform
import sqlite3
import subprocess
import sys

PACKAGES = ('migrator', 'falcon', 'gunicorn', 'oslo.messaging', 'kombu',
            'SQLAlchemy', 'psycopg', 'alembic', 'jsonschema', 'oslo.policy')


def _cpu_model() -> str:
    try:
        with open('/proc/cpuinfo') as info:
            for line in info:
                if line.startswith('model name'):
                    return line.split(':', 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or 'unknown'


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return 'not installed'


def _git() -> str:
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    try:
        commit = subprocess.run(['git', 'rev-parse', '--short', 'HEAD'], cwd=root,
                                capture_output=True, text=True, timeout=10)
        dirty = subprocess.run(['git', 'status', '--porcelain', '--untracked-files=no',
                                'migrator'], cwd=root, capture_output=True,
                               text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return 'unknown'
    return commit.stdout.strip() + (' (with uncommitted changes in migrator/)'
                                    if dirty.stdout.strip() else '')


def _postgres() -> str:
    from bench import backends
    if not backends.postgres_available():
        return 'not reachable'
    try:
        import psycopg
        with psycopg.connect(host=backends.PG_HOST, user='postgres',
                             dbname='postgres', connect_timeout=5) as conn:
            return conn.execute('SHOW server_version').fetchone()[0]
    except Exception as error:  # noqa: BLE001 - only describes the machine
        return 'unknown (%s)' % error


def _rabbit() -> str:
    from bench import backends
    if not backends.rabbit_available():
        return 'not reachable'
    try:
        import kombu
        with kombu.Connection(backends.RABBIT_URL.replace('rabbit://', 'amqp://'),
                              connect_timeout=5) as conn:
            conn.connect()
            return conn.connection.server_properties.get('version', 'unknown')
    except Exception as error:  # noqa: BLE001
        return 'unknown (%s)' % error


def describe() -> dict:
    load = os.getloadavg() if hasattr(os, 'getloadavg') else ()
    return {
        'CPU': '%d × %s' % (os.cpu_count() or 0, _cpu_model()),
        'load average at start': ', '.join('%.2f' % x for x in load),
        'Python': '%s (%s)' % (platform.python_version(),
                               platform.python_implementation()),
        'OS': platform.platform(),
        'migrator tree': _git(),
        'packages': ', '.join('%s %s' % (p, _version(p)) for p in PACKAGES),
        'SQLite': sqlite3.sqlite_version,
        'PostgreSQL server': _postgres(),
        'RabbitMQ server': _rabbit(),
        'command': ' '.join(['python -m bench'] + sys.argv[1:]),
    }
