"""Client side of the conductor RPC API.

1.0 - build_instances, migrate_server
"""

TOPIC = 'conductor'


class ConductorAPI:
    VERSION = '1.0'

    def __init__(self, messaging, conf, timeout: int | None = None):
        self.client = messaging.client(
            TOPIC, self.VERSION, version_cap=conf.upgrade_levels.conductor,
            pin_option='[upgrade_levels] conductor',
            timeout=timeout)

    def build_instances(self, context, instance_uuid: str, request_spec: dict) -> None:
        self.client.prepare(version='1.0').cast(
            context, 'build_instances', instance_uuid=instance_uuid,
            request_spec=request_spec)

    def migrate_server(self, context, instance_uuid: str, request_spec: dict,
                       host: str | None, **options) -> str:
        """Choose and claim a destination; returns the migration uuid.

        ``options`` carries ``force`` only when the request could express it
        (microversion 2.56 and later): an absent key, not False, tells the
        conductor the caller never said.
        """
        return self.client.prepare(version='1.0').call(
            context, 'migrate_server', instance_uuid=instance_uuid,
            request_spec=request_spec, host=host, **options)
