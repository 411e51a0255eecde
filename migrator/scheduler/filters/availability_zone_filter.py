from migrator.scheduler import filters


class AvailabilityZoneFilter(filters.BaseHostFilter):
    """The host is in the zone the server asked for (or lives in)."""

    name = 'AvailabilityZoneFilter'

    def applies(self, spec):
        return bool(spec.availability_zone)

    def judge(self, host_state, spec):
        wanted = spec.availability_zone
        if not wanted or wanted in host_state.availability_zone.split(','):
            return self.passes
        return self.refuse('server is in zone %s, host is in %s' % (
            wanted, host_state.availability_zone))
