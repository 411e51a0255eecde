"""The filter and weigher pipeline (no RPC, no state of its own)."""

import collections
import dataclasses
import functools
import heapq
import logging
import random

from migrator import exception
from migrator.compute import claims
from migrator.objects import verdict as verdict_mod
from migrator.objects.request_spec import RequestSpec, Selection
from migrator.scheduler import filters as filters_mod
from migrator.scheduler import host_state as host_state_mod
from migrator.scheduler import weights as weights_mod

LOG = logging.getLogger(__name__)

# Filters whose every rejection HostStateReader.ranked expresses in SQL.
_SQL_FILTERS = frozenset({'ComputeFilter', 'CapacityFilter'})


@dataclasses.dataclass(slots=True)
class HostJudgement:
    """What the filters said of one host, with the facts a move checks
    whatever they say (is the host up, enabled, when last seen)."""
    refusals: tuple  # the refusing verdicts (empty: every filter passed)
    up: bool
    enabled: bool
    last_seen_up: str | None  # ISO 8601, UTC; only for a host that is down
    weight: float | None  # how the scheduler ranks it, when a move could take it


_COLUMNS = ('up', 'enabled', 'last_seen_up', 'weight')


@dataclasses.dataclass
class Judgement:
    """The filters' verdicts on some hosts, as values (``Pipeline.judge``).

    Kept and sent by columns, refusals only where there are some: ten
    thousand hosts are one list per fact, not ten thousand objects.
    ``get`` makes one host's ``HostJudgement`` when asked.
    """
    filters: list[str]  # the enabled filters, in the order they judge
    hosts: list[str]  # the hosts judged
    up: list[bool]
    enabled: list[bool]
    last_seen_up: list[str | None]
    weight: list[float | None]
    refusals: dict  # host -> its refusing verdicts, for refused hosts only

    @classmethod
    def of(cls, filters: list[str], judged: dict) -> 'Judgement':
        """From host -> HostJudgement."""
        names = list(judged)
        return cls(filters, names, *([getattr(judged[name], column)
                                      for name in names] for column in _COLUMNS),
                   {name: tuple(found.refusals) for name, found in judged.items()
                    if found.refusals})

    @functools.cached_property
    def index(self) -> dict:
        """host -> its position in the columns."""
        return {name: at for at, name in enumerate(self.hosts)}

    def get(self, host: str) -> HostJudgement | None:
        """What was judged of ``host``; None for a host not judged."""
        at = self.index.get(host)
        if at is None:
            return None
        return HostJudgement(self.refusals.get(host, ()), self.up[at],
                             self.enabled[at], self.last_seen_up[at],
                             self.weight[at])

    def verdicts(self, host: str) -> list:
        """Every filter's verdict on ``host``, passes included."""
        refusals = self.refusals.get(host)
        if not refusals:
            return list(self._passes)
        refused = {v.check: v for v in refusals}
        return [refused.get(p.check) or p for p in self._passes]

    @functools.cached_property
    def _passes(self) -> tuple:
        """One pass per filter, shared by every host it lets through."""
        return tuple(verdict_mod.Verdict(name, True) for name in self.filters)

    def to_dict(self) -> dict:
        found = {'filters': self.filters, 'hosts': self.hosts,
                 'refusals': {name: [v.to_dict() for v in refusals]
                              for name, refusals in self.refusals.items()}}
        for column in _COLUMNS:
            found[column] = getattr(self, column)
        return found

    @classmethod
    def from_dict(cls, values: dict) -> 'Judgement':
        return cls(values['filters'], values['hosts'],
                   *(values[column] for column in _COLUMNS),
                   {name: tuple(verdict_mod.Verdict.from_dict(v) for v in found)
                    for name, found in values['refusals'].items()})


def _refusal(state, refused: list, force: bool) -> str | None:
    """What a plan counts against a host: its first refusal (for a forced
    move, the first force cannot go past); None when it would take the move."""
    if force:
        blocking = [v for v in refused if not v.forceable]
        if blocking:
            return blocking[0].label
        return None if state.service_up else 'ComputeServiceUp'
    return refused[0].label if refused else None


@dataclasses.dataclass
class Placement:
    """Where a plan would put one server, or why nowhere."""
    instance_uuid: str
    host: str | None
    reason: str | None

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


