"""The OS-EXT-SRV-ATTR fields of a server: where it runs."""

from migrator.api.policies import base

SHOW = 'os_compute_api:os-extended-server-attributes'

rules = [
    base.rule(SHOW, base.ADMIN,
              'See OS-EXT-SRV-ATTR:host, :hypervisor_hostname and '
              ':instance_name (and from 2.3 :reservation_id, :launch_index, '
              ':hostname, :kernel_id, :ramdisk_id, :root_device_name, '
              ':user_data) in server views. They name the host, so '
              'administrators only.',
              [('GET', '/servers/{server_id}'), ('GET', '/servers/detail')],
              base.deprecated(SHOW, base.LEGACY_ADMIN)),
]
