"""Hosts: their services (up, disabled, forced down), their hypervisors
(capacity and usage) and the availability zones they make."""

import dataclasses

import sqlalchemy as sa

from migrator import exception
from migrator.compute import claims, states
from migrator.db import models
from migrator.objects import service as service_mod


@dataclasses.dataclass(frozen=True)
class ServiceState:
    """A service row with what the API shows of it besides the row."""
    service: models.Service
    zone: str
    up: bool


@dataclasses.dataclass(frozen=True)
class Hypervisor:
    """A compute node with its service, liveness and what runs there."""
    node: models.ComputeNode
    service: models.Service | None
    up: bool
    running_vms: int
    servers: list  # [{'name': ..., 'uuid': ...}] when asked for, else []


@dataclasses.dataclass(frozen=True)
class HostCapacity:
    """A compute host as capacity planning sees it: where it is, whether it
    takes servers, and per resource class what is used, what moves in
    flight hold there, and what is free."""
    host: str
    zone: str
    aggregates: list  # aggregate names
    service: models.Service | None
    up: bool
    servers: int
    inventories: dict  # resource class -> claims.Inventory
    in_flight: dict  # resource class -> amount held for moves not yet ended


@dataclasses.dataclass(frozen=True)
class Zone:
    name: str
    available: bool
    # host -> binary -> (up, enabled, last heartbeat)
    hosts: dict


class Hosts:
    def __init__(self, conf, db):
        self.conf = conf
        self.db = db

    def _is_up(self, service, now=None) -> bool:
        return service_mod.is_up(service, self.conf.service_down_time, now)

    # -- services ------------------------------------------------------------

    def services(self, host: str | None = None,
                 binary: str | None = None) -> list[ServiceState]:
        def run(session):
            stmt = sa.select(models.Service).order_by(models.Service.id)
            if host:
                stmt = stmt.where(models.Service.host == host)
            if binary:
                stmt = stmt.where(models.Service.binary == binary)
            return list(session.scalars(stmt)), service_mod.zones(session)
        found, zones = self.db.read(run)
        return [self._service_state(s, zones) for s in found]

    def _service_state(self, service, zones) -> ServiceState:
        zone = (zones.get(service.host, self.conf.default_availability_zone)
                if service.binary == service_mod.COMPUTE_BINARY
                else service_mod.INTERNAL_ZONE)
        return ServiceState(service, zone, self._is_up(service))

    def update_service(self, where: dict, status: str | None = None,
                       disabled_reason: str | None = None,
                       forced_down: bool | None = None) -> ServiceState:
        """Enable or disable a compute service (with a reason), or force it
        down. ``where`` finds it: ``uuid``, or ``host`` and ``binary``."""
        def update(session):
            service = _find(session, **where)
            _only_computes(service)
            if status is not None:
                service.disabled = status == 'disabled'
                service.disabled_reason = disabled_reason if service.disabled else None
            if forced_down is not None:
                service.forced_down = forced_down
            session.flush()
            return self._service_state(service, service_mod.zones(session,
                                                                  [service.host]))
        return self.db.write(update)

    def delete_service(self, where: dict) -> None:
        self.db.write(_delete_service, where)

    # -- hypervisors ---------------------------------------------------------

    def hypervisors(self, hostname_contains: str | None = None,
                    node_id: int | None = None, node_uuid: str | None = None,
                    with_servers: bool = False) -> list[Hypervisor]:
        """Compute nodes in id order, narrowed to a host name part or one id."""
        node = models.ComputeNode
        conditions = []
        if hostname_contains:
            conditions.append(node.host.contains(hostname_contains, autoescape=True))
        if node_id is not None:
            conditions.append(node.id == node_id)
        if node_uuid is not None:
            conditions.append(node.uuid == node_uuid)

        def run(session):
            nodes = list(session.scalars(
                sa.select(node).where(*conditions).order_by(node.id)))
            counts = dict(session.execute(
                sa.select(models.Allocation.node_id,
                          sa.func.count(models.Allocation.id))
                .where(models.Allocation.consumer_type == 'instance')
                .group_by(models.Allocation.node_id)).all())
            servers = (_servers_on(session, [n.host for n in nodes])
                       if with_servers else {})
            return nodes, counts, servers
        nodes, counts, servers = self.db.read(run)
        now = models.utcnow()
        return [Hypervisor(n, n.service, self._is_up(n.service, now),
                           counts.get(n.id, 0), servers.get(n.host, []))
                for n in nodes]

    # -- capacity --------------------------------------------------------------

    def capacity(self, host: str | None = None) -> list[HostCapacity]:
        """Every compute host (or one), in name order."""
        found = self.db.read(_capacity, host, self.conf.default_availability_zone)
        if host is not None and not found:
            raise exception.ComputeHostNotFound(host=host)
        now = models.utcnow()
        return [HostCapacity(node.host, zone, aggregates, node.service,
                             self._is_up(node.service, now), servers,
                             claims.inventories(node), in_flight)
                for node, zone, aggregates, servers, in_flight in found]

    # -- availability zones --------------------------------------------------

    def zones(self, with_internal: bool) -> list[Zone]:
        """Zones by name; the internal zone (control services) on request."""
        default_az = self.conf.default_availability_zone

        def run(session):
            return (list(session.scalars(sa.select(models.Service)
                                         .order_by(models.Service.host))),
                    service_mod.zones(session))
        found, host_zone = self.db.read(run)
        zones: dict = {}
        for service in found:
            if service.binary == service_mod.COMPUTE_BINARY:
                zone = host_zone.get(service.host, default_az)
            elif with_internal:
                zone = service_mod.INTERNAL_ZONE
            else:
                continue
            up = self._is_up(service)
            entry = zones.setdefault(zone, {'available': False, 'hosts': {}})
            entry['available'] |= up and not service.disabled
            entry['hosts'].setdefault(service.host, {})[service.binary] = (
                up, not service.disabled, service.last_seen_up)
        return [Zone(name, entry['available'], entry['hosts'])
                for name, entry in sorted(zones.items())]


