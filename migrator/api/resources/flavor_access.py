"""os-flavor-access: which projects may use a private flavor."""

from migrator.api import common
from migrator.api.policies import flavor_access as access_policies


def _serialize(flavor_id: str, projects: list[str]) -> dict:
    return {'flavor_access': [{'flavor_id': flavor_id, 'tenant_id': project}
                              for project in projects]}


class Access:
    """GET /flavors/{flavor_id}/os-flavor-access."""

    def __init__(self, deps):
        self.deps = deps

    def on_get(self, req, resp, flavor_id):
        self.deps.authorizer.authorize(common.context(req), access_policies.LIST)
        resp.media = _serialize(flavor_id, self.deps.ops.flavors.access(flavor_id))


class Action:
    """POST /flavors/{flavor_id}/action: addTenantAccess, removeTenantAccess."""

    RULES = {'addTenantAccess': access_policies.ADD_TENANT_ACCESS,
             'removeTenantAccess': access_policies.REMOVE_TENANT_ACCESS}

    def __init__(self, deps):
        self.deps = deps

    def on_post(self, req, resp, flavor_id):
        name, _value = common.action(req, 'the body must hold exactly one of %s')
        project = common.action_body(req, name)[name]['tenant']
        self.deps.authorizer.authorize(common.context(req), self.RULES[name])
        flavors = self.deps.ops.flavors
        change = flavors.add_access if name == 'addTenantAccess' else flavors.remove_access
        resp.media = _serialize(flavor_id, change(flavor_id, project))
