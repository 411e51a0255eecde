"""Engine, sessions and transactions.

A ``Database`` is built once per process from the config and handed to the
objects that need it. ``writer()`` opens a transaction that takes the write
lock up front on SQLite (``BEGIN IMMEDIATE``); ``reader()`` opens a plain
one. ``write`` and ``read`` run a function in one of them and retry it
whole on deadlocks and lost connections, on every backend.
"""

import contextlib
import logging
import os
import random
import threading
import time
from collections.abc import Callable, Iterator
from typing import TypeVar

import sqlalchemy as sa
from sqlalchemy import event, exc, orm

from migrator.common import fastjson

LOG = logging.getLogger(__name__)
T = TypeVar('T')

_RETRYABLE_MARKERS = ('deadlock', 'database is locked', 'lock wait timeout',
                      'could not serialize', 'server closed the connection',
                      'lost connection', 'gone away', 'connection refused',
                      'terminating connection')


def default_connection(conf) -> str:
    if conf.database.connection:
        return conf.database.connection
    os.makedirs(conf.state_path, exist_ok=True)
    return 'sqlite:///' + os.path.join(conf.state_path, 'migrator.sqlite')


def _configure_sqlite(engine: sa.Engine) -> None:
    # pysqlite's own transaction handling would defer BEGIN; take it over so
    # writers can ask for the write lock before they read what they will change.
    @event.listens_for(engine, 'connect')
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute('PRAGMA foreign_keys=ON')
        if engine.url.database not in (None, '', ':memory:'):
            cursor.execute('PRAGMA journal_mode=WAL')
            cursor.execute('PRAGMA synchronous=NORMAL')
        cursor.close()


def _begin_on_sqlite(connection) -> None:
    """SQLAlchemy's recipe for pysqlite: BEGIN when a transaction begins."""
    connection.exec_driver_sql('BEGIN')


def is_retryable(error: BaseException) -> bool:
    """A deadlock, lock timeout or lost connection: the whole txn can rerun."""
    if isinstance(error, exc.DBAPIError):
        if error.connection_invalidated:
            return True
        text = str(error.orig).lower()
        return any(marker in text for marker in _RETRYABLE_MARKERS)
    return False


class Rows:
    """A transaction's Core connection, handed the way a Session hands its
    own (``rows.connection()``) to a function that runs only Core
    statements: such a function runs under ``read_rows``/``write_rows``
    as well as under ``read``/``write``."""

    __slots__ = ('_connection',)

    def __init__(self, connection: sa.Connection):
        self._connection = connection

    def connection(self) -> sa.Connection:
        return self._connection


