"""Servers: create (a scheduled boot), list, detail, show, delete."""

import falcon
import sqlalchemy as sa
from oslo_utils import uuidutils

from migrator import exception
from migrator.api.policies import servers as server_policies
from migrator.api.resources import base, server_view
from migrator.api.schemas import servers as schema
from migrator.api.schemas import types
from migrator.compute import claims, states
from migrator.db import models
from migrator.objects import instance_action
from migrator.objects.request_spec import RequestSpec

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


def load_server(req, deps, server_id: str, session=None) -> models.Instance:
    """The server if this caller may see it; another project's is a 404."""
    base.check_uuid(server_id, exception.InstanceNotFound, instance_id=server_id)

    def find(s):
        return s.scalar(sa.select(models.Instance)
                        .where(models.Instance.uuid == server_id))
    instance = find(session) if session is not None else deps.db.read(find)
    ctx = base.context(req)
    if instance is None or (not ctx.is_admin and instance.project_id != ctx.project_id):
        raise exception.InstanceNotFound(instance_id=server_id)
    return instance


def target_of(instance) -> dict:
    return {'project_id': instance.project_id}


def flavor_snapshot(flavor: models.Flavor) -> dict:
    return {'id': flavor.id, 'flavorid': flavor.flavorid, 'name': flavor.name,
            'vcpus': flavor.vcpus, 'memory_mb': flavor.memory_mb,
            'root_gb': flavor.root_gb, 'ephemeral_gb': flavor.ephemeral_gb,
            'swap': flavor.swap,
            'extra_specs': {s.key: s.value for s in flavor.extra_specs}}


# Without quotas, one request may still not create an unbounded number of servers.
MAX_SERVERS_PER_REQUEST = 100


class _Listing:
    collection = 'servers'
    rule, all_tenants_rule = server_policies.INDEX, server_policies.INDEX_ALL_TENANTS

    def __init__(self, deps):
        self.deps = deps

    def _links(self, req, resp, instances):
        limit = req.context.limit
        items = [{'id': i.uuid} for i in instances]
        page_links = base.next_link(req, self.collection, items, limit)
        if page_links:
            resp.media['servers_links'] = page_links

    def _list(self, req) -> list:
        ctx = base.context(req)
        params = base.query(req, schema.index_query)
        self.deps.authorizer.authorize(ctx, self.rule)
        # Set before any early return: the page links read it.
        limit = min(base.bounded_int(params.get('limit', self.deps.conf.api.max_limit)),
                    self.deps.conf.api.max_limit)
        req.context.limit = limit
        stmt = sa.select(models.Instance)
        if 'all_tenants' in params and types.strict_bool('all_tenants',
                                                          params['all_tenants']):
            self.deps.authorizer.authorize(ctx, self.all_tenants_rule)
            project = params.get('project_id') or params.get('tenant_id')
            if project:
                stmt = stmt.where(models.Instance.project_id == project)
        else:
            stmt = stmt.where(models.Instance.project_id == ctx.project_id)
        if 'name' in params:
            stmt = stmt.where(models.Instance.display_name.contains(params['name'],
                                                                    autoescape=True))
        if 'status' in params:
            conditions = _STATUS_FILTERS.get(params['status'].upper())
            if conditions is None:
                return []
            stmt = stmt.where(*conditions)
        if 'host' in params and self.deps.authorizer.check(
                ctx, server_policies.ALLOW_ALL_FILTERS):
            stmt = stmt.where(models.Instance.host == params['host'])
        if 'flavor' in params:
            stmt = stmt.where(models.Instance.flavor['flavorid'].as_string()
                              == params['flavor'])

        def run(session):
            query = stmt
            if 'marker' in params:
                marker = session.scalar(sa.select(models.Instance.id).where(
                    models.Instance.uuid == params['marker']))
                if marker is None:
                    raise exception.Invalid('marker [%s] not found' % params['marker'])
                query = query.where(models.Instance.id < marker)
            query = query.order_by(models.Instance.id.desc()).limit(limit)
            return list(session.scalars(query))
        return self.deps.db.read(run)


