from migrator.scheduler import filters


class ServerGroupAffinityFilter(filters.BaseHostFilter):
    """Members of an affinity group share one host."""

    name = 'ServerGroupAffinityFilter'

    def applies(self, spec):
        return spec.group_policy == 'affinity' and bool(spec.group_hosts)

    def reject(self, host_state, spec):
        if spec.group_policy != 'affinity' or not spec.group_hosts:
            return None
        if host_state.host in spec.group_hosts:
            return None
        return 'affinity group %s lives on %s' % (
            spec.group_uuid, ', '.join(sorted(spec.group_hosts)))
