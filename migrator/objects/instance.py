"""Instance rows: the look-ups every layer shares."""

import sqlalchemy as sa
from sqlalchemy import orm

from migrator.db import models

# Built once: these run on nearly every request and step, and building a
# statement costs more than SQLite takes to run it.
_GET = sa.select(models.Instance).where(
    models.Instance.uuid == sa.bindparam('b_uuid'))
_GET_LOCKED = _GET.with_for_update()
# Every column, labelled with the model's attribute names: a row read
# with these reads like the mapped object (``metadata_`` and all).
COLUMNS = [column.label(key) for key, column in
           models.Instance.__mapper__.columns.items()]
_ROW = sa.select(*COLUMNS).where(models.Instance.uuid == sa.bindparam('b_uuid'))
_GROUP_OF = (sa.select(models.ServerGroup.uuid)
             .join(models.ServerGroupMember,
                   models.ServerGroupMember.group_id == models.ServerGroup.id)
             .where(models.ServerGroupMember.instance_uuid
                    == sa.bindparam('b_uuid')))


def get(session: orm.Session, instance_uuid: str,
        lock: bool = False) -> models.Instance | None:
    """The instance, or None; ``lock`` holds its row until commit."""
    return session.scalar(_GET_LOCKED if lock else _GET, {'b_uuid': instance_uuid})


def row(session, instance_uuid: str):
    """The instance as a row with the model's attribute names, or None: to
    read, not change (loading a mapped object cost more than the
    statement). Takes a session or a ``Rows`` (``Database.read_rows``)."""
    return session.connection().execute(_ROW, {'b_uuid': instance_uuid}).first()


def group_of(session: orm.Session, instance_uuid: str) -> str | None:
    """The uuid of the server group the instance belongs to, if any."""
    return session.connection().execute(_GROUP_OF,
                                        {'b_uuid': instance_uuid}).scalar()
