"""Instance rows: the look-ups every layer shares."""

import sqlalchemy as sa
from sqlalchemy import orm

from migrator.db import models


def get(session: orm.Session, instance_uuid: str,
        lock: bool = False) -> models.Instance | None:
    """The instance, or None; ``lock`` holds its row until commit."""
    stmt = sa.select(models.Instance).where(models.Instance.uuid == instance_uuid)
    return session.scalar(stmt.with_for_update() if lock else stmt)


def group_of(session: orm.Session, instance_uuid: str) -> str | None:
    """The uuid of the server group the instance belongs to, if any."""
    return session.scalar(
        sa.select(models.ServerGroup.uuid)
        .join(models.ServerGroupMember,
              models.ServerGroupMember.group_id == models.ServerGroup.id)
        .where(models.ServerGroupMember.instance_uuid == instance_uuid))
