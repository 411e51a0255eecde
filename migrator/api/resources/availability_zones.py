"""os-availability-zone: the zones servers can ask for."""

from migrator.api import common
from migrator.api.policies import availability_zone as az_policies
from migrator.api.views import services as service_names


class Collection:
    detail = False

    def __init__(self, deps):
        self.deps = deps

    def on_get(self, req, resp):
        rule = az_policies.DETAIL if self.detail else az_policies.LIST
        self.deps.authorizer.authorize(common.context(req), rule)
        zones = self.deps.ops.hosts.zones(with_internal=self.detail)
        resp.media = {'availabilityZoneInfo': [
            {'zoneName': zone.name, 'zoneState': {'available': zone.available},
             'hosts': self._hosts(zone) if self.detail else None}
            for zone in zones]}

    @staticmethod
    def _hosts(zone) -> dict:
        return {host: {service_names.nova_binary(binary): {'available': up, 'active': enabled,
                                'updated_at': common.isotime_micro(seen)}
                       for binary, (up, enabled, seen) in binaries.items()}
                for host, binaries in zone.hosts.items()}


class Detail(Collection):
    detail = True
