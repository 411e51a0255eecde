from migrator.scheduler.weights import base


class DiskWeigher(base.BaseWeigher):
    """Free disk: spread by default."""

    multiplier_option = 'disk_weight_multiplier'

    def raw(self, host_state, spec):
        return host_state.free['DISK_GB']
