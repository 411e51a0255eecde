"""Servers: who may see one, booting, deleting, power, locks, and the
task-state compare-and-set every action starts with."""

from __future__ import annotations

import dataclasses
import ipaddress
import re
import types

import sqlalchemy as sa
from oslo_utils import uuidutils

from migrator import exception
from migrator.compute import claims, states
from migrator.db import models
from migrator.objects import instance as instance_mod
from migrator.objects import instance_action, move_rows, request_spec
from migrator.objects import service as service_mod
from migrator.operations import flavors as flavors_ops

# Without quotas, one request may still not create an unbounded number of servers.
MAX_SERVERS_PER_REQUEST = 100

# API status -> the condition on the instance row that lists it.
_STATUS_FILTERS = {
    'ACTIVE': (models.Instance.vm_state == states.ACTIVE,),
    'BUILD': (models.Instance.vm_state == states.BUILDING,),
    'SHUTOFF': (models.Instance.vm_state == states.STOPPED,),
    'ERROR': (models.Instance.vm_state == states.ERROR,),
    'VERIFY_RESIZE': (models.Instance.vm_state == states.RESIZED,),
    'RESIZE': (models.Instance.task_state.in_([
        states.RESIZE_PREP, states.RESIZE_MIGRATING, states.RESIZE_MIGRATED,
        states.RESIZE_FINISH]),),
    'REVERT_RESIZE': (models.Instance.task_state == states.RESIZE_REVERTING,),
}


@dataclasses.dataclass(frozen=True)
class ServerFilters:
    """What a server list asks for. ``project_id`` None: every project."""
    project_id: str | None
    limit: int
    name: str | None = None
    status: str | None = None
    host: str | None = None
    flavor: str | None = None
    marker: str | None = None
    # The servers one multiple create made (its "reservation_id").
    reservation_id: str | None = None
    image: str | None = None  # the image id a server was created with


@dataclasses.dataclass(frozen=True)
class ServerFacts:
    """What a view of some servers needs besides their rows, read at once."""
    zones: dict          # host -> zone
    services: dict       # host -> compute service row
    faults: dict         # instance uuid -> newest fault
    progress: dict       # instance uuid -> copy progress of its move


def check_not_locked(ctx, instance) -> None:
    """The one lock rule, Nova's: a locked server refuses every action but
    unlock to anyone who is not an administrator."""
    if instance.locked and not ctx.is_admin:
        raise exception.InstanceIsLocked(instance_id=instance.uuid)


def begin_task(session, ctx, instance_uuid: str, action: str,
               allowed_vm_states, task_state: str):
    """Compare-and-set the task_state; 409 naming the state that blocks it.
    Returns the server's row (``move_rows``) as committed.

    The row lock makes the check and the set one step on every backend
    (SQLite's writer transaction already holds the database lock).
    """
    instance = move_rows.server(session, instance_uuid, lock=True)
    if instance is None:
        raise exception.InstanceNotFound(instance_id=instance_uuid)
    check_not_locked(ctx, instance)
    if instance.task_state is not None:
        raise exception.InstanceInvalidState(
            action=action, instance_id=instance_uuid, attr='task_state',
            state=instance.task_state)
    if instance.vm_state not in allowed_vm_states:
        raise exception.InstanceInvalidState(
            action=action, instance_id=instance_uuid, attr='vm_state',
            state=instance.vm_state)
    if not instance.host:
        raise exception.Conflict('Instance %s is not ready: it has no host '
                                 '(its boot failed); delete it instead.'
                                 % instance_uuid)
    move_rows.update_server(session, instance, task_state=task_state)
    instance_action.start_action(session, ctx, instance_uuid, action)
    return instance


def flavor_snapshot(flavor: models.Flavor) -> dict:
    """The copy of its flavor a server keeps, as Nova's instance.flavor."""
    return {'id': flavor.id, 'flavorid': flavor.flavorid, 'name': flavor.name,
            'vcpus': flavor.vcpus, 'memory_mb': flavor.memory_mb,
            'root_gb': flavor.root_gb, 'ephemeral_gb': flavor.ephemeral_gb,
            'swap': flavor.swap,
            'extra_specs': {s.key: s.value for s in flavor.extra_specs}}


