from migrator.scheduler.weights import base


class RAMWeigher(base.BaseWeigher):
    """Free memory: spread by default."""

    multiplier_option = 'ram_weight_multiplier'
    resource_class = 'MEMORY_MB'

    def raw(self, host_state, spec):
        return host_state.inventories[self.resource_class].free
