from migrator.scheduler import filters


class AvailabilityZoneFilter(filters.BaseHostFilter):
    """The host is in the zone the server asked for (or lives in)."""

    name = 'AvailabilityZoneFilter'

    def applies(self, spec):
        return bool(spec.availability_zone)

    def reject(self, host_state, spec):
        wanted = spec.availability_zone
        if not wanted:
            return None
        zones = host_state.availability_zone.split(',')
        if wanted in zones:
            return None
        return 'server is in zone %s, host is in %s' % (
            wanted, host_state.availability_zone)
