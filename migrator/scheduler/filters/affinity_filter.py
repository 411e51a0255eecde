from migrator.scheduler import filters


class ServerGroupAffinityFilter(filters.BaseHostFilter):
    """Members of an affinity group share one host."""

    name = 'ServerGroupAffinityFilter'

    def applies(self, spec):
        return spec.group_policy == 'affinity' and bool(spec.group_hosts)

    def judge(self, host_state, spec):
        if not self.applies(spec) or host_state.host in spec.group_hosts:
            return self.passes
        return self.refuse('affinity group %s lives on %s' % (
            spec.group_uuid, ', '.join(sorted(spec.group_hosts))))