class Servers:
    def __init__(self, conf, db, conductor_api, compute_api):
        self.conf = conf
        self.db = db
        self.conductor_api = conductor_api
        self.compute_api = compute_api

    # -- reading -------------------------------------------------------------

    def get(self, ctx, server_id: str):
        """The server's row (``instance.row``) if ``ctx`` may see it;
        another project's is a 404, and so is an id that cannot be a uuid."""
        if not uuidutils.is_uuid_like(server_id):
            raise exception.InstanceNotFound(instance_id=server_id)
        instance = self.db.read_statement(instance_mod.row, server_id)
        if instance is None or (not ctx.is_admin
                                and instance.project_id != ctx.project_id):
            raise exception.InstanceNotFound(instance_id=server_id)
        return instance

    def list(self, filters: ServerFilters, with_facts: bool = False) -> list:
        """Newest first, at most ``filters.limit``; an unknown status lists
        nothing, an unknown marker is a 400. Rows, not ORM objects (a list
        of a thousand servers is read, never changed), with the model's
        attribute names; they leave out what no view shows (networks,
        scheduler hints): reading one of those raises. ``with_facts``: each
        row also carries the facts ``facts`` needs of it."""
        stmt = sa.select(*_LISTED, *(_FACT_COLUMNS if with_facts else ()))
        if filters.project_id is not None:
            stmt = stmt.where(models.Instance.project_id == filters.project_id)
        if filters.name is not None:
            # As Nova: a regular expression, matched anywhere in the name.
            try:
                re.compile(filters.name)
            except re.error as error:
                raise exception.ValidationError(
                    field='name', detail='Value: %s. Not a valid regular '
                                         'expression: %s.' % (filters.name, error))
            stmt = stmt.where(models.Instance.display_name.regexp_match(filters.name))
        if filters.status is not None:
            conditions = _STATUS_FILTERS.get(filters.status.upper())
            if conditions is None:
                return []
            stmt = stmt.where(*conditions)
        if filters.host is not None:
            stmt = stmt.where(models.Instance.host == filters.host)
        if filters.flavor is not None:
            stmt = stmt.where(models.Instance.flavor['flavorid'].as_string()
                              == filters.flavor)
        if filters.image is not None:
            stmt = stmt.where(models.Instance.image_ref == filters.image)
        if filters.reservation_id is not None:
            stmt = stmt.where(models.Instance.reservation_id == filters.reservation_id)

        def run(session):
            query = stmt
            if filters.marker is not None:
                marker = session.scalar(sa.select(models.Instance.id).where(
                    models.Instance.uuid == filters.marker))
                if marker is None:
                    raise exception.Invalid('marker [%s] not found' % filters.marker)
                query = query.where(models.Instance.id < marker)
            query = query.order_by(models.Instance.id.desc()).limit(filters.limit)
            return session.connection().execute(query).all()
        try:
            return self.db.read(run)
        except sa.exc.DBAPIError as error:
            # A pattern Python accepts that the database's regular
            # expressions do not (their dialects differ at the edges).
            if filters.name is None or error.connection_invalidated:
                raise
            raise exception.ValidationError(
                field='name', detail='Value: %s. The database cannot match this '
                                     'regular expression.' % filters.name) from None

    def get_with_facts(self, ctx, server_id: str) -> tuple:
        """``get`` and ``facts`` of one server, in one statement (and a
        second only for a server with a fault): what a show needs."""
        if not uuidutils.is_uuid_like(server_id):
            raise exception.InstanceNotFound(instance_id=server_id)
        found = self.db.read_statement(_one_with_facts, server_id,
                                       self.conf.default_availability_zone)
        if found is None or (not ctx.is_admin
                             and found[0].project_id != ctx.project_id):
            raise exception.InstanceNotFound(instance_id=server_id)
        return found

    def facts(self, instances) -> ServerFacts:
        """Zones, compute services, faults and move progress of
        ``instances``, rows read by ``list`` with their facts: the faults
        are read only for the servers that have one."""
        hosts = sorted({i.host for i in instances if i.host})
        faulted = [i.uuid for i in instances if i.fact_faulted]
        progress = {i.uuid: i.fact_progress for i in instances
                    if i.fact_progress is not None}
        return self.db.read_rows(_facts, hosts, faulted, progress,
                                 self.conf.default_availability_zone)

    def host_status(self, service) -> str:
        """Nova's host_status of a server's host."""
        if service is None:
            return 'UNKNOWN'
        if not service_mod.is_up(service, self.conf.service_down_time):
            return 'DOWN'
        if service.disabled:
            return 'MAINTENANCE'
        return 'UP'

    # -- boot and delete -----------------------------------------------------

    def create(self, ctx, server: dict, hints: dict, min_count: int,
               max_count: int) -> list[models.Instance]:
        """Create ``max_count`` servers and ask the conductor to place them."""
        if min_count > max_count:
            raise exception.ValidationError(
                field='server/min_count', detail='min_count must be <= max_count.')
        if max_count > MAX_SERVERS_PER_REQUEST:
            raise exception.ValidationError(
                field='server/max_count',
                detail='Value: %s. At most %d servers can be created by one '
                       'request.' % (max_count, MAX_SERVERS_PER_REQUEST))
        created = self.db.write(_create_instances, ctx, server, hints, max_count,
                                self.conf.default_availability_zone)
        for instance, spec in created:
            self.conductor_api.build_instances(ctx, instance.uuid, spec.to_dict())
        return [instance for instance, _spec in created]

    def delete(self, ctx, instance) -> None:
        check_not_locked(ctx, instance)
        self.db.write(_delete_instance, instance.uuid)

    # -- power and locks -----------------------------------------------------

    def stop(self, ctx, instance) -> None:
        instance = self.db.write(begin_task, ctx, instance.uuid, 'stop',
                                 (states.ACTIVE, states.ERROR),
                                 states.POWERING_OFF)
        self.compute_api.stop_instance(ctx, instance.host, instance.uuid)

    def start(self, ctx, instance) -> None:
        instance = self.db.write(begin_task, ctx, instance.uuid, 'start',
                                 (states.STOPPED,), states.POWERING_ON)
        self.compute_api.start_instance(ctx, instance.host, instance.uuid)

    def reboot(self, ctx, instance, reboot_type: str) -> None:
        """As Nova: a soft reboot of an ACTIVE server, a hard one also of a
        stopped or failed one; the compute reboots it."""
        if not self.compute_api.can_reboot():
            raise exception.ServiceUnavailable(
                reason='the computes are pinned below RPC 1.1 ([upgrade_levels] '
                       'compute) and cannot reboot')
        hard = reboot_type == 'HARD'
        allowed = ((states.ACTIVE, states.STOPPED, states.ERROR) if hard
                   else (states.ACTIVE,))
        instance = self.db.write(begin_task, ctx, instance.uuid, 'reboot', allowed,
                                 states.REBOOTING_HARD if hard else states.REBOOTING)
        self.compute_api.reboot_instance(ctx, instance.host, instance.uuid,
                                         reboot_type)

    def reset_state(self, ctx, instance, state: str) -> None:
        """os-resetState, as Nova: set the vm_state (``active`` or
        ``error``), clear the task, record the action; nothing else (a
        migration record is left as it is)."""
        vm_state = {'active': states.ACTIVE, 'error': states.ERROR}[state]

        def apply(session):
            row = instance_mod.get(session, instance.uuid, lock=True)
            if row is None:
                raise exception.InstanceNotFound(instance_id=instance.uuid)
            row.vm_state = vm_state
            row.task_state = None
            instance_action.start_action(session, ctx, instance.uuid, 'resetState')
        self.db.write(apply)

    @staticmethod
    def locker(ctx, instance) -> str:
        """Who a lock by ``ctx`` is recorded as: the owner, or an admin."""
        return 'owner' if ctx.project_id == instance.project_id else 'admin'

    def lock(self, ctx, instance) -> None:
        self.db.write(_set_lock, ctx, instance.uuid, True,
                      self.locker(ctx, instance))

    def unlock(self, ctx, instance) -> None:
        self.db.write(_set_lock, ctx, instance.uuid, False, None)


