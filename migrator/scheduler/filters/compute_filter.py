from migrator.scheduler import filters


class ComputeFilter(filters.BaseHostFilter):
    """The host's compute service is enabled and up."""

    name = 'ComputeFilter'

    def judge(self, host_state, spec):
        if host_state.service_disabled:
            reason = host_state.disabled_reason
            return self.refuse('compute service is disabled%s' % (
                ' (%s)' % reason if reason else ''))
        if not host_state.service_up:
            return self.refuse('compute service is down')
        return self.passes
