"""Client side of the compute RPC API (one server per host).

1.0 - build_and_run_instance, stop_instance, start_instance, prep_resize,
      resize_instance, finish_resize, confirm_resize, revert_resize,
      finish_revert_resize
1.1 - reboot_instance
"""

TOPIC = 'compute'


class ComputeAPI:
    VERSION = '1.1'

    def __init__(self, messaging, conf):
        self.client = messaging.client(
            TOPIC, self.VERSION, version_cap=conf.upgrade_levels.compute,
            pin_option='[upgrade_levels] compute')

    def _cast(self, context, host: str, method: str, **kwargs) -> None:
        self.client.prepare(server=host, version='1.0').cast(
            context, method, **kwargs)

    def build_and_run_instance(self, context, host, instance_uuid):
        self._cast(context, host, 'build_and_run_instance',
                   instance_uuid=instance_uuid)

    def stop_instance(self, context, host, instance_uuid):
        self._cast(context, host, 'stop_instance', instance_uuid=instance_uuid)

    def start_instance(self, context, host, instance_uuid):
        self._cast(context, host, 'start_instance', instance_uuid=instance_uuid)

    def can_reboot(self) -> bool:
        """Whether the computes may be asked to reboot (not pinned below 1.1)."""
        return self.client.can_send_version('1.1')

    def reboot_instance(self, context, host, instance_uuid, reboot_type):
        self.client.prepare(server=host, version='1.1').cast(
            context, 'reboot_instance', instance_uuid=instance_uuid,
            reboot_type=reboot_type)

    def prep_resize(self, context, host, instance_uuid, migration_uuid):
        self._cast(context, host, 'prep_resize', instance_uuid=instance_uuid,
                   migration_uuid=migration_uuid)

    def resize_instance(self, context, host, instance_uuid, migration_uuid):
        self._cast(context, host, 'resize_instance',
                   instance_uuid=instance_uuid, migration_uuid=migration_uuid)

    def finish_resize(self, context, host, instance_uuid, migration_uuid):
        self._cast(context, host, 'finish_resize', instance_uuid=instance_uuid,
                   migration_uuid=migration_uuid)

    def confirm_resize(self, context, host, instance_uuid, migration_uuid):
        self._cast(context, host, 'confirm_resize',
                   instance_uuid=instance_uuid, migration_uuid=migration_uuid)

    def revert_resize(self, context, host, instance_uuid, migration_uuid):
        self._cast(context, host, 'revert_resize', instance_uuid=instance_uuid,
                   migration_uuid=migration_uuid)

    def finish_revert_resize(self, context, host, instance_uuid, migration_uuid):
        self._cast(context, host, 'finish_revert_resize',
                   instance_uuid=instance_uuid, migration_uuid=migration_uuid)
