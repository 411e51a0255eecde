"""Client side of the scheduler RPC API.

1.0 - select_destinations
1.1 - judge_hosts, plan_moves; NoValidHost of a requested destination
      carries the refusing verdicts
"""

from migrator.objects.request_spec import RequestSpec, Selection
from migrator.scheduler.pipeline import Judgement, Placement

TOPIC = 'scheduler'


class SchedulerAPI:
    VERSION = '1.1'

    def __init__(self, messaging, conf):
        self.client = messaging.client(
            TOPIC, self.VERSION, version_cap=conf.upgrade_levels.scheduler,
            pin_option='[upgrade_levels] scheduler')

    def select_destinations(self, context, spec: RequestSpec) -> Selection:
        cctxt = self.client.prepare(version='1.0')
        return Selection.from_dict(
            cctxt.call(context, 'select_destinations', spec=spec.to_dict()))

    def judge_hosts(self, context, spec: RequestSpec,
                    hosts: list[str] | None) -> Judgement | None:
        """The filters' verdicts on ``hosts`` (every host when None) and the
        weights of those a move could take; None when the scheduler is
        pinned below 1.1 and cannot be asked."""
        if not self.client.can_send_version('1.1'):
            return None
        return Judgement.from_dict(self.client.prepare(version='1.1').call(
            context, 'judge_hosts', spec=spec.to_dict(), hosts=hosts))

    def plan_moves(self, context, specs: list[RequestSpec],
                   forced: list[str]) -> list[Placement] | None:
        """Where each server would go, in order; None when pinned below 1.1."""
        if not self.client.can_send_version('1.1'):
            return None
        return [Placement(**p) for p in self.client.prepare(version='1.1').call(
            context, 'plan_moves', specs=[s.to_dict() for s in specs],
            forced=forced)]
