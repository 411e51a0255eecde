from migrator.compute import claims
from migrator.objects.verdict import Verdict
from migrator.scheduler import filters


class CapacityFilter(filters.BaseHostFilter):
    """VCPU, MEMORY_MB and DISK_GB fit within (total - reserved) * ratio."""

    name = 'CapacityFilter'

    def judge(self, host_state, spec):
        missing = claims.shortfalls(host_state.inventories, spec.resources)
        if not missing:
            return self.passes
        # A forced move is still claimed: force never goes past capacity.
        return Verdict.short_of(self.name, missing, forceable=False)
