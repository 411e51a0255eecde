"""Reading flavors: migrator's own two rules, which Nova does not have
(Nova lets every caller read the flavors visible to it). They default to
any caller, so they change nothing until a deployer overrides them."""

from migrator.api.policies import base

INDEX = 'os_compute_api:flavors:index'
SHOW = 'os_compute_api:flavors:show'

rules = [
    base.rule(INDEX, base.ANY,
              'List the flavors visible to the caller: anyone, as in Nova.',
              [('GET', '/flavors'), ('GET', '/flavors/detail')]),
    base.rule(SHOW, base.ANY,
              'Show a flavor visible to the caller: anyone, as in Nova.',
              [('GET', '/flavors/{flavor_id}')]),
]
