"""servers/{id}/os-instance-actions: what happened to a server, step by
step. Readers of the server's project see the actions and (from 2.51) the
events; where they ran and why they failed in detail is for
administrators."""

from migrator.api.policies import base

PREFIX = 'os_compute_api:os-instance-actions:%s'

LIST = PREFIX % 'list'
SHOW = PREFIX % 'show'
EVENTS = PREFIX % 'events'
EVENTS_DETAILS = PREFIX % 'events:details'

_ACTIONS = '/servers/{server_id}/os-instance-actions'
_ACTION = _ACTIONS + '/{request_id}'
_DETAILED = '/migrator/servers/{server_id}/actions/{request_id}'

rules = [
    base.rule(LIST, base.PROJECT_READER_OR_ADMIN,
              'List the actions of a server: readers of its project.',
              [('GET', _ACTIONS)],
              base.deprecated(LIST, base.LEGACY_ADMIN_OR_OWNER)),
    base.rule(SHOW, base.PROJECT_READER_OR_ADMIN,
              'Show an action of a server: readers of its project.',
              [('GET', _ACTION)],
              base.deprecated(SHOW, base.LEGACY_ADMIN_OR_OWNER)),
    base.rule(EVENTS, base.ADMIN,
              'See the events of an action before 2.51, and at every '
              "version each event's traceback; checked after %s. "
              'Tracebacks describe the deployment: administrators only.' % SHOW,
              [('GET', _ACTION), ('GET', _DETAILED)],
              base.deprecated(EVENTS, base.LEGACY_ADMIN)),
    base.rule(EVENTS_DETAILS, base.ADMIN,
              "See each event's host and details (the scheduler's verdicts, "
              "hosts and numbers of a move) in migrator's own API; checked "
              'after %s. They describe hosts: administrators only.' % SHOW,
              [('GET', _DETAILED)]),
]
