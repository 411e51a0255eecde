"""os-aggregates: group hosts, give them metadata and an availability zone."""

import falcon

from migrator import exception
from migrator.api import common
from migrator.api import microversion as mv
from migrator.api.policies import aggregates as aggregate_policies
from migrator.operations.aggregates import AZ_KEY


def _serialize(req, aggregate, with_members: bool = True) -> dict:
    """Nova's aggregate view; the create response has no hosts or metadata."""
    metadata = {m.key: m.value for m in aggregate.metadata_items}
    body = {
        'id': aggregate.id, 'name': aggregate.name,
        'availability_zone': metadata.get(AZ_KEY),
        'created_at': common.isotime_micro(aggregate.created_at),
        'updated_at': common.isotime_micro(aggregate.updated_at),
        'deleted': False, 'deleted_at': None,
    }
    if with_members:
        body['hosts'] = sorted(h.host for h in aggregate.hosts)
        body['metadata'] = metadata
    if common.version_at_least(req, mv.AGGREGATE_UUID):
        body['uuid'] = aggregate.uuid
    return body


def _check_id(aggregate_id: str) -> None:
    """A non-integer id is a 400, as in Nova; a negative one is an integer
    no aggregate has (404, as Nova answers tempest's ``-1``)."""
    text = str(aggregate_id)
    if text.startswith('-') and text[1:].isascii() and text[1:].isdigit():
        raise exception.AggregateNotFound(aggregate_id=text)
    common.integer_id(aggregate_id)


class Collection:
    def __init__(self, deps):
        self.deps = deps

    def on_get(self, req, resp):
        self.deps.authorizer.authorize(common.context(req), aggregate_policies.INDEX)
        resp.media = {'aggregates': [_serialize(req, a) for a in
                                     self.deps.ops.aggregates.list()]}

    def on_post(self, req, resp):
        body = common.body(req)
        self.deps.authorizer.authorize(common.context(req), aggregate_policies.CREATE)
        values = body['aggregate']
        aggregate = self.deps.ops.aggregates.create(values['name'],
                                                    values.get(AZ_KEY))
        resp.media = {'aggregate': _serialize(req, aggregate, with_members=False)}


class Item:
    def __init__(self, deps):
        self.deps = deps

    def on_get(self, req, resp, aggregate_id):
        self.deps.authorizer.authorize(common.context(req), aggregate_policies.SHOW)
        _check_id(aggregate_id)
        resp.media = {'aggregate': _serialize(
            req, self.deps.ops.aggregates.get(aggregate_id))}

    def on_put(self, req, resp, aggregate_id):
        body = common.body(req)
        self.deps.authorizer.authorize(common.context(req), aggregate_policies.UPDATE)
        _check_id(aggregate_id)
        resp.media = {'aggregate': _serialize(
            req, self.deps.ops.aggregates.update(aggregate_id, body['aggregate']))}

    def on_delete(self, req, resp, aggregate_id):
        self.deps.authorizer.authorize(common.context(req), aggregate_policies.DELETE)
        _check_id(aggregate_id)
        self.deps.ops.aggregates.delete(aggregate_id)
        resp.status = falcon.HTTP_200


class Action:
    def __init__(self, deps):
        self.deps = deps

    def on_post(self, req, resp, aggregate_id):
        name, _value = common.action(req, 'the body must hold exactly one of %s')
        values = common.action_body(req, name)[name]
        self.deps.authorizer.authorize(common.context(req), aggregate_policies.ACTIONS[name])
        _check_id(aggregate_id)
        aggregates = self.deps.ops.aggregates
        if name == 'add_host':
            aggregate = aggregates.add_host(aggregate_id, values['host'])
        elif name == 'remove_host':
            aggregate = aggregates.remove_host(aggregate_id, values['host'])
        else:
            aggregate = aggregates.set_metadata(aggregate_id, values['metadata'])
        resp.media = {'aggregate': _serialize(req, aggregate)}
