"""The installed `migrator` console script, as a separate process; and the
live progress bar, rendered on a pseudo-terminal."""

import json
import os
import pty
import re
import select
import subprocess
import time
import uuid

import pytest

from tests.functional import http_service
from tests.functional.http_service import CONSOLE_SCRIPT, console

# m1.small has a 20 GB disk: at 5120 MB/s the fake driver copies it in ~4 s,
# in 16 steps, long enough to see the bar move.
COPY_RATE_MB = 5120.0
_FRAME = re.compile(r'\r\[([#-]+)\] +(\d+)%  (.*?)\x1b\[K')


@pytest.fixture(scope='module')
def api(tmp_path_factory):
    with http_service.running(tmp_path_factory.mktemp('console')) as service:
        yield service


def boot(api, flavor='1') -> tuple:
    name = 'vm-%s' % uuid.uuid4().hex[:8]
    return name, api.svc.boot(name=name, flavor=flavor)


def test_console_script_is_installed():
    assert CONSOLE_SCRIPT.exists(), 'pip install -e . installs bin/migrator'


def test_console_lists_servers_as_json(api):
    name, server_id = boot(api)
    result = console(api.url, 'server', 'list', '-f', 'json')
    assert result.code == 0, result.err
    rows = {row['ID']: row for row in json.loads(result.out)}
    assert rows[server_id]['Name'] == name
    assert rows[server_id]['Status'] == 'ACTIVE'
    assert rows[server_id]['Host'] == api.host_of(server_id)


def test_console_migrates_and_reports_errors(api):
    name, server_id = boot(api)
    dest = api.other_host(server_id)
    result = console(api.url, 'migrate', name, dest)
    assert result.code == 0, result.err
    assert 'accepted' in result.out
    api.svc.wait_status(server_id, 'VERIFY_RESIZE')

    # A second migrate while the first awaits confirmation: the service's 409.
    result = console(api.url, 'migrate', name, api.other_host(server_id))
    assert result.code == 1
    assert result.out == ''
    assert result.err.startswith('HTTP 409 Conflict: ')
    assert len(result.err.splitlines()) == 1


def test_console_refuses_force_without_host():
    # The endpoint is never contacted: nothing listens on port 9.
    result = console('http://127.0.0.1:9/v2.1', 'migrate', '--force', 'vm')
    assert result.code != 0
    assert '--force requires a target host' in result.err


def test_console_without_an_endpoint():
    result = console(None, 'server', 'list')
    assert result.code != 0
    assert 'No compute endpoint: set MIGRATOR_URL' in result.err


def _run_on_pty(argv, env, limit=120.0) -> tuple:
    """(exit code, everything written to the terminal)."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave,
                            env=env, close_fds=True)
    os.close(slave)
    chunks = []
    deadline = time.monotonic() + limit  # a hang must not hang the suite
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 1.0)
            if not ready:
                if proc.poll() is not None:
                    break
                continue
            try:
                data = os.read(master, 4096)
            except OSError:  # EIO: the child closed the terminal
                break
            if not data:
                break
            chunks.append(data)
    finally:
        os.close(master)
        if proc.poll() is None:
            proc.kill()
    return proc.wait(timeout=30), b''.join(chunks).decode()


def test_progress_bar_on_a_terminal(api):
    name, server_id = boot(api, flavor='2')
    dest = api.other_host(server_id)
    api.conf.set_override('disk_copy_rate_mb', COPY_RATE_MB, group='compute')
    try:
        code, screen = _run_on_pty(
            [str(CONSOLE_SCRIPT), 'migrate', '--wait', name, dest],
            http_service.console_env(api.url))
    finally:
        api.conf.clear_override('disk_copy_rate_mb', group='compute')
    assert code == 0, screen
    frames = [(bar, int(percent), label)
              for bar, percent, label in _FRAME.findall(screen)]
    labels = [label for _, _, label in frames]
    assert labels[0] == 'scheduling'
    copying = [int(label.split()[-1].rstrip('%')) for label in labels
               if label.startswith('copying disk ')]
    assert any(0 < percent < 100 for percent in copying), labels
    assert copying == sorted(copying)
    # The bar only moves forward, and its fill matches its percentage.
    assert [p for _, p, _ in frames] == sorted(p for _, p, _ in frames)
    for bar, percent, _ in frames:
        assert bar.count('#') == round(percent * len(bar) / 100)
    assert frames[-1][1:] == (100, 'resized')
    # It ends cleanly: the last frame is closed by a newline, then the result.
    tail = screen[screen.rindex('\x1b[K') + len('\x1b[K'):]
    assert tail.startswith('\r\n')
    assert '\r' not in tail.replace('\r\n', '')
    assert 'is in VERIFY_RESIZE on %s' % dest in tail
    assert api.svc.show(server_id)['status'] == 'VERIFY_RESIZE'
