from migrator.scheduler import filters


class ComputeFilter(filters.BaseHostFilter):
    """The host's compute service is enabled and up."""

    name = 'ComputeFilter'

    def reject(self, host_state, spec):
        if host_state.service_disabled:
            reason = host_state.disabled_reason
            return 'compute service is disabled%s' % (
                ' (%s)' % reason if reason else '')
        if not host_state.service_up:
            return 'compute service is down'
        return None
