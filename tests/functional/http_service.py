"""The embedded service on a real socket, and a way to run the CLI against it.

Test modules wrap ``running()`` in their own fixtures (tests/conftest.py and
tests/fixtures.py belong to the service's tests).
"""

import contextlib
import dataclasses
import os
import pathlib
import subprocess
import sys

from keystoneauth1 import session as ks_session
from keystoneauth1 import token_endpoint

from migrator.client import shell
from migrator.cmd import wsgi_server
from tests import fixtures

#: The installed console script, beside this interpreter.
CONSOLE_SCRIPT = pathlib.Path(sys.executable).parent / 'migrator'


class HttpService:
    """tests.fixtures.Service plus its WSGI app served on 127.0.0.1."""

    def __init__(self, tmp_path, **overrides):
        self.svc = fixtures.Service(tmp_path, **overrides)
        self.server = wsgi_server.WSGIServer(self.svc.dep.wsgi_app(),
                                             '127.0.0.1', 0)
        self.server.start()
        self.url = 'http://127.0.0.1:%d/v2.1' % self.server.port

    @property
    def conf(self):
        return self.svc.conf

    def stop(self) -> None:
        self.server.stop()
        self.svc.stop()

    def session(self, token: str = 'admin:admin') -> ks_session.Session:
        """A keystoneauth1 session the way a noauth deployment is used:
        the token-endpoint plugin, token ``user:project``."""
        return ks_session.Session(auth=token_endpoint.Token(self.url, token))

    def host_of(self, server_id: str) -> str:
        return self.svc.show(server_id)['OS-EXT-SRV-ATTR:host']

    def other_host(self, server_id: str, *exclude: str) -> str:
        """A compute host the server is not on."""
        current = self.host_of(server_id)
        return next(h for h in self.conf.all_in_one.compute_hosts
                    if h != current and h not in exclude)


@contextlib.contextmanager
def running(tmp_path, **overrides):
    service = HttpService(tmp_path, **overrides)
    try:
        yield service
    finally:
        service.stop()


@dataclasses.dataclass
class Result:
    code: int
    out: str
    err: str


def cli(capsys, url: str | None, *argv: str) -> Result:
    """Run ``migrator [--os-endpoint url] argv`` in this process."""
    capsys.readouterr()
    prefix = ['--os-endpoint', url] if url else []
    code = shell.main(prefix + list(argv))
    captured = capsys.readouterr()
    return Result(code, captured.out, captured.err)


def console_env(url: str | None, **extra) -> dict:
    """The environment for the console script: MIGRATOR_URL, no OS_*."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(('OS_', 'MIGRATOR_'))}
    if url:
        env['MIGRATOR_URL'] = url
    env.update(extra)
    return env


def console(url: str | None, *argv: str, timeout: float = 120, **env) -> Result:
    """Run the installed `migrator` console script as a separate process."""
    done = subprocess.run([str(CONSOLE_SCRIPT), *argv], capture_output=True,
                          text=True, env=console_env(url, **env), timeout=timeout,
                          check=False)
    return Result(done.returncode, done.stdout, done.stderr)
