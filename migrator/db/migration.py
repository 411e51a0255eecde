"""Schema management with alembic (``migrator-manage db sync``)."""

import os

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext

_MIGRATIONS = os.path.join(os.path.dirname(__file__), 'migrations')


def _alembic_config(connection=None) -> Config:
    config = Config(os.path.join(_MIGRATIONS, 'alembic.ini'))
    config.set_main_option('script_location', _MIGRATIONS)
    config.attributes['connection'] = connection
    return config


def db_sync(engine: sa.Engine, revision: str = 'head') -> None:
    """Upgrade the schema to ``revision`` (idempotent)."""
    with engine.begin() as connection:
        command.upgrade(_alembic_config(connection), revision)


def db_version(engine: sa.Engine) -> str | None:
    """The revision the database is at, or None before the first sync."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
