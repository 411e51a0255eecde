from migrator.scheduler import filters


class ServerGroupAntiAffinityFilter(filters.BaseHostFilter):
    """Members of an anti-affinity group never share a host."""

    name = 'ServerGroupAntiAffinityFilter'

    def applies(self, spec):
        return spec.group_policy == 'anti-affinity' and bool(spec.group_hosts)

    def judge(self, host_state, spec):
        if spec.group_policy == 'anti-affinity' and \
                host_state.host in spec.group_hosts:
            return self.refuse('host already runs a member of anti-affinity '
                               'group %s' % spec.group_uuid)
        return self.passes
