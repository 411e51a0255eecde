"""os-migrations: every move in the cloud.

Nova splits the list in three: the project manager may list its own
project's moves (``?project_id=<its project>``) without hosts; listing
another project's or every project's moves, and seeing hosts, is for
administrators.
"""

from migrator.api.policies import base

PREFIX = 'os_compute_api:os-migrations:%s'

INDEX = PREFIX % 'index'
INDEX_ALL_PROJECTS = PREFIX % 'index:all_projects'
INDEX_HOST = PREFIX % 'index:host'

_LIST = [('GET', '/os-migrations')]
# Where a deployment overrode the single old rule, the override also
# decides the two rules split from it.
_SPLIT_REASON = (
    'os_compute_api:os-migrations:index used to allow all of the list; '
    'listing other projects and seeing hosts are now separate rules. A '
    'policy file that overrides the old rule keeps deciding them too until '
    'it names the new rules')

rules = [
    base.rule(INDEX, base.PROJECT_MANAGER_OR_ADMIN,
              "List moves of the caller's project (?project_id=<project>), "
              'hosts left out: the project manager, who may move servers, '
              'follows the moves.', _LIST,
              base.deprecated(INDEX, base.LEGACY_ADMIN)),
    base.rule(INDEX_ALL_PROJECTS, base.ADMIN,
              'List moves of every project, or of a project other than the '
              "caller's (no project_id, or another one); checked after %s. "
              'Crosses projects: administrators only.' % INDEX, _LIST,
              base.deprecated(INDEX, base.LEGACY_ADMIN, _SPLIT_REASON)),
    base.rule(INDEX_HOST, base.ADMIN,
              'See the hosts of listed moves (source and destination '
              "compute and node, and migrator's requested host, forced-past "
              'filter verdicts and error reason, which name hosts); without '
              'it they are null. Hosts are for administrators.', _LIST,
              base.deprecated(INDEX, base.LEGACY_ADMIN, _SPLIT_REASON)),
]
