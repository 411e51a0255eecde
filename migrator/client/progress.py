"""Follow a migration to its end, with a live progress bar on a terminal.

migrator's own API keeps the record of each move (/migrator/migrations):
``status`` says the step, ``progress`` how much of the disk is copied, and
``error_reason`` why it failed. On a terminal one line is redrawn in
place; anywhere else each new phase is written once, on its own line.
"""

import time

from migrator.client import http

#: status -> (phase shown to the operator, share of the bar reached there)
PHASES = {
    'scheduling': ('scheduling', 0.0),
    'pre-migrating': ('preparing', 0.05),
    'migrating': ('copying disk', 0.10),
    'post-migrating': ('finishing', 0.90),
    'finished': ('resized', 1.0),
    'confirming': ('confirming', 0.5),
    'confirmed': ('confirmed', 1.0),
    'reverting': ('reverting', 0.5),
    'reverted': ('reverted', 1.0),
    'cancelled': ('aborted', 1.0),
}
TERMINAL = ('confirmed', 'reverted', 'error', 'cancelled')
_COPY_SHARE = 0.80
_WIDTH = 30
_ERASE_TO_END = '\x1b[K'


class MigrationFailed(http.CommandError):
    """The service recorded the move as failed; the message says why."""


def phase_of(migration: dict | None) -> tuple:
    """(label, fraction of the whole move) for a migration record."""
    status = migration['status'] if migration else 'scheduling'
    label, fraction = PHASES.get(status, (status, 0.0))
    if status == 'migrating':
        percent = migration.get('progress') or 0
        label = 'copying disk %d%%' % percent
        fraction += _COPY_SHARE * percent / 100.0
    return label, fraction


class ProgressBar:
    """One line redrawn in place (live), or one line per phase (log)."""

    def __init__(self, stream, live: bool | None = None):
        self.stream = stream
        self.live = _isatty(stream) if live is None else live
        self._last = None
        self._drawn = False

    def update(self, label: str, fraction: float) -> None:
        fraction = min(max(fraction, 0.0), 1.0)
        if self.live:
            percent = round(fraction * 100)
            filled = round(percent * _WIDTH / 100)
            self.stream.write('\r[%s%s] %3d%%  %s%s' % (
                '#' * filled, '-' * (_WIDTH - filled), percent, label,
                _ERASE_TO_END))
            self._drawn = True
        else:
            # Without a terminal, the copy percentage would flood the log.
            phase = label.split(' ')[0]
            if phase == self._last:
                return
            self._last = phase
            self.stream.write('%s\n' % label)
        self.stream.flush()

    def finish(self) -> None:
        """End the bar's line so that what follows starts on a fresh one."""
        if self.live and self._drawn:
            self.stream.write('\n')
            self.stream.flush()
            self._drawn = False


def _isatty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def migrations_of(client: http.ComputeClient, server_id: str) -> list:
    """The record of every move of one server, newest first."""
    return client.migrator.get('/migrations', server_id=server_id)['migrations']


def failure_reason(client: http.ComputeClient, server_id: str,
                   migration: dict) -> str:
    """Why the service says the move failed: the migration's own record,
    else the server's fault."""
    reason = migration.get('error_reason')
    if reason:
        return reason
    try:
        server = client.get('/servers/%s' % server_id)['server']
    except http.ApiError:
        server = {}
    fault = server.get('fault') or {}
    if fault.get('message'):
        return fault['message']
    return 'migration %s ended in status %s; the service recorded no reason' % (
        migration['uuid'], migration['status'])


def follow(client: http.ComputeClient, server_id: str, migration_id,
           until: str, bar: ProgressBar, timeout: float,
           interval: float = 0.2) -> dict:
    """Poll one migration until it reaches ``until``; MigrationFailed if it
    ends anywhere else, CommandError when ``timeout`` seconds pass first."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            migration = client.migrator.get('/migrations/%s' % migration_id)[
                'migration']
        except http.ApiError as error:
            if error.status != 404:
                raise
            raise MigrationFailed('migration %s of server %s is gone'
                                  % (migration_id, server_id)) from error
        status = migration['status']
        if status == until:
            bar.update(*phase_of(migration))
            return migration
        if status in TERMINAL:
            raise MigrationFailed(failure_reason(client, server_id, migration))
        bar.update(*phase_of(migration))
        if time.monotonic() > deadline:
            raise http.CommandError(
                'Gave up waiting after %ds: migration %s is still %s. Follow it '
                'with: migrator migration list --server %s'
                % (timeout, migration_id, status, server_id))
        time.sleep(interval)
