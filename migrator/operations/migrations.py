"""The record of moves: listing them, as os-migrations does."""

from __future__ import annotations

import dataclasses

import sqlalchemy as sa

from migrator.db import models


@dataclasses.dataclass(frozen=True)
class MigrationFilters:
    host: str | None = None
    status: str | None = None
    instance_uuid: str | None = None
    source_compute: str | None = None
    migration_type: str | None = None
    project_id: str | None = None
    hidden: bool = False


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
        stmt = stmt.where(m.hidden.is_(filters.hidden))
        return self.db.read(lambda s: list(s.scalars(stmt)))
