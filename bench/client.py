"""A plain HTTP client (one connection per request, like the floor's) and
a watcher that learns from the database when servers reach a state."""

import datetime
import http.client
import json
import threading
import time

import sqlalchemy as sa

ADMIN = 'admin:admin'
MICROVERSION = '2.56'


class HTTP:
    """JSON over ``http.client``; a fresh connection for every request."""

    def __init__(self, port: int, host: str = '127.0.0.1', prefix: str = '/v2.1'):
        self.host = host
        self.port = port
        self.prefix = prefix

    def request(self, method: str, path: str, body=None,
                timeout: float = 120) -> tuple[int, object]:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            payload = None if body is None else json.dumps(body)
            conn.request(method, self.prefix + path, body=payload, headers={
                'X-Auth-Token': ADMIN, 'Content-Type': 'application/json',
                'OpenStack-API-Version': 'compute %s' % MICROVERSION})
            resp = conn.getresponse()
            data = resp.read()
        finally:
            conn.close()
        return resp.status, (json.loads(data) if data else None)

    def post(self, path: str, body=None):
        return self.request('POST', path, body)

    def get(self, path: str):
        return self.request('GET', path)


def utcnow() -> datetime.datetime:
    """The clock the services stamp ``updated_at`` with."""
    return datetime.datetime.now(datetime.UTC).replace(tzinfo=None)


class Watcher:
    """Polls ``instances`` for the servers being waited on, in one query.

    The moment a server reached a state is its row's ``updated_at`` (set by
    the transaction that made the change), so the poll interval adds no
    error to the latency, only to when the waiter wakes.
    """

    def __init__(self, db_url: str, interval: float = 0.005):
        self.engine = sa.create_engine(db_url, poolclass=sa.pool.NullPool)
        self.interval = interval
        self._lock = threading.Lock()
        self._waits: dict[str, tuple] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True,
                                        name='bench-watcher')
        self._thread.start()

    def wait(self, uuid: str, vm_state: str, timeout: float = 60) -> tuple:
        """Block until the server is ``vm_state`` with no task; return
        ``(updated_at, host)``. A server that lands in ``error`` raises."""
        done = threading.Event()
        box: list = []
        with self._lock:
            self._waits[uuid] = (vm_state, done, box)
        if not done.wait(timeout):
            with self._lock:
                self._waits.pop(uuid, None)
            raise TimeoutError('server %s not %s within %ss' % (
                uuid, vm_state, timeout))
        if box[0] is None:
            raise RuntimeError('server %s went to error' % uuid)
        return box[0]

    def _loop(self) -> None:
        with self.engine.connect() as conn:
            while not self._stop.is_set():
                with self._lock:
                    pending = list(self._waits)
                if not pending:
                    time.sleep(self.interval)
                    continue
                rows = conn.execute(sa.text(
                    'SELECT uuid, vm_state, task_state, updated_at, host '
                    'FROM instances WHERE uuid IN :uuids').bindparams(
                        sa.bindparam('uuids', expanding=True)),
                    {'uuids': pending}).all()
                conn.rollback()
                with self._lock:
                    for uuid, vm_state, task_state, updated_at, host in rows:
                        wanted = self._waits.get(uuid)
                        if wanted and vm_state == 'error':
                            wanted[2].append(None)
                            wanted[1].set()
                            del self._waits[uuid]
                        elif wanted and vm_state == wanted[0] and task_state is None:
                            if isinstance(updated_at, str):
                                updated_at = datetime.datetime.fromisoformat(
                                    updated_at)
                            wanted[2].append((updated_at, host))
                            wanted[1].set()
                            del self._waits[uuid]
                time.sleep(self.interval)

    def hosts(self) -> dict[str, str]:
        with self.engine.connect() as conn:
            return dict(conn.execute(sa.text(
                'SELECT uuid, host FROM instances')).all())

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self.engine.dispose()
