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
    # Only moves under way: not ended, nor waiting for their confirm.
    in_progress: bool = False
    # True: only moves that ended (confirmed, reverted, error, cancelled);
    # False: only those that did not, a move waiting for its confirm among
    # them; None: both.
    ended: bool | None = None


class Migrations:
    def __init__(self, db):
        self.db = db

    def list(self, filters: MigrationFilters, limit: int | None = None,
             marker: str | None = None) -> list[models.Migration]:
        """Newest first; at most ``limit`` of them, those after the move
        ``marker`` names when given (an unknown one is ``Invalid``)."""
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
        if filters.ended is not None:
            # Moves not ended are few, and the status index finds them. Those
            # that ended are nearly every record: read newest first along the
            # order's index, the page stops after ``limit`` of them (a list
            # of their statuses would have SQLite sort them all by time).
            not_ended = m.status.in_(states.MIGRATION_NOT_ENDED)
            stmt = stmt.where(~not_ended if filters.ended else not_ended)
        if limit is not None:
            stmt = stmt.limit(limit)

        def page(session):
            found = stmt
            if marker is not None:
                # The marker need not pass the filters (the page goes on
                # from its place in the order, as Nova's lists do), but it
                # must be a move the caller may list: another project's is
                # as unknown as a uuid no move has.
                where = sa.select(m.created_at, m.id).where(m.uuid == marker)
                if filters.project_id is not None:
                    where = where.where(m.project_id == filters.project_id)
                after = session.execute(where).first()
                if after is None:
                    raise exception.Invalid('marker [%s] not found' % marker)
                found = found.where(sa.or_(
                    m.created_at < after.created_at,
                    sa.and_(m.created_at == after.created_at, m.id < after.id)))
            return list(session.scalars(found))
        return self.db.read(page)

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
