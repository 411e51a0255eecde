"""os-aggregates: groups of hosts, their metadata and availability zone.
They name and arrange hosts: administrators only."""

from migrator.api.policies import base

PREFIX = 'os_compute_api:os-aggregates:%s'

INDEX = PREFIX % 'index'
CREATE = PREFIX % 'create'
SHOW = PREFIX % 'show'
UPDATE = PREFIX % 'update'
DELETE = PREFIX % 'delete'
ADD_HOST = PREFIX % 'add_host'
REMOVE_HOST = PREFIX % 'remove_host'
SET_METADATA = PREFIX % 'set_metadata'

# The rule of each action of POST /os-aggregates/{aggregate_id}/action.
ACTIONS = {'add_host': ADD_HOST, 'remove_host': REMOVE_HOST,
           'set_metadata': SET_METADATA}

_AGGREGATE = '/os-aggregates/{aggregate_id}'
_ACTION = _AGGREGATE + '/action (%s)'


def _rule(name, description, method, path):
    return base.rule(name, base.ADMIN, description, [(method, path)],
                     base.deprecated(name, base.LEGACY_ADMIN))


rules = [
    _rule(INDEX, 'List aggregates.', 'GET', '/os-aggregates'),
    _rule(CREATE, 'Create an aggregate.', 'POST', '/os-aggregates'),
    _rule(SHOW, 'Show an aggregate.', 'GET', _AGGREGATE),
    _rule(UPDATE, 'Rename an aggregate or change its zone.', 'PUT', _AGGREGATE),
    _rule(DELETE, 'Delete an aggregate.', 'DELETE', _AGGREGATE),
    _rule(ADD_HOST, 'Add a host to an aggregate.', 'POST', _ACTION % 'add_host'),
    _rule(REMOVE_HOST, 'Remove a host from an aggregate.', 'POST',
          _ACTION % 'remove_host'),
    _rule(SET_METADATA, 'Set aggregate metadata.', 'POST',
          _ACTION % 'set_metadata'),
]
