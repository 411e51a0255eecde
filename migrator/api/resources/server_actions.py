"""POST /servers/{id}/action: one key names the action."""

import falcon

from migrator import exception
from migrator.api.resources import base, migrate_server, server_power
from migrator.api.resources.servers import load_server

ACTIONS = {
    'migrate': migrate_server.migrate,
    'confirmResize': migrate_server.confirm_resize,
    'revertResize': migrate_server.revert_resize,
    'os-stop': server_power.stop,
    'os-start': server_power.start,
    'lock': server_power.lock,
    'unlock': server_power.unlock,
}


class Action:
    def __init__(self, deps):
        self.deps = deps

    def on_post(self, req, resp, server_id):
        body = base.json_body(req)
        if not isinstance(body, dict) or len(body) != 1:
            raise exception.Invalid(
                reason='the body must be an object with exactly one action '
                       'key, one of: %s' % ', '.join(sorted(ACTIONS)))
        (name, _value), = body.items()
        handler = ACTIONS.get(name)
        if handler is None:
            raise exception.Invalid('There is no such action: %s. Supported '
                                    'actions: %s.' % (name, ', '.join(sorted(ACTIONS))))
        instance = load_server(req, self.deps, server_id)
        status = handler(self.deps, req, instance, body)
        resp.status = status or falcon.HTTP_202
