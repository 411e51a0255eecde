"""Instance rows: the look-ups every layer shares."""

import sqlalchemy as sa
from sqlalchemy import orm

from migrator.db import models

# Built once: these run on nearly every request and step, and building a
# statement costs more than SQLite takes to run it.
_GET = sa.select(models.Instance).where(
    models.Instance.uuid == sa.bindparam('b_uuid'))
_GET_LOCKED = _GET.with_for_update()
_GROUP_OF = (sa.select(models.ServerGroup.uuid)
             .join(models.ServerGroupMember,
                   models.ServerGroupMember.group_id == models.ServerGroup.id)
             .where(models.ServerGroupMember.instance_uuid
                    == sa.bindparam('b_uuid')))


def get(session: orm.Session, instance_uuid: str,
        lock: bool = False) -> models.Instance | None:
    """The instance, or None; ``lock`` holds its row until commit."""
    return session.scalar(_GET_LOCKED if lock else _GET, {'b_uuid': instance_uuid})


def group_of(session: orm.Session, instance_uuid: str) -> str | None:
    """The uuid of the server group the instance belongs to, if any."""
    return session.connection().execute(_GROUP_OF,
                                        {'b_uuid': instance_uuid}).scalar()
