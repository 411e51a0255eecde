"""Administrator actions on a server."""

from migrator.api.policies import base

RESET_STATE = 'os_compute_api:os-admin-actions:reset_state'

rules = [
    base.rule(RESET_STATE, base.ADMIN,
              'Reset the state of a server (os-resetState): it overrides '
              "what the services recorded, so administrators only.",
              [('POST', '/servers/{server_id}/action (os-resetState)')]),
]
