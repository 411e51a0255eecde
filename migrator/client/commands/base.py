"""What every command shares: the client, and waiting for a server."""

import time

from migrator.client import http

DEFAULT_TIMEOUT = 600


def add_wait_arguments(parser, what: str) -> None:
    parser.add_argument('--wait', action='store_true',
                        help='Wait until %s has finished.' % what)
    parser.add_argument('--timeout', type=float, default=DEFAULT_TIMEOUT,
                        metavar='SECONDS',
                        help='With --wait, give up after this many seconds '
                             '(default: %d).' % DEFAULT_TIMEOUT)


def wait_for_server(client: http.ComputeClient, server_id: str, statuses,
                    timeout: float, interval: float = 0.2) -> dict:
    """Poll a server until it shows one of ``statuses`` with no task; an
    ERROR status ends the wait with the server's fault."""
    deadline = time.monotonic() + timeout
    while True:
        server = client.get('/servers/%s' % server_id)['server']
        status = server['status']
        if status in statuses and not server.get('OS-EXT-STS:task_state'):
            return server
        if status == 'ERROR' and 'ERROR' not in statuses:
            fault = (server.get('fault') or {}).get('message') or 'no fault recorded'
            raise http.CommandError('Server %s went to ERROR: %s' % (server_id, fault))
        if time.monotonic() > deadline:
            raise http.CommandError('Gave up waiting after %ds: server %s is %s '
                                    '(task %s), not %s' % (
                                        timeout, server_id, status,
                                        server.get('OS-EXT-STS:task_state'),
                                        ' or '.join(statuses)))
        time.sleep(interval)


def wait_for_deletion(client: http.ComputeClient, server_id: str, timeout: float,
                      interval: float = 0.2) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            client.get('/servers/%s' % server_id)
        except http.ApiError as error:
            if error.status == 404:
                return
            raise
        if time.monotonic() > deadline:
            raise http.CommandError('Gave up waiting after %ds: server %s still '
                                    'exists' % (timeout, server_id))
        time.sleep(interval)