def _capacity(session, host, default_az) -> list:
    stmt = sa.select(models.ComputeNode).order_by(models.ComputeNode.host)
    if host is not None:
        stmt = stmt.where(models.ComputeNode.host == host)
    nodes = list(session.scalars(stmt))
    hosts = [n.host for n in nodes]
    zones = service_mod.zones(session, hosts)
    aggregates: dict = {}
    for name, member in session.execute(
            sa.select(models.Aggregate.name, models.AggregateHost.host)
            .join(models.AggregateHost,
                  models.AggregateHost.aggregate_id == models.Aggregate.id)
            .where(models.AggregateHost.host.in_(hosts))
            .order_by(models.Aggregate.name)):
        aggregates.setdefault(member, []).append(name)
    servers = dict(session.execute(
        sa.select(models.Instance.host, sa.func.count(models.Instance.id))
        .where(models.Instance.host.in_(hosts))
        .group_by(models.Instance.host)).all())
    # A move not yet ended holds two allocations: the migration's on the
    # source, the server's on the destination. Both count as in flight.
    moving = session.execute(
        sa.select(models.Migration.uuid, models.Migration.instance_uuid)
        .where(models.Migration.status.in_(states.MIGRATION_NOT_ENDED))).all()
    consumers = {uuid for row in moving for uuid in row}
    in_flight: dict = {}
    if consumers:
        for allocation in session.scalars(
                sa.select(models.Allocation)
                .where(models.Allocation.consumer_uuid.in_(consumers))):
            held = in_flight.setdefault(allocation.node_id,
                                        dict.fromkeys(claims.RESOURCE_CLASSES, 0))
            request = claims.Resources.from_allocation(allocation)
            for rc in claims.RESOURCE_CLASSES:
                held[rc] += request.amount(rc)
    return [(node, zones.get(node.host, default_az), aggregates.get(node.host, []),
             servers.get(node.host, 0),
             in_flight.get(node.id, dict.fromkeys(claims.RESOURCE_CLASSES, 0)))
            for node in nodes]


def _servers_on(session, hosts) -> dict:
    result: dict = {}
    for uuid, name, host in session.execute(
            sa.select(models.Instance.uuid, models.Instance.display_name,
                      models.Instance.host)
            .where(models.Instance.host.in_(hosts))
            .order_by(models.Instance.id)):
        result.setdefault(host, []).append({'name': name, 'uuid': uuid})
    return result


def _find(session, **where) -> models.Service:
    service = session.scalar(sa.select(models.Service).filter_by(**where))
    if service is None:
        raise exception.ServiceNotFound(
            service_id=where.get('uuid') or where.get('id')
            or '%s on host %s' % (where.get('binary'), where.get('host')))
    return service


def _only_computes(service) -> None:
    """Disabling a conductor or scheduler means nothing: refuse it, as Nova."""
    if service.binary != service_mod.COMPUTE_BINARY:
        # Named by its role: Nova's API and migrator's name binaries apart.
        raise exception.Invalid('Updating a %s service is not supported. Only '
                                'compute services can be updated.'
                                % service.binary.rpartition('-')[2])


def _delete_service(session, where):
    service = _find(session, **where)
    if service.binary == service_mod.COMPUTE_BINARY:
        node = session.scalar(sa.select(models.ComputeNode)
                              .where(models.ComputeNode.host == service.host))
        if node is not None:
            held = session.scalar(sa.select(sa.func.count(models.Allocation.id))
                                  .where(models.Allocation.node_id == node.id))
            if held:
                raise exception.Conflict(reason='compute service %s still holds '
                                         '%d allocation(s); move or delete its '
                                         'servers first' % (service.host, held))
            session.delete(node)
        session.execute(sa.delete(models.AggregateHost)
                        .where(models.AggregateHost.host == service.host))
    session.delete(service)
