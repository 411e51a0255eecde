"""Scheduler filters: one small class per module.

A filter is a pure function of ``(host_state, request_spec)``: ``judge``
returns a ``Verdict``, its shared pass when the host passes and otherwise a
refusal whose reason an operator can act on.
"""

import importlib

from migrator import exception
from migrator.objects.verdict import Verdict

# name -> module; listed explicitly so start-up never walks directories.
AVAILABLE_FILTERS = {
    'ComputeFilter': 'compute_filter',
    'AvailabilityZoneFilter': 'availability_zone_filter',
    'CapacityFilter': 'capacity_filter',
    'AggregateInstanceExtraSpecsFilter': 'aggregate_instance_extra_specs',
    'ServerGroupAffinityFilter': 'affinity_filter',
    'ServerGroupAntiAffinityFilter': 'anti_affinity_filter',
    'SameHostFilter': 'same_host_filter',
    'DifferentHostFilter': 'different_host_filter',
}


class BaseHostFilter:
    """Subclasses implement ``judge``."""

    name: str = ''

    def __init__(self):
        # One pass per filter, shared by every host it lets through.
        self.passes = Verdict(self.name, True)

    def judge(self, host_state, spec) -> Verdict:
        raise NotImplementedError

    def refuse(self, reason: str) -> Verdict:
        return Verdict.refuse(self.name, reason)

    def applies(self, spec) -> bool:
        """Whether this filter could reject any host for ``spec``. False lets
        the scheduler rank hosts in SQL without asking it about each one."""
        return True


def load_filters(names: list[str]) -> list[BaseHostFilter]:
    """Instantiate the enabled filters; an unknown name is a fatal error."""
    loaded = []
    for name in names:
        module_name = AVAILABLE_FILTERS.get(name)
        if module_name is None:
            raise exception.UnknownFilter(
                name=name, available=', '.join(sorted(AVAILABLE_FILTERS)))
        module = importlib.import_module('%s.%s' % (__name__, module_name))
        loaded.append(getattr(module, name)())
    return loaded
