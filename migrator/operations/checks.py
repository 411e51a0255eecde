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
    """One host's answer, built for the hosts of the page only."""
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
        # Ranked below by name among equals: no need to sort them first.
        names = list(dict.fromkeys(hosts)) if hosts is not None else judged.hosts
        source = instance.host
        # Every host is judged and ranked, but described only on the page:
        # at ten thousand hosts the descriptions cost more than the ranking.
        # So the ranking reads the judgement's columns, making no object
        # per host.
        ranked = []
        labels: collections.Counter = collections.Counter()
        index, up, seen, weight = (judged.index, judged.up, judged.last_seen_up,
                                   judged.weight)
        for name in names:
            at = index.get(name)
            refused = server_refusals or (
                _refusals(source, name, False, None, None, (), force) if at is None
                else _refusals(source, name, True, up[at], seen[at],
                               judged.refusals.get(name, ()), force))
            if refused:
                ranked.append((True, True, 0.0, name))
                if not server_refusals:
                    labels[refused[0].label] += 1
            else:
                ranked.append((False, weight[at] is None, -(weight[at] or 0.0),
                               name))
        # As the scheduler ranks: accepting hosts by weight, best first.
        ranked.sort()
        accepting = len(ranked) - sum(labels.values()) if not server_refusals \
            else 0
        summary = _summary(len(ranked), accepting, server_refusals, labels, force)
        page = [self._host(source, name, judged, force, server_refusals)
                for name in _page([name for *_key, name in ranked], limit, marker)]
        # Every filter's verdict, passes included, for the hosts shown only.
        for host in page:
            if host.exists:
                host.verdicts = judged.verdicts(host.host)
        return Check(instance.uuid, source, force, server_refusals, page,
                     len(ranked), accepting, summary)

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
        facts = judged.get(name)
        exists = facts is not None
        found = ((True, facts.up, facts.last_seen_up, facts.refusals) if exists
                 else (False, None, None, ()))
        refusals = _refusals(source, name, *found, False)
        blocks = _refusals(source, name, *found, True)
        return HostCheck(name, not server_refusals and not (
                         blocks if force else refusals), exists,
                         facts.up if exists else None,
                         facts.enabled if exists else None, [], refusals,
                         [v for v in facts.refusals if v.forceable]
                         if exists else [], blocks,
                         facts.weight if exists and not refusals else None)


def _refusals(source: str, name: str, exists: bool, up, last_seen_up,
              filters, force: bool) -> list:
    """What refuses a move to ``name`` (forced or not): the destination's
    own checks, then the refusals of the filters (``filters``) that force
    does not go past."""
    own = moves.destination_refusals(source, name, exists, up, last_seen_up, force)
    if not filters:
        return own
    return own + [v for v in filters if not (force and v.forceable)]


def _page(names: list, limit: int | None, marker: str | None) -> list:
    if marker is not None:
        if marker not in names:
            raise exception.Invalid('marker [%s] not found' % marker)
        names = names[names.index(marker) + 1:]
    return names if limit is None else names[:limit]


def _summary(total, accepting, server_refusals, labels, force) -> str:
    """'0/40 hosts accept: 31 CapacityFilter (MEMORY_MB), 9 AvailabilityZoneFilter',
    counting each refused host by what refuses it first."""
    head = '%d/%d hosts accept%s' % (accepting, total,
                                     ' a forced move' if force else '')
    if server_refusals:
        return '%s: %s' % (head, '; '.join(v.reason for v in server_refusals))
    if not labels:
        return head
    return '%s: %s' % (head, ', '.join('%d %s' % (n, label)
                                       for label, n in labels.most_common()))