# What a list of servers reads of each: every column but those no view
# shows, labelled with the model's attribute names.
_LISTED = [column for column in instance_mod.COLUMNS
           if column.name not in ('networks', 'scheduler_hints')]


# What a show reads of the server's compute service: what host_status needs.
_SERVICE_SHOWN = ('id', 'disabled', 'forced_down', 'last_seen_up')


def _fact_columns() -> list:
    """A server's facts that a row of it can carry, for a show and a
    detailed list alike: the progress of its move in flight (its newest)
    and whether it has a fault, each found by the server's uuid through
    an index, correlated to the row being read."""
    i, m = models.Instance, models.Migration
    progress = (sa.select(m.progress)
                .where(m.instance_uuid == i.uuid,
                       m.status.in_(states.MIGRATION_IN_PROGRESS))
                .order_by(m.id.desc()).limit(1).scalar_subquery())
    faulted = sa.exists().where(models.InstanceFault.instance_uuid == i.uuid)
    return [progress.label('fact_progress'), faulted.label('fact_faulted')]


_FACT_COLUMNS = _fact_columns()


def _one_with_facts_statement():
    """A server, its compute service, zone, move progress and whether it
    has a fault: one statement, built once (the server's uuid is bound).
    Rows, not ORM objects: loading two mapped objects cost more than the
    statement."""
    i, s = models.Instance, models.Service
    zone = service_mod.zone_of(i.host)
    return (sa.select(*_LISTED,
                      *[getattr(s, name).label('service_' + name)
                        for name in _SERVICE_SHOWN],
                      zone.label('fact_zone'), *_FACT_COLUMNS)
            .select_from(i)
            .outerjoin(s, sa.and_(s.host == i.host,
                                  s.binary == service_mod.COMPUTE_BINARY))
            .where(i.uuid == sa.bindparam('uuid')))


