"""migrator:drains: emptying a host for maintenance (/migrator/drains).

A drain disables a host and moves every server on it, whatever its
project: administrators only, like disabling a service and naming hosts.
"""

from migrator.api.policies import base

PREFIX = 'migrator:drains:%s'

INDEX = PREFIX % 'index'
CREATE = PREFIX % 'create'
SHOW = PREFIX % 'show'
DELETE = PREFIX % 'delete'

_DRAIN = '/migrator/drains/{drain_id}'

rules = [
    base.rule(INDEX, base.ADMIN, 'List drains and their state.',
              [('GET', '/migrator/drains')]),
    base.rule(CREATE, base.ADMIN,
              "Start a drain: disable a host and move every project's servers "
              'off it.', [('POST', '/migrator/drains')]),
    base.rule(SHOW, base.ADMIN,
              'Show a drain: its host, each server, where it went or why it '
              'could not.', [('GET', _DRAIN)]),
    base.rule(DELETE, base.ADMIN,
              'Cancel a drain: no new move starts; moves under way finish, '
              'or are aborted with abort_moves.',
              [('DELETE', _DRAIN)]),
]
