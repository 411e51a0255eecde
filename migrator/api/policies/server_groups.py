"""os-server-groups: affinity and anti-affinity groups of a project."""

from migrator.api.policies import base

PREFIX = 'os_compute_api:os-server-groups:%s'

INDEX = PREFIX % 'index'
INDEX_ALL_PROJECTS = PREFIX % 'index:all_projects'
CREATE = PREFIX % 'create'
SHOW = PREFIX % 'show'
DELETE = PREFIX % 'delete'

_GROUP = '/os-server-groups/{server_group_id}'


def _owner(name):
    return base.deprecated(name, base.LEGACY_ADMIN_OR_OWNER)


rules = [
    base.rule(INDEX, base.PROJECT_READER_OR_ADMIN,
              "List the caller's project's server groups. A read: open to "
              'readers.', [('GET', '/os-server-groups')], _owner(INDEX)),
    base.rule(INDEX_ALL_PROJECTS, base.ADMIN,
              'List the server groups of every project (all_projects): '
              'crosses projects, so administrators only.',
              [('GET', '/os-server-groups')],
              base.deprecated(INDEX_ALL_PROJECTS, base.LEGACY_ADMIN)),
    base.rule(CREATE, base.PROJECT_MEMBER_OR_ADMIN,
              "Create a server group in the caller's project: a change, so "
              'members, not readers.', [('POST', '/os-server-groups')],
              _owner(CREATE)),
    base.rule(SHOW, base.PROJECT_READER_OR_ADMIN,
              'Show a server group: readers of its project.', [('GET', _GROUP)],
              _owner(SHOW)),
    base.rule(DELETE, base.PROJECT_MEMBER_OR_ADMIN,
              'Delete a server group: members of its project, not readers.',
              [('DELETE', _GROUP)], _owner(DELETE)),
]
