"""Compute node rows: a host's inventory and running usage."""

import sqlalchemy as sa
from sqlalchemy import orm

from migrator.db import models

_EXISTS = sa.select(models.ComputeNode.id).where(
    models.ComputeNode.host == sa.bindparam('b_host'))


def exists(session: orm.Session, host: str) -> bool:
    return session.connection().execute(_EXISTS, {'b_host': host}).first() is not None