class Pipeline:
    """Filters and weighers resolved once, at start-up."""

    def __init__(self, conf, db):
        self.filters = filters_mod.load_filters(conf.scheduler.enabled_filters)
        self.weighers = weights_mod.load_weighers(conf)
        self.host_subset_size = conf.scheduler.host_subset_size
        self.max_attempts = conf.scheduler.max_attempts
        self.hosts = host_state_mod.HostStateReader(db, conf)

    def verdicts(self, state, spec: RequestSpec) -> list:
        """What every filter says of ``state``, in the configured order."""
        return [host_filter.judge(state, spec) for host_filter in self.filters]

    def rejections(self, state, spec: RequestSpec) -> list:
        """The refusals among ``verdicts``."""
        return [v for v in self.verdicts(state, spec) if not v.passed]

    def judge(self, spec: RequestSpec, hosts: list[str] | None = None) -> Judgement:
        """What every filter says of the named hosts that exist (every host
        when None), and how the scheduler would rank the ones all filters
        accept (not counting ``spec.ignore_hosts``): claims nothing.

        When only ComputeFilter and CapacityFilter can refuse (as for
        ``select``), one query says which hosts they pass, with their free
        amounts (``HostStateReader.judged``), the weights are worked out
        from those rows, and only the hosts the query refuses are read
        whole and judged by the filters, for their reasons."""
        if self._sql_can_decide(spec):
            found = self._judge_in_sql(spec, hosts)
            if found is not None:
                return found
        states = self.hosts.get(hosts)
        refusals = {}
        accepted = []
        for state in states:
            refused = self.rejections(state, spec)
            refusals[state.host] = refused
            if not refused and state.host not in spec.ignore_hosts:
                accepted.append(state)
        weights = {state.host: weight for weight, state in
                   weights_mod.weigh(self.weighers, accepted, spec)}
        return Judgement.of([f.name for f in self.filters], {
            state.host: self._judgement(state, refusals[state.host],
                                        weights.get(state.host))
            for state in states})

    @staticmethod
    def _judgement(state, refusals: list, weight) -> HostJudgement:
        return HostJudgement(
            tuple(refusals), state.service_up, not state.service_disabled,
            # Only a host that is down has a heartbeat worth telling.
            state.last_seen_up.isoformat()
            if state.last_seen_up and not state.service_up else None,
            weight)

    def _judge_in_sql(self, spec: RequestSpec, hosts) -> Judgement | None:
        """``judge`` from ``HostStateReader.judged``'s rows; None when a host
        they refuse passes the filters (it changed between the two reads),
        so that the caller judges every host in Python.

        The rows say which hosts pass ComputeFilter and CapacityFilter (the
        filters' own tests, on the same columns, in SQL); the weights are
        ``weights.totals`` of the rows' free amounts, as ``weights.weigh``
        works them out of HostStates."""
        ignored = set(spec.ignore_hosts)
        passed = []  # hosts every filter passes (then the refused ones)
        candidates = []  # rows of those a move could take
        doubted = []  # hosts to judge whole, for the filters' reasons
        for row in self.hosts.judged(spec.resources, hosts):
            if row[1]:
                passed.append(row[0])
                if row[0] not in ignored:
                    candidates.append(row)
            else:
                doubted.append(row[0])
        # A row's free amounts follow its host and whether it passes.
        totals = weights_mod.totals(self.weighers, len(candidates), lambda w: [
            row[2 + claims.RESOURCE_CLASSES.index(w.resource_class)]
            for row in candidates])
        weights = {row[0]: total for row, total in zip(candidates, totals)}
        count = len(passed)
        columns = {'up': [True] * count, 'enabled': [True] * count,
                   'last_seen_up': [None] * count,
                   'weight': [weights.get(host) for host in passed]}
        refusals = {}
        if doubted:
            # A long list of names costs the database more than every row.
            named = set(doubted)
            states = [s for s in self.hosts.get(
                doubted if len(doubted) <= 1000 else hosts) if s.host in named]
            if len(states) != len(doubted):
                return None
            for state in states:
                refused = self.rejections(state, spec)
                if not refused:
                    return None
                found = self._judgement(state, refused, None)
                passed.append(state.host)
                for column, values in columns.items():
                    values.append(getattr(found, column))
                refusals[state.host] = found.refusals
        return Judgement([f.name for f in self.filters], passed,
                         *(columns[column] for column in _COLUMNS), refusals)

    def plan(self, specs: list[RequestSpec], forced: set) -> list[Placement]:
        """Where each server of ``specs`` would go, in order, each placed on
        the capacity the ones before it left (the in-flight moves already
        hold theirs); ``forced`` servers go past the filters force may go
        past. Servers of one group see where the earlier ones went. A
        preview: nothing is claimed.

        Hosts are tried best first by weight (weighed over the candidates)
        and the first one the filters accept is taken, so a plan costs a
        few filter runs per server, not one per host; only a server no host
        accepts is judged on every host, for its reasons. Placing a server
        changes the weights of one host, so the raw weights are kept and
        that host's updated.
        """
        allowed = specs[0].allowed_hosts if specs else None
        order = list(self.hosts.get(allowed))
        weighers = [w for w in self.weighers if w.multiplier]
        raws = [[w.raw(state, specs[0] if specs else None) for state in order]
                for w in weighers]
        placed: dict = {}  # group uuid -> hosts the plan put members on
        found = []
        for spec in specs:
            if spec.group_uuid in placed:
                spec.group_hosts = sorted(set(spec.group_hosts)
                                          | placed[spec.group_uuid])
            force = spec.instance_uuid in forced
            ignored = set(spec.ignore_hosts)
            candidates = [i for i, state in enumerate(order)
                          if state.host not in ignored]
            best = self._best_accepting(order, candidates, weighers, raws, spec,
                                        force)
            if isinstance(best, str):
                found.append(Placement(spec.instance_uuid, None, best))
                continue
            state = order[best]
            order[best] = state = dataclasses.replace(state, inventories={
                rc: dataclasses.replace(inventory,
                                        used=inventory.used + spec.resources.amount(rc))
                for rc, inventory in state.inventories.items()})
            for weigher, values in zip(weighers, raws):
                values[best] = weigher.raw(state, spec)
            if spec.group_uuid:
                placed.setdefault(spec.group_uuid, set()).add(state.host)
            found.append(Placement(spec.instance_uuid, state.host, None))
        return found

    def _best_accepting(self, order, candidates, weighers, raws, spec, force):
        """The index of the best-weighed candidate the filters accept, or
        the reason none does ('0/N hosts accept: ...')."""
        kept = {id(weigher): values for weigher, values in zip(weighers, raws)}
        totals = weights_mod.totals(weighers, len(candidates), lambda w: [
            kept[id(w)][i] for i in candidates])
        # Best first; ties in host order, as weights.weigh keeps them.
        heap = [(-total, i) for i, total in zip(candidates, totals)]
        heapq.heapify(heap)
        refusals = []
        while heap:
            _total, i = heapq.heappop(heap)
            why = _refusal(order[i], self.rejections(order[i], spec), force)
            if why is None:
                return i
            refusals.append(why)
        counts = collections.Counter(refusals)
        return '0/%d hosts accept%s: %s' % (
            len(candidates), ' a forced move' if force else '',
            ', '.join('%d %s' % (n, label) for label, n in counts.most_common())
            or 'no compute hosts')

    def check_destination(self, spec: RequestSpec) -> Selection:
        """Judge only the requested destination; no alternates."""
        host = spec.requested_destination
        states = self.hosts.get([host])
        if not states:
            raise exception.ComputeHostNotFound(host=host)
        state = states[0]
        failures = self.rejections(state, spec)
        if failures:
            raise exception.NoValidHost(
                reason='Host %s is not a valid destination: %s' % (
                    host, verdict_mod.describe(failures)),
                verdicts=[v.to_dict() for v in failures])
        return Selection(host=state.host, node_uuid=state.node_uuid)

    def select(self, spec: RequestSpec) -> Selection:
        """Best host with alternates, or NoValidHost with a per-filter summary."""
        if spec.requested_destination:
            return self.check_destination(spec)
        request = spec.resources
        ranked = self._ranked_in_sql(spec, request)
        if ranked is None:
            survivors = self._filter(self.hosts.get(spec.allowed_hosts,
                                                    prefilter=request), spec)
            if not survivors:
                raise exception.NoValidHost(reason=self._summary(spec))
            ranked = weights_mod.weigh(self.weighers, survivors, spec)
        pick = random.randrange(min(self.host_subset_size, len(ranked)))
        weight, best = ranked.pop(pick)
        alternates = [s.host for _w, s in ranked[:self.max_attempts - 1]]
        return Selection(host=best.host, node_uuid=best.node_uuid,
                         weight=weight, alternates=alternates)

    def _ranked_in_sql(self, spec: RequestSpec, request) -> list | None:
        """The best few hosts, filtered and weighed in SQL, when the request
        asks nothing of the filters SQL cannot express; None otherwise.

        Only ComputeFilter and CapacityFilter can then reject a host, and
        the query applies both, so its candidates are exactly the filters'
        survivors and the ranking is the one ``weights.weigh`` gives. The
        filters still judge the hosts it returns; any doubt falls back to
        filtering every host in Python.
        """
        if not self._sql_can_decide(spec):
            return None
        ranked = self.hosts.ranked(request, spec.ignore_hosts, self.weighers,
                                   self.host_subset_size + self.max_attempts - 1,
                                   spec.allowed_hosts)
        if not ranked or any(self.rejections(state, spec)
                             for _weight, state in ranked):
            return None
        return ranked

    def _sql_can_decide(self, spec: RequestSpec) -> bool:
        return (all(f.name in _SQL_FILTERS or not f.applies(spec)
                    for f in self.filters)
                and all(w.resource_class or not w.multiplier
                        for w in self.weighers))

    def _filter(self, states, spec):
        states = [s for s in states if s.host not in spec.ignore_hosts]
        for host_filter in self.filters:
            states = [s for s in states if host_filter.judge(s, spec).passed]
            LOG.debug('%s: %d host(s) left', host_filter.name, len(states))
            if not states:
                break
        return states

    def _summary(self, spec: RequestSpec) -> str:
        """'0/40 hosts: 31 CapacityFilter (MEMORY_MB), 9 AvailabilityZoneFilter'."""
        states = self.hosts.get(spec.allowed_hosts)
        counts: collections.Counter = collections.Counter()
        for state in states:
            if state.host in spec.ignore_hosts:
                counts['source host excluded'] += 1
                continue
            for host_filter in self.filters:
                found = host_filter.judge(state, spec)
                if not found.passed:
                    counts[found.label] += 1
                    break
        parts = ', '.join('%d %s' % (n, label)
                          for label, n in counts.most_common())
        LOG.info('No valid host for %s: %s', spec.instance_uuid, parts)
        return '0/%d hosts: %s' % (len(states), parts or 'no compute hosts')
