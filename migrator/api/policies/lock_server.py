"""Locking a server against changes by its own project."""

from migrator.api.policies import base

PREFIX = 'os_compute_api:os-lock-server:%s'

LOCK = PREFIX % 'lock'
UNLOCK = PREFIX % 'unlock'
UNLOCK_OVERRIDE = PREFIX % 'unlock:unlock_override'

_ACTION = '/servers/{server_id}/action (%s)'

rules = [
    base.rule(LOCK, base.PROJECT_MEMBER_OR_ADMIN,
              'Lock a server: a change, so members of its project, not '
              'readers.', [('POST', _ACTION % 'lock')],
              base.deprecated(LOCK, base.LEGACY_ADMIN_OR_OWNER)),
    base.rule(UNLOCK, base.PROJECT_MEMBER_OR_ADMIN,
              'Unlock a server: members of its project, not readers.',
              [('POST', _ACTION % 'unlock')],
              base.deprecated(UNLOCK, base.LEGACY_ADMIN_OR_OWNER)),
    base.rule(UNLOCK_OVERRIDE, base.ADMIN,
              'Unlock a server that the other side locked (an administrator '
              "the project's lock, or the project an administrator's); "
              'checked after %s. Administrators only, so a lock an '
              'administrator set holds against the project.' % UNLOCK,
              [('POST', _ACTION % 'unlock')],
              base.deprecated(UNLOCK_OVERRIDE, base.LEGACY_ADMIN)),
]
