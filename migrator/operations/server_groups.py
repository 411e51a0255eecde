"""Server groups: affinity and anti-affinity."""

from __future__ import annotations

import sqlalchemy as sa
from oslo_utils import uuidutils

from migrator import exception
from migrator.db import models


def _load(session, ctx, group_id: str) -> models.ServerGroup:
    """The group if ``ctx`` may see it; another project's is a 404."""
    group = None
    if uuidutils.is_uuid_like(group_id):
        group = session.scalar(sa.select(models.ServerGroup)
                               .where(models.ServerGroup.uuid == group_id))
    if group is None or (not ctx.is_admin and group.project_id != ctx.project_id):
        raise exception.ServerGroupNotFound(group_id=group_id)
    return group


class ServerGroups:
    def __init__(self, db):
        self.db = db

    def list(self, project_id: str | None, offset: int,
             limit: int) -> list[models.ServerGroup]:
        """``project_id`` None: every project's."""
        stmt = sa.select(models.ServerGroup).order_by(models.ServerGroup.id)
        if project_id is not None:
            stmt = stmt.where(models.ServerGroup.project_id == project_id)
        stmt = stmt.offset(offset).limit(limit)
        return self.db.read(lambda s: list(s.scalars(stmt)))

    def get(self, ctx, group_id: str) -> models.ServerGroup:
        return self.db.read(_load, ctx, group_id)

    def create(self, ctx, name: str, policy: str) -> models.ServerGroup:
        def create(session):
            group = models.ServerGroup(uuid=uuidutils.generate_uuid(), name=name,
                                       policy=policy, project_id=ctx.project_id,
                                       user_id=ctx.user_id, members=[])
            session.add(group)
            session.flush()
            return group
        return self.db.write(create)

    def delete(self, ctx, group_id: str) -> None:
        self.db.write(lambda session: session.delete(_load(session, ctx, group_id)))
