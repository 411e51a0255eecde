from migrator.api.policies import base

rules = [
    base.rule('os_compute_api:os-hypervisors', base.ADMIN,
              'List and show hypervisors with capacity and usage.',
              'GET', '/os-hypervisors'),
]
