"""Servers: the project's own machines. Readers list and show them,
members create, change, power and delete them; what they run on (the host)
stays with the administrator."""

from migrator.api.policies import base

PREFIX = 'os_compute_api:servers:%s'

INDEX = PREFIX % 'index'
DETAIL = PREFIX % 'detail'
INDEX_ALL_TENANTS = PREFIX % 'index:get_all_tenants'
DETAIL_ALL_TENANTS = PREFIX % 'detail:get_all_tenants'
ALLOW_ALL_FILTERS = PREFIX % 'allow_all_filters'
SHOW = PREFIX % 'show'
SHOW_HOST_STATUS = PREFIX % 'show:host_status'
SHOW_HOST_STATUS_UNKNOWN_ONLY = PREFIX % 'show:host_status:unknown-only'
CREATE = PREFIX % 'create'
DELETE = PREFIX % 'delete'
UPDATE = PREFIX % 'update'
START = PREFIX % 'start'
STOP = PREFIX % 'stop'
REBOOT = PREFIX % 'reboot'
CONFIRM_RESIZE = PREFIX % 'confirm_resize'
REVERT_RESIZE = PREFIX % 'revert_resize'

_SERVER = '/servers/{server_id}'
_ACTION = _SERVER + '/action (%s)'
_VIEWS = [('GET', _SERVER), ('GET', '/servers/detail')]


def _owner(name):
    return base.deprecated(name, base.LEGACY_ADMIN_OR_OWNER)


def _admin(name):
    return base.deprecated(name, base.LEGACY_ADMIN)


rules = [
    base.rule(INDEX, base.PROJECT_READER_OR_ADMIN,
              "List the caller's project's servers. A read: open to the "
              "project's readers.", [('GET', '/servers')], _owner(INDEX)),
    base.rule(DETAIL, base.PROJECT_READER_OR_ADMIN,
              "List the caller's project's servers with details. A read: "
              "open to the project's readers.", [('GET', '/servers/detail')],
              _owner(DETAIL)),
    base.rule(INDEX_ALL_TENANTS, base.ADMIN,
              'List the servers of every project (all_tenants): crosses '
              'projects, so administrators only.', [('GET', '/servers')],
              _admin(INDEX_ALL_TENANTS)),
    base.rule(DETAIL_ALL_TENANTS, base.ADMIN,
              'List the servers of every project with details (all_tenants): '
              'crosses projects, so administrators only.',
              [('GET', '/servers/detail')], _admin(DETAIL_ALL_TENANTS)),
    base.rule(ALLOW_ALL_FILTERS, base.ADMIN,
              'Filter server lists by every field, including the host; '
              'without it the filters that reveal placement (host) are '
              'ignored.', [('GET', '/servers'), ('GET', '/servers/detail')]),
    base.rule(SHOW, base.PROJECT_READER_OR_ADMIN,
              'Show a server. A read: open to the readers of its project.',
              [('GET', _SERVER)], _owner(SHOW)),
    base.rule(SHOW_HOST_STATUS, base.ADMIN,
              'Show host_status (UP, DOWN, MAINTENANCE, UNKNOWN) in server '
              'views from 2.16: it tells the state of a host, so '
              'administrators only.', _VIEWS, _admin(SHOW_HOST_STATUS)),
    base.rule(SHOW_HOST_STATUS_UNKNOWN_ONLY, base.ADMIN,
              'Show host_status only when it is UNKNOWN; checked when '
              '%s refuses. A deployer may open it to let users see that '
              'their server is unreachable without learning anything else '
              'about the host.' % SHOW_HOST_STATUS, _VIEWS),
    base.rule(CREATE, base.PROJECT_MEMBER_OR_ADMIN,
              "Create servers in the caller's project: a change, so members, "
              'not readers.', [('POST', '/servers')], _owner(CREATE)),
    base.rule(DELETE, base.PROJECT_MEMBER_OR_ADMIN,
              'Delete a server: members of its project, not readers.',
              [('DELETE', _SERVER)], _owner(DELETE)),
    base.rule(UPDATE, base.PROJECT_MEMBER_OR_ADMIN,
              'Rename a server or change its description: members of its '
              'project, not readers.', [('PUT', _SERVER)]),
    base.rule(START, base.PROJECT_MEMBER_OR_ADMIN,
              'Start a stopped server: members of its project, not readers.',
              [('POST', _ACTION % 'os-start')], _owner(START)),
    base.rule(STOP, base.PROJECT_MEMBER_OR_ADMIN,
              'Stop a server: members of its project, not readers.',
              [('POST', _ACTION % 'os-stop')], _owner(STOP)),
    base.rule(REBOOT, base.PROJECT_MEMBER_OR_ADMIN,
              'Reboot a server: members of its project, not readers.',
              [('POST', _ACTION % 'reboot')]),
    base.rule(CONFIRM_RESIZE, base.PROJECT_MEMBER_OR_ADMIN,
              'Confirm a cold migration or resize (the server stays where it '
              'went): members of its project, not readers.',
              [('POST', _ACTION % 'confirmResize')], _owner(CONFIRM_RESIZE)),
    base.rule(REVERT_RESIZE, base.PROJECT_MEMBER_OR_ADMIN,
              'Revert a cold migration or resize (the server goes back): '
              'members of its project, not readers.',
              [('POST', _ACTION % 'revertResize')], _owner(REVERT_RESIZE)),
]
