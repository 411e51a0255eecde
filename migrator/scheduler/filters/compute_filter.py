from migrator.objects.verdict import Verdict
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
            # A forced move needs the host up as much as any other.
            return Verdict.refuse(self.name, 'compute service is down',
                                  forceable=False)
        return self.passes
