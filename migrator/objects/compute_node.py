"""Compute node rows: a host's inventory and running usage."""

import sqlalchemy as sa
from sqlalchemy import orm

from migrator.db import models


def exists(session: orm.Session, host: str) -> bool:
    return session.scalar(sa.select(models.ComputeNode.id)
                          .where(models.ComputeNode.host == host)) is not None
