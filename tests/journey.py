"""What a user does over HTTP, whatever carries the request.

One client for every test: the in-process service of the functional tests
(``tests.fixtures.Service``, over WebTest) and the real processes of the
integration tests (``tests.integration.cluster.Cluster``, over requests)
both take these steps from ``Journey`` and supply only ``_get`` and
``_post``. Paths are from the service's root (``/v2.1/...``,
``/migrator/...``).
"""

import time


class Journey:
    #: How long a wait lasts, and how often it looks.
    settle_timeout: float = 10
    poll_interval: float = 0.01
    admin_token = 'admin:admin'

    # -- the transport (a subclass's) ---------------------------------------------

    def _get(self, path: str, token: str, version: str | None = None,
             params: dict | None = None) -> tuple[int, object, str]:
        """(status, parsed body or None, text) of a GET."""
        raise NotImplementedError

    def _post(self, path: str, body, token: str,
              version: str | None = None) -> tuple[int, object, str]:
        raise NotImplementedError

    def _read(self, path: str, token: str | None = None, version: str | None = None,
              params: dict | None = None):
        status, parsed, text = self._get(path, token or self.admin_token, version,
                                         params)
        assert status == 200, (path, status, text[:500])
        return parsed

    # -- servers ----------------------------------------------------------------------

    def boot(self, name='vm', flavor='1', token=None, wait='ACTIVE', hints=None,
             **server) -> str:
        """Create a server; wait until it shows ``wait`` (unless None)."""
        body = {'server': dict(name=name, flavorRef=flavor, **server)}
        if hints:
            body['os:scheduler_hints'] = hints
        status, parsed, text = self._post('/v2.1/servers', body,
                                          token or self.admin_token)
        assert status == 202, (status, text[:500])
        server_id = parsed['server']['id']
        if wait:
            self.wait_status(server_id, wait, token=token)
        return server_id

    def show(self, server_id, token=None, version='2.56') -> dict:
        return self._read('/v2.1/servers/%s' % server_id, token, version)['server']

    def host_of(self, server_id) -> str:
        return self.show(server_id)['OS-EXT-SRV-ATTR:host']

    def wait_status(self, server_id, status, token=None, timeout=None) -> dict:
        """The server once it shows ``status`` and no task is under way; an
        AssertionError at the deadline, or at once if it went to ERROR."""
        timeout = self.settle_timeout if timeout is None else timeout
        deadline = time.monotonic() + timeout
        while True:
            server = self.show(server_id, token)
            if server['status'] == status and server['OS-EXT-STS:task_state'] is None:
                return server
            if server['status'] == 'ERROR' and status != 'ERROR':
                raise AssertionError('server %s went to ERROR: %s' % (
                    server_id, server.get('fault')))
            if time.monotonic() > deadline:
                raise AssertionError('server %s is %s/%s after %ss, not %s' % (
                    server_id, server['status'], server['OS-EXT-STS:task_state'],
                    timeout, status))
            time.sleep(self.poll_interval)

    # -- moves ------------------------------------------------------------------------

    def migrations(self, **params) -> list:
        """``GET /os-migrations`` (newest first) as an administrator."""
        return self._read('/v2.1/os-migrations', version='2.56',
                          params=params)['migrations']

    def migrations_of(self, server_id) -> list:
        return self.migrations(instance_uuid=server_id)

    def records(self, token=None, **params) -> list:
        """The records of moves, from migrator's own API, newest first."""
        return self._read('/migrator/migrations', token, params=params)['migrations']

    def records_of(self, server_id, token=None) -> list:
        return self.records(token=token, server_id=server_id)

    def record(self, server_id, token=None) -> dict:
        """The record of the newest move of a server."""
        return self.records_of(server_id, token)[0]

    def wait_migration(self, server_id, statuses, timeout=None) -> dict:
        """The server's newest migration once it is in one of ``statuses``."""
        timeout = self.settle_timeout if timeout is None else timeout
        deadline = time.monotonic() + timeout
        while True:
            found = self.migrations_of(server_id)
            if found and found[0]['status'] in statuses:
                return found[0]
            if time.monotonic() > deadline:
                raise AssertionError('migration of %s is %s after %ss, not %s' % (
                    server_id, found[0]['status'] if found else 'not recorded',
                    timeout, ' or '.join(statuses)))
            time.sleep(self.poll_interval)
