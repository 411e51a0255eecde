from migrator.scheduler.weights import base


class RAMWeigher(base.BaseWeigher):
    """Free memory: spread by default."""

    multiplier_option = 'ram_weight_multiplier'

    def raw(self, host_state, spec):
        return host_state.free['MEMORY_MB']
