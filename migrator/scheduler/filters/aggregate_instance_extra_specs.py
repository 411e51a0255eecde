from migrator.scheduler import filters

_SCOPE = 'aggregate_instance_extra_specs:'


class AggregateInstanceExtraSpecsFilter(filters.BaseHostFilter):
    """Flavor extra specs ``aggregate_instance_extra_specs:KEY=VALUE`` (or a
    bare ``KEY=VALUE`` without a scope) must match the host's aggregate
    metadata."""

    name = 'AggregateInstanceExtraSpecsFilter'

    def applies(self, spec):
        return any(':' not in key or key.startswith(_SCOPE)
                   for key in spec.extra_specs)

    def judge(self, host_state, spec):
        for key, wanted in spec.extra_specs.items():
            if ':' in key:
                if not key.startswith(_SCOPE):
                    continue
                key = key[len(_SCOPE):]
            values = host_state.aggregate_metadata.get(key)
            if not values:
                return self.refuse('flavor wants %s=%s, no aggregate of the '
                                   'host sets %s' % (key, wanted, key))
            if str(wanted) not in values:
                return self.refuse('flavor wants %s=%s, host aggregates have %s'
                                   % (key, wanted, ','.join(sorted(values))))
        return self.passes
