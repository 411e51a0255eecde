"""The databases and transports a run measures on, created fresh for it."""

import contextlib
import os
import socket
import uuid

PG_HOST = os.environ.get('MIGRATOR_BENCH_PG_HOST', '127.0.0.1')
RABBIT_URL = os.environ.get('MIGRATOR_BENCH_RABBIT_URL',
                            'rabbit://guest:guest@127.0.0.1:5672/')


def sqlite_url(directory: str, name: str = 'bench') -> str:
    return 'sqlite:///' + os.path.join(directory, '%s.sqlite' % name)


def reachable(host: str, port: int) -> bool:
    try:
        socket.create_connection((host, port), 2).close()
        return True
    except OSError:
        return False


def postgres_available() -> bool:
    return reachable(PG_HOST, 5432)


def rabbit_available() -> bool:
    return reachable('127.0.0.1', 5672)


@contextlib.contextmanager
def postgres_database():
    """A fresh PostgreSQL database, dropped afterwards."""
    import psycopg
    admin = psycopg.connect(host=PG_HOST, user='postgres', dbname='postgres',
                            autocommit=True, connect_timeout=5)
    name = 'migrator_bench_%s' % uuid.uuid4().hex[:12]
    admin.execute('CREATE DATABASE %s' % name)
    try:
        yield 'postgresql+psycopg://postgres@%s:5432/%s' % (PG_HOST, name)
    finally:
        admin.execute('DROP DATABASE IF EXISTS %s WITH (FORCE)' % name)
        admin.close()


@contextlib.contextmanager
def database(kind: str, directory: str, name: str = 'bench'):
    """The URL of a fresh database of ``kind`` ('sqlite' or 'postgresql')."""
    if kind == 'sqlite':
        yield sqlite_url(directory, name)
    else:
        with postgres_database() as url:
            yield url
