"""Versioned notifications (``instance.<phase>.<start|end|error>``)."""

import logging

LOG = logging.getLogger(__name__)


def instance_payload(instance, migration=None, **extra) -> dict:
    payload = {
        'instance_uuid': instance.uuid,
        'display_name': instance.display_name,
        'host': instance.host,
        'state': instance.vm_state,
        'task_state': instance.task_state,
        'tenant_id': instance.project_id,
        'user_id': instance.user_id,
        'flavor': {k: instance.flavor.get(k) for k in
                   ('name', 'flavorid', 'vcpus', 'memory_mb', 'root_gb')},
    }
    if migration is not None:
        payload['migration'] = {
            'uuid': migration.uuid, 'status': migration.status,
            'source_compute': migration.source_compute,
            'dest_compute': migration.dest_compute,
            'forced': migration.forced,
        }
    payload.update(extra)
    return {'migrator_object.name': 'InstanceActionPayload',
            'migrator_object.version': '1.0',
            'migrator_object.data': payload}


def notify(messaging, context, publisher: str, event_type: str,
           payload, error: bool = False) -> None:
    """Send one notification; never let a broken notifier fail the step.
    Nothing is sent, nor ``payload`` built when it is a function of no
    arguments that returns it, when nothing would hear it
    (``Messaging.notifies``)."""
    try:
        if not messaging.notifies(error):
            return
        if callable(payload):
            payload = payload()
        notifier = messaging.notifier.prepare(publisher_id=publisher)
        (notifier.error if error else notifier.info)(context, event_type, payload)
    except Exception:  # noqa: BLE001 - notifications are best effort
        LOG.exception('Could not send notification %s', event_type)
