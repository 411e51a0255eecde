"""migrator API: every compute host with the capacity the claims work with
(total, reserved, allocation ratio, used, held by moves in flight, free)."""

from migrator.api import common
from migrator.api.policies import capacity as policies


def _serialize(capacity) -> dict:
    service = capacity.service
    return {
        'host': capacity.host,
        'zone': capacity.zone,
        'aggregates': capacity.aggregates,
        'service': {
            'status': 'disabled' if service and service.disabled else 'enabled',
            'disabled_reason': service.disabled_reason if service else None,
            'state': 'up' if capacity.up else 'down',
            'forced_down': bool(service and service.forced_down),
        },
        'servers': capacity.servers,
        'resources': {
            rc: {'total': inventory.total, 'reserved': inventory.reserved,
                 'allocation_ratio': inventory.allocation_ratio,
                 'capacity': inventory.capacity, 'used': inventory.used,
                 'in_flight': capacity.in_flight[rc], 'free': inventory.free}
            for rc, inventory in capacity.inventories.items()},
    }


class Collection:
    def __init__(self, deps):
        self.deps = deps

    def on_get(self, req, resp):
        self.deps.authorizer.authorize(common.context(req), policies.INDEX)
        resp.media = {'hosts': [_serialize(c) for c in
                                self.deps.ops.hosts.capacity()]}


class Item:
    def __init__(self, deps):
        self.deps = deps

    def on_get(self, req, resp, host):
        self.deps.authorizer.authorize(common.context(req), policies.SHOW)
        capacity, = self.deps.ops.hosts.capacity(host)
        resp.media = {'host': _serialize(capacity)}
