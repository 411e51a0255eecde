"""What the hostile-input tests share: the fault oracle, database snapshots,
and hypothesis strategies for JSON that is odd, huge, deep or broken."""

import json
import re
import time

import sqlalchemy as sa
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from migrator.db import models

FAULT_NAMES = {'badRequest', 'itemNotFound', 'forbidden', 'conflictingRequest',
               'badMethod', 'overLimit', 'badMediaType', 'unauthorized',
               'computeFault'}

# Seeded: a failure reproduces on every run and every machine.
SETTINGS = settings(derandomize=True, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow,
                                           HealthCheck.data_too_large,
                                           HealthCheck.filter_too_much])

# What only an administrator may read (DESIGN §3, os-instance-actions, and
# the host fields of migrator's records of moves).
ADMIN_ONLY = re.compile(r'"(OS-EXT-SRV-ATTR:[^"]*|host_status|source|'
                        r'destination|requested_host|forced_past|error_reason|'
                        r'traceback|details)"\s*:')

# Columns the service's own heartbeats change while a test runs.
_VOLATILE = {('services', 'last_seen_up'), ('services', 'updated_at'),
             ('compute_nodes', 'updated_at')}


def assert_fault(resp, *allowed) -> dict:
    """A 4xx Nova fault: one known key, code equal to the status, a message
    without a traceback. ``allowed`` narrows the accepted statuses."""
    status = resp.status_int
    assert 400 <= status < 500, (status, resp.text[:2000])
    if allowed:
        assert status in allowed, (status, allowed, resp.text[:2000])
    assert resp.content_type == 'application/json', resp.content_type
    body = resp.json
    assert isinstance(body, dict) and len(body) == 1, body
    (name, fault), = body.items()
    assert name in FAULT_NAMES, body
    assert fault['code'] == status, body
    assert isinstance(fault['message'], str) and fault['message'].strip(), body
    assert 'Traceback' not in resp.text
    return fault


def snapshot(db) -> dict:
    """Every row of every table, less the heartbeat columns."""
    def run(session):
        tables = {}
        for table in models.Base.metadata.sorted_tables:
            columns = [c for c in table.columns
                       if (table.name, c.name) not in _VOLATILE]
            rows = session.execute(sa.select(*columns)).all()
            tables[table.name] = sorted(repr(tuple(row)) for row in rows)
        return tables
    return db.read(run)


def assert_unchanged(before: dict, after: dict, what) -> None:
    changed = {name for name in before if before[name] != after.get(name)}
    assert not changed, ('a refused request changed %s' % sorted(changed), what)


def settle(svc, timeout=15, quiet=False) -> None:
    """Wait until no server has a task in flight (after an accepted request);
    with ``quiet``, also until two snapshots a moment apart agree, so that
    the casts that finish a move have written their last row."""
    deadline = time.monotonic() + timeout
    while True:
        busy = svc.db.read(lambda s: s.scalar(
            sa.select(sa.func.count(models.Instance.id))
            .where(models.Instance.task_state.is_not(None))))
        if not busy:
            break
        assert time.monotonic() < deadline, '%d servers still busy' % busy
        time.sleep(0.02)
    previous = snapshot(svc.db) if quiet else None
    while quiet:
        time.sleep(0.05)
        current = snapshot(svc.db)
        if current == previous:
            return
        assert time.monotonic() < deadline, 'the database does not settle'
        previous = current


# -- strategies ---------------------------------------------------------------

texts = st.one_of(
    st.text(max_size=20),
    st.text(alphabet=st.characters(codec='utf-8'), min_size=1, max_size=40),
    st.sampled_from(['', ' ', 'null', 'true', '0', '-1', '1e309', 'compute1',
                     'compute2', '../../etc', '%00', '\x00', '\u202e', '😀' * 3,
                     'a' * 256, '<script>', "' OR 1=1 --", '{}', 'NaN']),
    st.integers(min_value=1000, max_value=70000).map(lambda n: 'x' * n),
)
_scalars = st.one_of(
    st.none(), st.booleans(),
    st.integers(min_value=-2 ** 70, max_value=2 ** 70),
    st.floats(allow_nan=False, allow_infinity=False), texts)

json_values = st.recursive(
    _scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(texts, children, max_size=4)),
    max_leaves=12)


def deeply_nested(depth: int, key: str = 'a') -> str:
    """``{"a": {"a": ... }}`` ``depth`` levels deep, as text."""
    return '{"%s": ' % key * depth + 'null' + '}' * depth


raw_bodies = st.one_of(
    st.binary(max_size=64),
    st.sampled_from([
        b'', b' ', b'\n', b'null', b'{', b'}', b'[', b'{"a":}', b'{,}', b'{"a" 1}',
        b'\xff\xfe\x00', b'\xc3\x28', b'{"\xed\xa0\x80": 1}', b'\xef\xbb\xbf{}',
        b'NaN', b'Infinity', b'-Infinity', b'{"a": NaN}', b'{"a": Infinity}',
        b'{"a": 1e99999}', b'{"a": -0}', b'{"a": 0.0000000000000000000000001}',
        b'{"a": 1}{"a": 2}', b'{"a": 1} trailing', b'\x00{}', b'{}\x00',
        b'{"a": "\\ud800"}', b'{"a": "\\u0000"}', b'{"a": 1, "a": 2}',
    ]),
    st.integers(min_value=1, max_value=6).map(
        lambda n: deeply_nested(10 ** n // 10 + 1).encode()),
    st.integers(min_value=100, max_value=5000).map(lambda n: b'[' * n + b']' * n),
)


def duplicate_keys(body: dict, key: str, value) -> str:
    """``body`` as JSON text with ``key`` written a second time."""
    text = json.dumps(body)
    return text[:-1] + (', ' if body else '') + '%s: %s}' % (
        json.dumps(key), json.dumps(value))


content_types = st.sampled_from([
    None, 'application/json', 'application/json; charset=UTF-8',
    'APPLICATION/JSON', 'text/plain', 'application/xml', 'text/html',
    'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded',
    'application/json-patch+json', 'application/octet-stream', '', ';', '*/*',
    'application/json; charset=latin-1', 'application/jsonx'])

JSON_CONTENT_TYPES = {None, '', 'application/json',
                      'application/json; charset=UTF-8', 'APPLICATION/JSON',
                      'application/json; charset=latin-1'}
