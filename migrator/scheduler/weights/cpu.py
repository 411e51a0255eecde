from migrator.scheduler.weights import base


class CPUWeigher(base.BaseWeigher):
    """Free VCPUs: spread by default."""

    multiplier_option = 'cpu_weight_multiplier'
    resource_class = 'VCPU'

    def raw(self, host_state, spec):
        return host_state.inventories[self.resource_class].free
