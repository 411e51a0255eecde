"""Alembic environment: run with a connection handed over by migrator.db.migration."""

from alembic import context

from migrator.db import models

target_metadata = models.Base.metadata


def run_migrations_online() -> None:
    connection = context.config.attributes.get('connection')
    if connection is None:
        raise RuntimeError('run migrations through "migrator-manage db sync"')
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=connection.dialect.name == 'sqlite')
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
