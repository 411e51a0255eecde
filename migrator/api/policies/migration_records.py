"""migrator:migrations: the full record of a move (/migrator/migrations):
requested host, forced or not, the filters a forced move skipped and why,
phase times, progress, error reason.

Consistent with Nova's os-migrations: the project manager, who may move
the project's servers, may follow their moves, with every host left out;
the project's readers see that a move happened and how it ended through
os-instance-actions. Hosts and other projects' moves are for
administrators.
"""

from migrator.api.policies import base

PREFIX = 'migrator:migrations:%s'

INDEX = PREFIX % 'index'
INDEX_ALL_PROJECTS = PREFIX % 'index:all_projects'
INDEX_HOST = PREFIX % 'index:host'
SHOW = PREFIX % 'show'
SHOW_HOST = PREFIX % 'show:host'

_LIST = [('GET', '/migrator/migrations')]
_ITEM = [('GET', '/migrator/migrations/{migration_id}')]
_HOST_FIELDS = ('the source, destination and requested hosts, the verdicts '
                'of the filters a forced move skipped (they give host '
                'capacity) and error reasons (they name hosts)')

rules = [
    base.rule(INDEX, base.PROJECT_MANAGER_OR_ADMIN,
              "List the moves of the caller's project, hosts left out: the "
              'project manager, who may move its servers, follows the '
              'moves.', _LIST),
    base.rule(INDEX_ALL_PROJECTS, base.ADMIN,
              'List the moves of every project, or of a project other than '
              "the caller's; checked after %s. Crosses projects: "
              'administrators only.' % INDEX, _LIST),
    base.rule(INDEX_HOST, base.ADMIN,
              'Include in listed moves %s. Hosts are for administrators, as '
              'in Nova.' % _HOST_FIELDS, _LIST),
    base.rule(SHOW, base.PROJECT_MANAGER_OR_ADMIN,
              "Show the record of one move of the project's servers, hosts "
              'left out: the project manager.', _ITEM),
    base.rule(SHOW_HOST, base.ADMIN,
              'Include in the record %s. Hosts are for administrators, as in '
              'Nova.' % _HOST_FIELDS, _ITEM),
]
