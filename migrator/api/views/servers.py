"""How a server looks in the API at a given microversion (Nova's fields)."""

import hashlib

from migrator.api import common
from migrator.api import microversion as mv
from migrator.api.policies import extended_server_attributes as extended_policies
from migrator.api.policies import servers as server_policies
from migrator.compute import states


def target_of(instance) -> dict:
    """The policy target of a server: its project."""
    return {'project_id': instance.project_id}


class ViewContext:
    """What one response's server views share: the caller's rights and the
    facts of every server in it, read at once."""

    def __init__(self, req, deps, instances, facts=None):
        self.req = req
        ctx = common.context(req)
        authorize = deps.authorizer.check
        self.show_extended = authorize(ctx, extended_policies.SHOW)
        self.show_host_status = (common.version_at_least(req, mv.HOST_STATUS)
                                 and authorize(ctx, server_policies.SHOW_HOST_STATUS))
        # As Nova: failing the first rule, a caller may still see UNKNOWN.
        self.show_unknown_host_status = (
            common.version_at_least(req, mv.HOST_STATUS) and not self.show_host_status
            and authorize(ctx, server_policies.SHOW_HOST_STATUS_UNKNOWN_ONLY))
        self.servers = deps.ops.servers
        self.facts = facts if facts is not None else self.servers.facts(instances)
        # What every server of the response shares, worked out once.
        self.is_admin = ctx.is_admin
        self.extended_attributes = common.version_at_least(req, mv.EXTENDED_ATTRIBUTES)
        self.locked_shown = common.version_at_least(req, mv.LOCKED_SHOWN)
        self.description_shown = common.version_at_least(req, mv.SERVER_DESCRIPTION)
        self.tags_shown = common.version_at_least(req, mv.SERVER_TAGS)
        self.flavor_embedded = common.version_at_least(req, mv.FLAVOR_EMBEDDED)
        self._host_ids: dict = {}
        self._host_statuses: dict = {}

    def host_id(self, project_id: str, host: str | None) -> str:
        key = (project_id, host)
        found = self._host_ids.get(key)
        if found is None:
            found = self._host_ids[key] = host_id(project_id, host)
        return found

    def host_status(self, host: str) -> str:
        found = self._host_statuses.get(host)
        if found is None:
            found = self._host_statuses[host] = self.servers.host_status(
                self.facts.services.get(host))
        return found


def host_id(project_id: str, host: str | None) -> str:
    if not host:
        return ''
    return hashlib.sha224((project_id + host).encode()).hexdigest()


def _flavor(req, flavor: dict, embedded: bool):
    if embedded:
        return {'vcpus': flavor['vcpus'], 'ram': flavor['memory_mb'],
                'disk': flavor.get('root_gb', 0),
                'ephemeral': flavor.get('ephemeral_gb', 0),
                'swap': flavor.get('swap', 0),
                'original_name': flavor.get('name'),
                'extra_specs': dict(flavor.get('extra_specs') or {})}
    return {'id': flavor.get('flavorid'),
            'links': [{'rel': 'bookmark',
                       'href': '%s/flavors/%s' % (req.prefix, flavor.get('flavorid'))}]}


def summary(req, instance) -> dict:
    return {'id': instance.uuid, 'name': instance.display_name,
            'links': common.links(req, 'servers', instance.uuid)}


def detail(view: ViewContext, instance) -> dict:
    # Each column is read from the row once: a row's attribute costs more
    # than a local's, and a list builds a thousand of these.
    req = view.req
    uuid, project_id, host = instance.uuid, instance.project_id, instance.host
    vm_state, task_state = instance.vm_state, instance.task_state
    image_ref, created_at = instance.image_ref, instance.created_at
    status = states.api_status(vm_state, task_state)
    facts = view.facts
    server = {
        'id': uuid,
        'name': instance.display_name,
        'links': common.links(req, 'servers', uuid),
        'status': status,
        'tenant_id': project_id,
        'user_id': instance.user_id,
        'metadata': dict(instance.metadata_ or {}),
        'hostId': view.host_id(project_id, host),
        'image': ({'id': image_ref,
                   'links': [{'rel': 'bookmark', 'href': '%s/images/%s'
                              % (req.prefix, image_ref)}]}
                  if image_ref else ''),
        'flavor': _flavor(req, instance.flavor, view.flavor_embedded),
        'created': common.isotime(created_at),
        'updated': common.isotime(instance.updated_at or created_at),
        'addresses': {},
        'accessIPv4': instance.access_ip_v4 or '',
        'accessIPv6': instance.access_ip_v6 or '',
        'OS-DCF:diskConfig': 'MANUAL',
        'progress': facts.progress.get(uuid, 100 if status == 'ACTIVE' else 0),
        # As Nova: the host's zone once placed, the requested one before.
        'OS-EXT-AZ:availability_zone': (facts.zones.get(host, '') if host
                                        else instance.availability_zone or ''),
        'config_drive': '',
        'key_name': instance.key_name,
        'OS-SRV-USG:launched_at': common.isotime_micro(instance.launched_at),
        'OS-SRV-USG:terminated_at': common.isotime_micro(instance.terminated_at),
        'OS-EXT-STS:task_state': task_state,
        'OS-EXT-STS:vm_state': vm_state,
        'OS-EXT-STS:power_state': instance.power_state,
        'os-extended-volumes:volumes_attached': [],
        'security_groups': [{'name': 'default'}],
    }
    if view.show_extended:
        server['OS-EXT-SRV-ATTR:host'] = host
        server['OS-EXT-SRV-ATTR:hypervisor_hostname'] = instance.node
        server['OS-EXT-SRV-ATTR:instance_name'] = 'instance-%08x' % instance.id
        if view.extended_attributes:
            server.update({
                'OS-EXT-SRV-ATTR:reservation_id': instance.reservation_id,
                'OS-EXT-SRV-ATTR:launch_index': 0,
                'OS-EXT-SRV-ATTR:hostname': instance.display_name.lower().replace(' ', '-'),
                'OS-EXT-SRV-ATTR:kernel_id': '',
                'OS-EXT-SRV-ATTR:ramdisk_id': '',
                'OS-EXT-SRV-ATTR:root_device_name': None,
                'OS-EXT-SRV-ATTR:user_data': None,
            })
    if view.locked_shown:
        server['locked'] = bool(instance.locked)
    if (view.show_host_status or view.show_unknown_host_status) and host:
        host_status = view.host_status(host)
        if view.show_host_status or host_status == 'UNKNOWN':
            server['host_status'] = host_status
    if view.description_shown:
        server['description'] = instance.description
    if view.tags_shown:
        server['tags'] = []
    fault = facts.faults.get(uuid)
    if fault is not None and status in ('ERROR', 'DELETED'):
        server['fault'] = {'code': fault.code, 'message': fault.message,
                           'created': common.isotime(fault.created_at)}
        if view.is_admin:
            server['fault']['details'] = fault.details
    return server