class Database:
    """One engine and the two kinds of session a service needs."""

    def __init__(self, url: str, *, pool_size: int = 10, max_overflow: int = 20,
                 sqlite_busy_timeout: int = 30, max_retries: int = 5):
        self.url = sa.engine.make_url(url)
        kwargs: dict = {'future': True, 'json_deserializer': fastjson.loads}
        if self.url.get_backend_name() == 'sqlite':
            kwargs['connect_args'] = {'timeout': sqlite_busy_timeout,
                                      'check_same_thread': False}
        else:
            # No ping at checkout: it costs a round trip per transaction, and
            # a connection found dead under a statement is retried anyway
            # (``_retrying``), which also empties the pool of its peers.
            kwargs.update(pool_size=pool_size, max_overflow=max_overflow,
                          pool_recycle=3600)
        # The engine for anyone's own transactions (migrations, tools).
        self.engine = sa.create_engine(self.url, **kwargs)
        if self.is_sqlite:
            _configure_sqlite(self.engine)
            event.listen(self.engine, 'begin', _begin_on_sqlite)
            # This class's transactions emit their own BEGIN, on an engine
            # with no connection event: one listener makes SQLAlchemy
            # dispatch events around every statement, about 14 us each,
            # and a move runs some seventy statements.
            self._engine = sa.create_engine(self.url, **kwargs)
            _configure_sqlite(self._engine)
        else:
            self._engine = self.engine
        self.max_retries = max_retries
        # SQLite has one writer at a time. Writers of this process queue
        # here and wake the moment the lock is free; at BEGIN IMMEDIATE they
        # would sleep in SQLite's busy handler (1, 2, 5 ... 100 ms) instead.
        # Elsewhere the database's own row locks order writers: no lock here.
        self._write_lock = (threading.RLock() if self.is_sqlite
                            else contextlib.nullcontext())
        self._writer_connection: sa.Connection | None = None
        self._writing = False
        # PostgreSQL runs at READ COMMITTED, where every statement takes its
        # own snapshot, in a transaction or not: reads skip BEGIN and COMMIT
        # (two round trips). MariaDB (REPEATABLE READ) and SQLite keep the
        # snapshot a transaction gives a read of several statements.
        self._reader_engine = (self._engine.execution_options(
            isolation_level='AUTOCOMMIT')
            if self.url.get_backend_name() == 'postgresql' else self._engine)

    @classmethod
    def from_conf(cls, conf) -> 'Database':
        return cls(default_connection(conf),
                   pool_size=conf.database.max_pool_size,
                   max_overflow=conf.database.max_overflow,
                   sqlite_busy_timeout=conf.database.sqlite_busy_timeout,
                   max_retries=conf.database.db_max_retries)

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == 'sqlite'

    @contextlib.contextmanager
    def _begun(self, connection: sa.Connection,
               sqlite_begin: str) -> Iterator[sa.Connection]:
        """``connection`` in a transaction, committed when the block ends
        and rolled back when it raises. On SQLite the BEGIN is ours to send
        (``sqlite_begin``): pysqlite runs in autocommit mode here."""
        with connection.begin():
            if self.is_sqlite:
                connection.exec_driver_sql(sqlite_begin)
            yield connection

    @contextlib.contextmanager
    def _transaction(self, engine: sa.Engine, sqlite_begin: str) -> Iterator[sa.Connection]:
        """``_begun`` on a connection of ``engine``'s pool."""
        with engine.connect() as connection, self._begun(connection, sqlite_begin):
            yield connection

    @contextlib.contextmanager
    def _write_transaction(self) -> Iterator[sa.Connection]:
        """A transaction of a writer, under the write lock. SQLite has one
        writer at a time, so its writers share one connection, kept open:
        no pool checkout per transaction, and a page cache that only this
        connection's own writes change."""
        with self._write_lock:
            if not self.is_sqlite or self._writing:
                with self._transaction(self._engine, 'BEGIN IMMEDIATE') as connection:
                    yield connection
                return
            connection = self._writer_connection
            if connection is None or connection.closed or connection.invalidated:
                if connection is not None:
                    connection.close()
                connection = self._writer_connection = self._engine.connect()
            self._writing = True
            try:
                with self._begun(connection, 'BEGIN IMMEDIATE'):
                    yield connection
            finally:
                self._writing = False

    @contextlib.contextmanager
    def _session(self, connection: sa.Connection) -> Iterator[orm.Session]:
        # The session joins the connection's transaction; the transaction
        # commits or rolls back as ``_transaction`` decides.
        with orm.Session(bind=connection, expire_on_commit=False,
                         join_transaction_mode='rollback_only') as session:
            yield session
            session.commit()

    @contextlib.contextmanager
    def reader(self) -> Iterator[orm.Session]:
        with self._transaction(self._reader_engine, 'BEGIN') as connection, \
                self._session(connection) as session:
            yield session

    @contextlib.contextmanager
    def writer(self) -> Iterator[orm.Session]:
        """One transaction that holds the write lock (SQLite) from its start."""
        with self._write_transaction() as connection, \
                self._session(connection) as session:
            yield session

    @contextlib.contextmanager
    def rows_reader(self) -> Iterator[Rows]:
        """``reader`` without an ORM session, for Core statements only."""
        with self._transaction(self._reader_engine, 'BEGIN') as connection:
            yield Rows(connection)

    @contextlib.contextmanager
    def statement_reader(self) -> Iterator[Rows]:
        """A connection and no transaction of ours, for Core statements
        that need not share a snapshot: a single statement reads one on
        every backend, so BEGIN and COMMIT (two more statements on SQLite)
        would add nothing."""
        with self._reader_engine.connect() as connection:
            yield Rows(connection)

    @contextlib.contextmanager
    def rows_writer(self) -> Iterator[Rows]:
        """``writer`` without an ORM session, for Core statements only."""
        with self._write_transaction() as connection:
            yield Rows(connection)

    def write_rows(self, fn: Callable[..., T], *args, **kwargs) -> T:
        """``write`` for a function of Core statements only (it is handed
        ``Rows``): the hot path of a move, where the session itself cost
        more than some of the statements."""
        return self._retrying(self.rows_writer, fn, *args, **kwargs)

    def read_rows(self, fn: Callable[..., T], *args, **kwargs) -> T:
        """``read`` for a function of Core statements only."""
        return self._retrying(self.rows_reader, fn, *args, **kwargs)

    def read_statement(self, fn: Callable[..., T], *args, **kwargs) -> T:
        """``read_rows`` for a function of one statement (or of several
        whose answers may be read at different moments)."""
        return self._retrying(self.statement_reader, fn, *args, **kwargs)

    def write(self, fn: Callable[..., T], *args, **kwargs) -> T:
        """Run ``fn(session, *args, **kwargs)`` in a writer, retrying it whole
        on a deadlock or lost connection, so nothing is half-written."""
        return self._retrying(self.writer, fn, *args, **kwargs)

    def read(self, fn: Callable[..., T], *args, **kwargs) -> T:
        """Run ``fn(session, *args, **kwargs)`` in a reader, retried the same
        way: a connection lost under a query is not the caller's error."""
        return self._retrying(self.reader, fn, *args, **kwargs)

    def _retrying(self, transaction, fn, *args, **kwargs):
        attempt = 0
        while True:
            try:
                with transaction() as session:
                    return fn(session, *args, **kwargs)
            except exc.DBAPIError as error:
                attempt += 1
                if attempt > self.max_retries or not is_retryable(error):
                    raise
                delay = min(0.05 * 2 ** attempt, 1.0) * random.uniform(0.5, 1.5)
                LOG.warning('Retrying %s after %s (attempt %d)',
                            getattr(fn, '__name__', fn), error.orig, attempt)
                time.sleep(delay)

    def dispose(self) -> None:
        with self._write_lock:
            if self._writer_connection is not None:
                self._writer_connection.close()
                self._writer_connection = None
        self.engine.dispose()
        self._engine.dispose()