_ONE_WITH_FACTS = _one_with_facts_statement()
_LAST_FAULT = (sa.select(models.InstanceFault.__table__)
               .where(models.InstanceFault.instance_uuid == sa.bindparam('uuid'))
               .order_by(models.InstanceFault.id.desc()).limit(1))


def _one_with_facts(rows, uuid, default_az):
    """The server's row (with the model's attribute names, as a list's) and
    its facts; takes a ``Rows`` (``Database.read_statement``). A fault,
    when the row says there is one, is read by a second statement: the
    newest then, or none if the server was deleted meanwhile."""
    connection = rows.connection()
    row = connection.execute(_ONE_WITH_FACTS, {'uuid': uuid}).first()
    if row is None:
        return None
    facts = ServerFacts({}, {}, {}, {})
    if row.host:
        facts.zones[row.host] = row.fact_zone or default_az
        if row.service_id is not None:
            facts.services[row.host] = types.SimpleNamespace(
                **{name: getattr(row, 'service_' + name) for name in _SERVICE_SHOWN})
    if row.fact_progress is not None:
        facts.progress[uuid] = row.fact_progress
    if row.fact_faulted:
        facts.faults[uuid] = connection.execute(_LAST_FAULT, {'uuid': uuid}).first()
    return row, facts


_SERVICES_SHOWN = (sa.select(models.Service.host,
                             *[getattr(models.Service, name)
                               for name in _SERVICE_SHOWN])
                   .where(models.Service.host.in_(sa.bindparam('hosts',
                                                               expanding=True)),
                          models.Service.binary == service_mod.COMPUTE_BINARY))
_FAULTS = (sa.select(models.InstanceFault.__table__)
           .where(models.InstanceFault.instance_uuid.in_(
               sa.bindparam('uuids', expanding=True)))
           .order_by(models.InstanceFault.id))


def _facts(rows, hosts, faulted, progress, default_az) -> ServerFacts:
    """The zones and compute services of ``hosts``, the newest fault of
    each of the ``faulted`` servers, beside the ``progress`` the rows
    carried; rows with the columns a show reads (``Database.read_rows``)."""
    connection = rows.connection()
    zones = {h: default_az for h in hosts}
    services = {}
    faults = {}
    if hosts:
        zones.update(service_mod.zones(connection, hosts))
        services = {row.host: row for row in
                    connection.execute(_SERVICES_SHOWN, {'hosts': hosts})}
    if faulted:
        faults = {row.instance_uuid: row for row in
                  connection.execute(_FAULTS, {'uuids': faulted})}
    return ServerFacts(zones, services, faults, progress)


def _address(value: str | None) -> str | None:
    """An access address in its canonical form, as Nova keeps it
    (``0000::babe:220.12.22.2`` is ``::babe:dc0c:1602``)."""
    return str(ipaddress.ip_address(value)) if value else None


