from migrator.scheduler import filters


class DifferentHostFilter(filters.BaseHostFilter):
    """Scheduler hint ``different_host``: not on a host of the named servers."""

    name = 'DifferentHostFilter'

    def applies(self, spec):
        return bool(spec.different_host)

    def judge(self, host_state, spec):
        if host_state.host in spec.different_host:
            return self.refuse('hint different_host excludes hosts %s' % ', '.join(
                sorted(set(spec.different_host))))
        return self.passes
