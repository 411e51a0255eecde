from migrator.scheduler import filters


class SameHostFilter(filters.BaseHostFilter):
    """Scheduler hint ``same_host``: on a host with all the named servers."""

    name = 'SameHostFilter'

    def applies(self, spec):
        return bool(spec.same_host)

    def judge(self, host_state, spec):
        if not spec.same_host or set(spec.same_host) == {host_state.host}:
            return self.passes
        return self.refuse('hint same_host wants the host of %s' % ', '.join(
            sorted(set(spec.same_host))))
