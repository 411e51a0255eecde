"""The migration check: could this server go to host X (or to any host),
and if not, why; and what would ``force`` change? Read-only: it claims
nothing and changes nothing.

It asks what a move asks, with the same code: the lock and the server's
state (``servers.check_not_locked``, ``moves.check_movable``), the source
up (``moves.check_source``), the destination's own checks
(``moves.destination_refusals``) and the scheduler's filters, through the
scheduler itself (``judge_hosts``), on the RequestSpec a move would send
(``request_spec.for_move``, ``request_spec.resolve``). So the check and
the move cannot disagree on a quiet system.
"""

import collections
import dataclasses

from migrator import exception
from migrator.objects import instance as instance_mod
from migrator.objects import request_spec
from migrator.objects.verdict import Verdict
from migrator.operations import moves
from migrator.operations import servers as servers_ops


@dataclasses.dataclass(slots=True)
class HostCheck:
    """One host's answer (built for every host of the cloud: slots, and
    its verdicts filled in only for the hosts of the page)."""
    host: str
    accepted: bool  # the move as asked (forced or not) would be accepted
    exists: bool
    up: bool | None
    enabled: bool | None
    verdicts: list  # every filter's verdict, passes included
    refusals: list  # what refuses the host to a move that is not forced
    overrides: list  # the refusals force goes past
    blocks: list  # what a forced move would still meet
    weight: float | None  # the scheduler's rank among the accepting hosts


@dataclasses.dataclass(frozen=True)
class Check:
    server_id: str
    source: str
    force: bool
    server_refusals: list  # what refuses every host (lock, state, source)
    hosts: list  # HostCheck, best first: accepting hosts by rank, then the rest
    total: int  # hosts judged, before paging
    accepting: int
    summary: str


def _refused(check: str, test, *args) -> list[Verdict]:
    """``test(*args)`` as a verdict: its 4xx error's message, if it raises."""
    try:
        test(*args)
    except exception.MigratorException as error:
        return [Verdict.refuse(check, error.format_message(), forceable=False)]
    return []


class MigrationChecks:
    def __init__(self, conf, db, scheduler_api):
        self.conf = conf
        self.db = db
        self.scheduler_api = scheduler_api

    def check(self, ctx, instance, hosts: list[str] | None = None,
              force: bool = False, limit: int | None = None,
              marker: str | None = None) -> Check:
        """Judge ``hosts`` (every compute host when None) as destinations of
        ``instance``; page the answer with ``limit`` hosts after ``marker``."""
        server_refusals = (
            _refused('Lock', servers_ops.check_not_locked, ctx, instance)
            + _refused('ServerState', moves.check_movable, instance)
            + self.db.read(lambda s: _refused(
                'SourceServiceUp', moves.check_source, s, instance,
                self.conf.service_down_time)))
        spec = self.db.read(self._spec, instance, force)
        judged = self.scheduler_api.judge_hosts(ctx, spec, hosts)
        if judged is None:
            raise exception.ServiceUnavailable(
                reason='the scheduler is pinned below RPC 1.1 ([upgrade_levels] '
                       'scheduler) and cannot judge hosts for a check')
        names = list(dict.fromkeys(hosts)) if hosts is not None else sorted(
            judged.hosts)
        found = [self._host(instance.host, name, judged, force, server_refusals)
                 for name in names]
        # As the scheduler ranks: accepting hosts by weight, best first.
        found.sort(key=lambda h: (not h.accepted, h.weight is None,
                                  -(h.weight or 0.0), h.host))
        accepting = sum(1 for h in found if h.accepted)
        summary = _summary(found, accepting, server_refusals, force)
        # Every filter's verdict, passes included, for the hosts shown only.
        page = _page(found, limit, marker)
        for host in page:
            if host.exists:
                host.verdicts = judged.verdicts(host.host)
        return Check(instance.uuid, instance.host, force, server_refusals, page,
                     len(found), accepting, summary)

    def _spec(self, session, instance, force):
        """The RequestSpec a move of ``instance`` would send, resolved."""
        spec = request_spec.for_move(
            instance, instance_mod.group_of(session, instance.uuid), None, force,
            self.conf.allow_resize_to_same_host)
        # Every host is judged as a named destination: never the source.
        spec.ignore_hosts = [instance.host]
        return request_spec.resolve(session, spec)

    @staticmethod
    def _host(source, name, judged, force, server_refusals) -> HostCheck:
        facts = judged.hosts.get(name)
        exists = facts is not None
        up = facts.up if exists else None
        last_seen = facts.last_seen_up if exists else None
        filters = facts.refusals if exists else []
        refusals = moves.destination_refusals(source, name, exists, up, last_seen,
                                              False) + filters
        blocks = moves.destination_refusals(source, name, exists, up, last_seen,
                                            True) + [v for v in filters
                                                     if not v.forceable]
        overrides = [v for v in filters if v.forceable]
        accepted = not server_refusals and not (blocks if force else refusals)
        return HostCheck(name, accepted, exists, up,
                         facts.enabled if exists else None, [], refusals,
                         overrides, blocks,
                         facts.weight if exists and not refusals else None)


def _page(found: list, limit: int | None, marker: str | None) -> list:
    if marker is not None:
        names = [h.host for h in found]
        if marker not in names:
            raise exception.Invalid('marker [%s] not found' % marker)
        found = found[names.index(marker) + 1:]
    return found if limit is None else found[:limit]


def _summary(found, accepting, server_refusals, force) -> str:
    """'0/40 hosts accept: 31 CapacityFilter (MEMORY_MB), 9 AvailabilityZoneFilter'."""
    head = '%d/%d hosts accept%s' % (accepting, len(found),
                                     ' a forced move' if force else '')
    if server_refusals:
        return '%s: %s' % (head, '; '.join(v.reason for v in server_refusals))
    counts: collections.Counter = collections.Counter()
    for host in found:
        refused = host.blocks if force else host.refusals
        if not host.accepted and refused:
            counts[refused[0].label] += 1
    if not counts:
        return head
    return '%s: %s' % (head, ', '.join('%d %s' % (n, label)
                                       for label, n in counts.most_common()))
