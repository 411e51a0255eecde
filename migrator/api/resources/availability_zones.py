"""os-availability-zone: the zones servers can ask for."""

import sqlalchemy as sa

from migrator.api.policies import availability_zone as az_policies
from migrator.api.resources import base
from migrator.db import models
from migrator.scheduler import host_state


def _zones(session, default_az):
    services = list(session.scalars(sa.select(models.Service)
                                    .order_by(models.Service.host)))
    host_zone = dict(session.execute(
        sa.select(models.AggregateHost.host, models.AggregateMetadata.value)
        .join(models.AggregateMetadata, models.AggregateMetadata.aggregate_id
              == models.AggregateHost.aggregate_id)
        .where(models.AggregateMetadata.key == 'availability_zone')).all())
    return services, host_zone


class Collection:
    detail = False

    def __init__(self, deps):
        self.deps = deps

    def on_get(self, req, resp):
        ctx = base.context(req)
        rule = az_policies.DETAIL if self.detail else az_policies.LIST
        self.deps.authorizer.authorize(ctx, rule)
        conf = self.deps.conf
        services, host_zone = self.deps.db.read(_zones, conf.default_availability_zone)
        zones: dict = {}
        for service in services:
            if service.binary == 'migrator-compute':
                zone = host_zone.get(service.host, conf.default_availability_zone)
            elif self.detail:
                zone = 'internal'
            else:
                continue
            up = host_state.service_is_up(service, conf.service_down_time)
            entry = zones.setdefault(zone, {'available': False, 'hosts': {}})
            entry['available'] |= up and not service.disabled
            entry['hosts'].setdefault(service.host, {})[service.binary] = {
                'available': up, 'active': not service.disabled,
                'updated_at': base.isotime_micro(service.last_seen_up)}
        resp.media = {'availabilityZoneInfo': [
            {'zoneName': name, 'zoneState': {'available': entry['available']},
             'hosts': entry['hosts'] if self.detail else None}
            for name, entry in sorted(zones.items())]}


class Detail(Collection):
    detail = True
