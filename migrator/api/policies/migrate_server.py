from migrator.api.policies import base

PREFIX = 'os_compute_api:os-migrate-server:%s'

rules = [
    base.rule(PREFIX % 'migrate', base.ADMIN,
              'Cold migrate a server; the scheduler picks the host.',
              'POST', '/servers/{server_id}/action (migrate)'),
    base.rule(PREFIX % 'migrate:host', base.ADMIN,
              'Cold migrate a server to a named host (2.56).',
              'POST', '/servers/{server_id}/action (migrate)'),
    base.rule(PREFIX % 'migrate:force', base.ADMIN,
              'Cold migrate a server to a named host past the scheduler '
              'filters (2.56). Capacity, host up and not-the-source still '
              'hold.', 'POST', '/servers/{server_id}/action (migrate)'),
]
