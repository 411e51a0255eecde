"""Instance faults: why a server is in ERROR, or why its last move failed."""

import traceback as traceback_mod

from migrator import exception
from migrator.db import models


def add_fault(session, instance_uuid: str, error: BaseException,
              host: str | None) -> None:
    code = error.code if isinstance(error, exception.MigratorException) else 500
    message = exception.describe(error)
    details = ''.join(traceback_mod.format_exception(error))
    session.add(models.InstanceFault(instance_uuid=instance_uuid, code=code,
                                     message=message[:4000], details=details,
                                     host=host))
