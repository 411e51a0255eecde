from migrator.scheduler.weights import base


class DiskWeigher(base.BaseWeigher):
    """Free disk: spread by default."""

    multiplier_option = 'disk_weight_multiplier'
    resource_class = 'DISK_GB'

    def raw(self, host_state, spec):
        return host_state.inventories[self.resource_class].free
