"""GET /limits: the project's limits and what it uses, as Nova shows them.

migrator enforces no quotas, so every limit is ``-1`` (unlimited, as Nova
shows an unlimited quota); the usage is counted from the project's servers
and server groups. ``rate`` is always empty, as in Nova.
"""

from migrator.api import common
from migrator.api import microversion as mv
from migrator.api.policies import limits as limit_policies

UNLIMITED = -1
# The limits Nova shows at every microversion; the network ones only before
# 2.36, maxImageMeta only before 2.39.
_NETWORK = ('maxSecurityGroups', 'maxSecurityGroupRules', 'maxTotalFloatingIps')
_NETWORK_USED = ('totalFloatingIpsUsed', 'totalSecurityGroupsUsed')
_ALWAYS = ('maxServerMeta', 'maxPersonality', 'maxPersonalitySize',
           'maxTotalKeypairs', 'maxServerGroups', 'maxServerGroupMembers',
           'maxTotalCores', 'maxTotalInstances', 'maxTotalRAMSize')


class Limits:
    def __init__(self, deps):
        self.deps = deps

    def on_get(self, req, resp):
        ctx = common.context(req)
        self.deps.authorizer.authorize(ctx, limit_policies.SHOW)
        project_id = common.params(req).get('tenant_id') or ctx.project_id
        if project_id != ctx.project_id:
            self.deps.authorizer.authorize(ctx, limit_policies.OTHER_PROJECT)
        usage = self.deps.ops.limits.usage(project_id)
        absolute = dict.fromkeys(_ALWAYS, UNLIMITED)
        absolute.update(totalInstancesUsed=usage.instances,
                        totalCoresUsed=usage.cores, totalRAMUsed=usage.ram_mb,
                        totalServerGroupsUsed=usage.server_groups)
        if not common.version_at_least(req, mv.LIMITS_NO_NETWORK):
            absolute.update(dict.fromkeys(_NETWORK, UNLIMITED))
            absolute.update(dict.fromkeys(_NETWORK_USED, 0))
        if not common.version_at_least(req, mv.LIMITS_NO_IMAGE_META):
            absolute['maxImageMeta'] = UNLIMITED
        resp.media = {'limits': {'rate': [], 'absolute': absolute}}
