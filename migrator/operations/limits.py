"""What a project uses, for Nova's ``GET /limits``.

migrator enforces no quotas: every limit is unlimited (``-1``, as Nova
shows an unlimited quota), and the usage is counted from the project's
servers and server groups.
"""

import dataclasses

import sqlalchemy as sa

from migrator.db import models


@dataclasses.dataclass(frozen=True)
class Usage:
    instances: int
    cores: int
    ram_mb: int
    server_groups: int


class Limits:
    def __init__(self, db):
        self.db = db

    def usage(self, project_id: str) -> Usage:
        def run(session):
            flavors = session.scalars(sa.select(models.Instance.flavor).where(
                models.Instance.project_id == project_id)).all()
            groups = session.scalar(sa.select(sa.func.count(models.ServerGroup.id))
                                    .where(models.ServerGroup.project_id == project_id))
            return flavors, groups
        flavors, groups = self.db.read(run)
        return Usage(instances=len(flavors),
                     cores=sum(int(f.get('vcpus', 0)) for f in flavors),
                     ram_mb=sum(int(f.get('memory_mb', 0)) for f in flavors),
                     server_groups=groups or 0)
