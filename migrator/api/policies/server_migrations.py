"""The moves of one server (servers/{id}/migrations): list, show, abort.

As in Nova, the project manager may follow and abort its servers' moves
without learning the hosts; the hosts are for the administrator.
"""

from migrator.api.policies import base

PREFIX = 'os_compute_api:servers:migrations:%s'

INDEX = PREFIX % 'index'
INDEX_HOST = PREFIX % 'index:host'
SHOW = PREFIX % 'show'
DELETE = PREFIX % 'delete'

_MIGRATIONS = '/servers/{server_id}/migrations'

rules = [
    base.rule(INDEX, base.PROJECT_MANAGER_OR_ADMIN,
              "List a server's moves in progress, without hosts: the project "
              'manager, who may move servers, follows its moves.',
              [('GET', _MIGRATIONS)]),
    base.rule(INDEX_HOST, base.ADMIN,
              "Include the source and destination hosts in a server's list "
              'of moves: hosts are for administrators.',
              [('GET', _MIGRATIONS)]),
    base.rule(SHOW, base.ADMIN,
              'Show one move of a server, with its hosts: administrators '
              'only.', [('GET', _MIGRATIONS + '/{migration_id}')]),
    base.rule(DELETE, base.PROJECT_MANAGER_OR_ADMIN,
              'Abort a move in progress: the project manager, who may start '
              'a move, may also stop it.',
              [('DELETE', _MIGRATIONS + '/{migration_id}')]),
]
