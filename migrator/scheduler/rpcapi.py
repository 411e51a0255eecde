"""Client side of the scheduler RPC API.

1.0 - select_destinations
"""

from migrator.objects.request_spec import RequestSpec, Selection

TOPIC = 'scheduler'


class SchedulerAPI:
    VERSION = '1.0'

    def __init__(self, messaging, conf):
        self.client = messaging.client(
            TOPIC, self.VERSION, version_cap=conf.upgrade_levels.scheduler,
            pin_option='[upgrade_levels] scheduler')

    def select_destinations(self, context, spec: RequestSpec) -> Selection:
        cctxt = self.client.prepare(version='1.0')
        return Selection.from_dict(
            cctxt.call(context, 'select_destinations', spec=spec.to_dict()))