def _resolve_flavor(session, ctx, flavor_ref) -> models.Flavor:
    """A flavor id or link; a private flavor is for admins and the projects
    given access to it."""
    ref = str(flavor_ref).rstrip('/').rsplit('/', 1)[-1]
    flavor = session.scalar(sa.select(models.Flavor).where(models.Flavor.flavorid == ref))
    if flavor is None or flavor.disabled or not flavors_ops.usable_by(ctx, flavor):
        raise exception.Invalid('Flavor %s could not be found.' % ref)
    return flavor


def _create_instances(session, ctx, server, hints, count, default_az):
    flavor = _resolve_flavor(session, ctx, server['flavorRef'])
    zone = server.get('availability_zone')
    if zone:
        known = service_mod.known_zones(session, default_az)
        if zone not in known:
            raise exception.Invalid('The requested availability zone %s is not '
                                    'available; known zones: %s.' % (
                                        zone, ', '.join(sorted(known))))
    group = None
    if hints.get('group'):
        group = session.scalar(sa.select(models.ServerGroup)
                               .where(models.ServerGroup.uuid == hints['group']))
        if group is None or (group.project_id != ctx.project_id and not ctx.is_admin):
            raise exception.Invalid('Server group %s could not be found '
                                    '(os:scheduler_hints group).' % hints['group'])
    snapshot = flavor_snapshot(flavor)
    reservation = 'r-' + uuidutils.generate_uuid()[:8]
    created = []
    for index in range(count):
        name = server['name'] if count == 1 else '%s-%d' % (server['name'], index + 1)
        instance = models.Instance(
            uuid=uuidutils.generate_uuid(), display_name=name,
            description=server.get('description'),
            access_ip_v4=_address(server.get('accessIPv4')),
            access_ip_v6=_address(server.get('accessIPv6')),
            project_id=ctx.project_id, user_id=ctx.user_id,
            requested_availability_zone=zone, availability_zone=zone,
            vm_state=states.BUILDING, task_state=states.SCHEDULING,
            power_state=states.NOSTATE, flavor=snapshot,
            image_ref=server.get('imageRef') or None,
            networks=server.get('networks'), metadata_=server.get('metadata', {}),
            scheduler_hints={k: v for k, v in hints.items()
                             if k in ('same_host', 'different_host')},
            key_name=server.get('key_name'), reservation_id=reservation)
        session.add(instance)
        if group is not None:
            session.add(models.ServerGroupMember(group_id=group.id,
                                                 instance_uuid=instance.uuid))
        instance_action.start_action(session, ctx, instance.uuid, 'create')
        created.append((instance, request_spec.for_instance(
            instance, group.uuid if group is not None else None)))
    return created


def _delete_instance(session, server_id):
    # Locked like every writer of a moving server, so a delete and a failing
    # move cannot both release the same claims.
    instance = instance_mod.get(session, server_id, lock=True)
    if instance is None:
        return
    moving = list(session.scalars(
        sa.select(models.Migration)
        .where(models.Migration.instance_uuid == server_id,
               models.Migration.status.not_in(states.MIGRATION_TERMINAL))
        .with_for_update()))
    claims.release(session, server_id)
    for migration in moving:
        claims.release(session, migration.uuid)
        migration.status = states.MIGRATION_ERROR
        migration.error_reason = 'server deleted during the move'
    session.execute(sa.delete(models.ServerGroupMember)
                    .where(models.ServerGroupMember.instance_uuid == server_id))
    action_ids = sa.select(models.InstanceAction.id).where(
        models.InstanceAction.instance_uuid == server_id)
    session.execute(sa.delete(models.InstanceActionEvent)
                    .where(models.InstanceActionEvent.action_id.in_(action_ids)))
    session.execute(sa.delete(models.InstanceAction)
                    .where(models.InstanceAction.instance_uuid == server_id))
    session.execute(sa.delete(models.InstanceFault)
                    .where(models.InstanceFault.instance_uuid == server_id))
    session.delete(instance)


def _set_lock(session, ctx, instance_uuid, locked, locked_by):
    instance = instance_mod.get(session, instance_uuid)
    instance.locked = locked
    instance.locked_by = locked_by
    instance_action.start_action(session, ctx, instance_uuid,
                                 'lock' if locked else 'unlock')
