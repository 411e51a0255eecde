"""The scheduler RPC endpoint: stateless, reads host state from the DB."""

import oslo_messaging as messaging

from migrator import exception
from migrator.objects.request_spec import RequestSpec
from migrator.scheduler import pipeline


class SchedulerManager:
    RPC_API_VERSION = '1.1'
    target = messaging.Target(version=RPC_API_VERSION)

    def __init__(self, conf, db):
        self.pipeline = pipeline.Pipeline(conf, db)

    @messaging.expected_exceptions(exception.NoValidHost,
                                   exception.ComputeHostNotFound)
    def select_destinations(self, context, spec: dict) -> dict:
        """The chosen host (and alternates), or NoValidHost with reasons."""
        return self.pipeline.select(RequestSpec.from_dict(spec)).to_dict()

    def judge_hosts(self, context, spec: dict, hosts: list[str] | None) -> dict:
        """What every filter says of the named hosts (every host when None)
        and the weights of those a move could take; nothing is chosen or
        claimed (a ``Judgement`` as a dict)."""
        return self.pipeline.judge(RequestSpec.from_dict(spec), hosts).to_dict()

    def plan_moves(self, context, specs: list[dict], forced: list[str]) -> list:
        """Where each server would go, in order (``Pipeline.plan``)."""
        return [p.to_dict() for p in self.pipeline.plan(
            [RequestSpec.from_dict(spec) for spec in specs], set(forced))]
