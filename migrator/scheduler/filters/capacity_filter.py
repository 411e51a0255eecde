from migrator.compute import claims
from migrator.scheduler import filters


class CapacityFilter(filters.BaseHostFilter):
    """VCPU, MEMORY_MB and DISK_GB fit within (total - reserved) * ratio."""

    name = 'CapacityFilter'

    def reject(self, host_state, spec):
        request = claims.Resources.from_flavor(spec.flavor)
        short = []
        for rc in claims.RESOURCE_CLASSES:
            wanted = request.amount(rc)
            if wanted and wanted > host_state.free[rc]:
                short.append('%s needs %d, %d free at ratio %g'
                             % (rc, wanted, host_state.free[rc],
                                host_state.ratios[rc]))
        return '; '.join(short) or None

    @staticmethod
    def short_classes(reason: str) -> list[str]:
        """Resource classes named in a reason, for the summary of a miss."""
        return [part.split(' ', 1)[0] for part in reason.split('; ')]
