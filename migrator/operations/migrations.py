"""The record of moves: listing them, as os-migrations does."""

from __future__ import annotations

import dataclasses

import sqlalchemy as sa
from oslo_utils import uuidutils

from migrator import exception
from migrator.compute import states
from migrator.db import models


@dataclasses.dataclass(frozen=True)
class MigrationFilters:
    host: str | None = None
    status: str | None = None
    instance_uuid: str | None = None
    source_compute: str | None = None
    migration_type: str | None = None
    project_id: str | None = None
    hidden: bool | None = False  # None: hidden or not
    in_progress: bool = False  # only moves not yet ended


class Migrations:
    def __init__(self, db):
        self.db = db

    def list(self, filters: MigrationFilters) -> list[models.Migration]:
        """Newest first."""
        m = models.Migration
        stmt = sa.select(m).order_by(m.created_at.desc(), m.id.desc())
        if filters.host is not None:
            stmt = stmt.where(sa.or_(m.source_compute == filters.host,
                                     m.dest_compute == filters.host))
        for key in ('status', 'instance_uuid', 'source_compute', 'migration_type',
                    'project_id'):
            value = getattr(filters, key)
            if value is not None:
                stmt = stmt.where(getattr(m, key) == value)
        if filters.hidden is not None:
            stmt = stmt.where(m.hidden.is_(filters.hidden))
        if filters.in_progress:
            stmt = stmt.where(m.status.in_(states.MIGRATION_IN_PROGRESS))
        return self.db.read(lambda s: list(s.scalars(stmt)))

    def get(self, ctx, migration_uuid: str) -> models.Migration:
        """The move if ``ctx`` may see it; another project's is a 404."""
        migration = None
        if uuidutils.is_uuid_like(migration_uuid):
            migration = self.db.read(lambda s: s.scalar(
                sa.select(models.Migration)
                .where(models.Migration.uuid == migration_uuid)))
        if migration is None or (not ctx.is_admin
                                 and migration.project_id != ctx.project_id):
            raise exception.MigrationNotFound(migration_id=migration_uuid)
        return migration