class Collection(_Listing):
    def on_get(self, req, resp):
        instances = self._list(req)
        resp.media = {'servers': [server_view.summary(req, i) for i in instances]}
        self._links(req, resp, instances)

    def on_post(self, req, resp):
        ctx = base.context(req)
        body = base.json_body(req, schema.create(req.context.version))
        self.deps.authorizer.authorize(ctx, server_policies.CREATE)
        server = body['server']
        hints = body.get('os:scheduler_hints') or body.get('OS-SCH-HNT:scheduler_hints') or {}
        count = int(server.get('max_count', server.get('min_count', 1)))
        if int(server.get('min_count', 1)) > count:
            raise exception.ValidationError(
                field='server/min_count', detail='min_count must be <= max_count.')
        if count > MAX_SERVERS_PER_REQUEST:
            raise exception.ValidationError(
                field='server/max_count',
                detail='Value: %s. At most %d servers can be created by one '
                       'request.' % (count, MAX_SERVERS_PER_REQUEST))
        created = self.deps.db.write(_create_instances, ctx, server, hints, count,
                                     self.deps.conf.default_availability_zone)
        for instance, spec in created:
            self.deps.conductor_api.build_instances(ctx, instance.uuid, spec.to_dict())
        first = created[0][0]
        resp.status = falcon.HTTP_202
        resp.location = '%s/v2.1/servers/%s' % (req.prefix, first.uuid)
        if types.parse_bool(server.get('return_reservation_id', False)):
            resp.media = {'reservation_id': first.reservation_id}
            return
        resp.media = {'server': {
            'id': first.uuid, 'links': base.links(req, 'servers', first.uuid),
            'OS-DCF:diskConfig': server.get('OS-DCF:diskConfig', 'MANUAL'),
            'security_groups': [{'name': 'default'}],
            'adminPass': server.get('adminPass') or uuidutils.generate_uuid()[:12]}}


class Detail(_Listing):
    collection = 'servers/detail'
    rule, all_tenants_rule = server_policies.DETAIL, server_policies.DETAIL_ALL_TENANTS

    def on_get(self, req, resp):
        instances = self._list(req)
        view = server_view.ViewContext(req, self.deps, instances)
        resp.media = {'servers': [server_view.detail(view, i) for i in instances]}
        self._links(req, resp, instances)


class Item:
    def __init__(self, deps):
        self.deps = deps

    def on_get(self, req, resp, server_id):
        instance = load_server(req, self.deps, server_id)
        self.deps.authorizer.authorize(base.context(req), server_policies.SHOW,
                                       target_of(instance))
        view = server_view.ViewContext(req, self.deps, [instance])
        resp.media = {'server': server_view.detail(view, instance)}

    def on_delete(self, req, resp, server_id):
        ctx = base.context(req)
        instance = load_server(req, self.deps, server_id)
        self.deps.authorizer.authorize(ctx, server_policies.DELETE, dict(
            target_of(instance), user_id=instance.user_id))
        if instance.locked and not ctx.is_admin:
            raise exception.InstanceIsLocked(instance_id=server_id)
        self.deps.db.write(_delete_instance, self.deps.db.locks_rows, server_id)
        resp.status = falcon.HTTP_204


def _resolve_flavor(session, ctx, flavor_ref) -> models.Flavor:
    """A flavor id or link; private flavors are for admins only."""
    ref = str(flavor_ref).rstrip('/').rsplit('/', 1)[-1]
    flavor = session.scalar(sa.select(models.Flavor).where(models.Flavor.flavorid == ref))
    if flavor is None or flavor.disabled or not (flavor.is_public or ctx.is_admin):
        raise exception.Invalid('Flavor %s could not be found.' % ref)
    return flavor


def known_zones(session, default_az: str) -> set:
    zones = set(session.scalars(
        sa.select(models.AggregateMetadata.value)
        .where(models.AggregateMetadata.key == 'availability_zone')))
    zones.add(default_az)
    return zones


def _as_list(value) -> list:
    if not value:
        return []
    return [value] if isinstance(value, str) else list(value)


def _create_instances(session, ctx, server, hints, count, default_az):
    flavor = _resolve_flavor(session, ctx, server['flavorRef'])
    zone = server.get('availability_zone')
    if zone and zone not in known_zones(session, default_az):
        raise exception.Invalid('The requested availability zone %s is not '
                                'available; known zones: %s.' % (
                                    zone, ', '.join(sorted(known_zones(session, default_az)))))
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
        created.append((instance, request_spec_for(instance, group)))
    return created


def request_spec_for(instance, group=None, group_uuid=None) -> RequestSpec:
    hints = instance.scheduler_hints or {}
    return RequestSpec(
        instance_uuid=instance.uuid, project_id=instance.project_id,
        flavor=instance.flavor,
        availability_zone=instance.requested_availability_zone,
        group_uuid=group.uuid if group is not None else group_uuid,
        same_host=_as_list(hints.get('same_host')),
        different_host=_as_list(hints.get('different_host')))


def _delete_instance(session, locks_rows, server_id):
    # Locked like every writer of a moving server, so a delete and a failing
    # move cannot both release the same claims.
    instance = session.scalar(sa.select(models.Instance)
                              .where(models.Instance.uuid == server_id)
                              .with_for_update())
    if instance is None:
        return
    moving = list(session.scalars(
        sa.select(models.Migration)
        .where(models.Migration.instance_uuid == server_id,
               models.Migration.status.not_in(states.MIGRATION_TERMINAL))
        .with_for_update()))
    claims.release(session, locks_rows, server_id)
    for migration in moving:
        claims.release(session, locks_rows, migration.uuid)
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

