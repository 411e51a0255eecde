"""Instance actions: what happened to a server, request by request."""

from __future__ import annotations

import sqlalchemy as sa

from migrator import exception
from migrator.db import models


class InstanceActions:
    def __init__(self, db):
        self.db = db

    def list(self, instance) -> list[models.InstanceAction]:
        """Newest first."""
        return self.db.read(lambda s: list(s.scalars(
            sa.select(models.InstanceAction)
            .where(models.InstanceAction.instance_uuid == instance.uuid)
            .order_by(models.InstanceAction.id.desc()))))

    def get(self, instance, request_id: str) -> models.InstanceAction:
        """The action of ``request_id`` with its events (loaded)."""
        action = self.db.read(lambda s: s.scalar(
            sa.select(models.InstanceAction)
            .where(models.InstanceAction.instance_uuid == instance.uuid,
                   models.InstanceAction.request_id == request_id)
            .order_by(models.InstanceAction.id.desc()).limit(1)))
        if action is None:
            raise exception.InstanceActionNotFound(request_id=request_id,
                                                   instance_id=instance.uuid)
        return action
