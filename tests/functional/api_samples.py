"""Request/response samples under doc/api_samples/, replayed against the
service so that the API reference can never drift from behaviour.

A sample is JSON in which volatile values are placeholders:
``%(uuid)s``, ``%(isotime)s`` (with or without microseconds and a ``Z``),
``%(request_id)s``, ``%(int)s``, ``%(hostid)s``, ``%(traceback)s``,
``%(reservation_id)s``, ``%(password)s`` (a server's ``adminPass``),
``%(owner)s`` (the conductor that holds a drain) and
``%(host)s`` (the URL prefix, as in ``%(host)s/v2.1/servers/%(uuid)s``). Set
``MIGRATOR_REGENERATE_SAMPLES=1`` to rewrite the samples from what the
service answers (a value that still matches its sample is kept as the
sample writes it); the test then still compares them.
"""

import json
import os
import pathlib
import re

SAMPLES = pathlib.Path(__file__).resolve().parents[2] / 'doc' / 'api_samples'
REGENERATE = os.environ.get('MIGRATOR_REGENERATE_SAMPLES') == '1'

PATTERNS = {
    'uuid': r'[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}',
    'isotime': r'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z?',
    'request_id': r'req-[0-9a-f-]{36}',
    'int': r'\d+',
    'hostid': r'[0-9a-f]{56}',
    'host': r'https?://[^/]+',
    'traceback': r'Traceback \(most recent call last\):[\s\S]*',
    'reservation_id': r'r-[0-9a-f]{8}',
    'password': r'.+',
    'owner': r'[^:\s]+:[0-9a-f]{8}',  # the conductor holding a drain's lease
    'uptime': r' \d\d:\d\d:\d\d up \d+ days, [ \d]\d:\d\d,  0 users,  '
              r'load average: \d+\.\d\d, \d+\.\d\d, \d+\.\d\d',
}
# Values that only their key tells apart from ordinary strings.
_BY_KEY = {'adminPass': '%(password)s', 'uptime': '%(uptime)s'}
_PLACEHOLDER = re.compile(r'%\((\w+)\)s')


def _template_regex(template: str) -> re.Pattern:
    parts, last = [], 0
    for match in _PLACEHOLDER.finditer(template):
        parts.append(re.escape(template[last:match.start()]))
        parts.append('(?:%s)' % PATTERNS[match.group(1)])
        last = match.end()
    parts.append(re.escape(template[last:]))
    return re.compile('^%s$' % ''.join(parts))


def matches(template, actual, path='$') -> list[str]:
    """Differences between a sample and an actual value (empty: it matches)."""
    if isinstance(template, dict):
        if not isinstance(actual, dict):
            return ['%s: expected an object, got %r' % (path, actual)]
        problems = []
        if set(template) != set(actual):
            problems.append('%s: keys differ: missing %s, unexpected %s' % (
                path, sorted(set(template) - set(actual)),
                sorted(set(actual) - set(template))))
        for key in set(template) & set(actual):
            problems += matches(template[key], actual[key], '%s.%s' % (path, key))
        return problems
    if isinstance(template, list):
        if not isinstance(actual, list) or len(template) != len(actual):
            return ['%s: expected %d items, got %r' % (path, len(template), actual)]
        problems = []
        for index, (t, a) in enumerate(zip(template, actual)):
            problems += matches(t, a, '%s[%d]' % (path, index))
        return problems
    if isinstance(template, str) and _PLACEHOLDER.search(template):
        if isinstance(actual, int) and template == '%(int)s':
            return []
        if not isinstance(actual, str) or not _template_regex(template).match(actual):
            return ['%s: %r does not match %r' % (path, actual, template)]
        return []
    if template != actual:
        return ['%s: expected %r, got %r' % (path, template, actual)]
    return []


def anonymize(value):
    """The sample form of an actual value (for regeneration)."""
    if isinstance(value, dict):
        return {k: _BY_KEY.get(k) or anonymize(v) for k, v in value.items()}
    if isinstance(value, list):
        return [anonymize(v) for v in value]
    if not isinstance(value, str):
        return value
    if value.startswith('Traceback (most recent call last):'):
        return '%(traceback)s'
    for name in ('host', 'request_id', 'uuid', 'hostid', 'isotime', 'reservation_id'):
        pattern = PATTERNS[name]
        anchored = '^%s' % pattern if name == 'host' else pattern
        if (name in ('hostid', 'isotime', 'reservation_id')
                and not re.fullmatch(pattern, value)):
            continue
        value = re.sub(anchored, '%%(%s)s' % name, value)
    return value


def regenerate(previous, actual):
    """The new sample: what still matches ``previous`` is kept as written
    there (a hand-kept literal or placeholder), the rest is anonymized."""
    if isinstance(previous, dict) and isinstance(actual, dict):
        return {k: regenerate(previous[k], v) if k in previous else
                anonymize({k: v})[k] for k, v in actual.items()}
    if (isinstance(previous, list) and isinstance(actual, list)
            and len(previous) == len(actual)):
        return [regenerate(p, a) for p, a in zip(previous, actual)]
    if not matches(previous, actual):
        return previous
    return anonymize(actual)


def load(name: str):
    return json.loads((SAMPLES / name).read_text())


def check(name: str, actual) -> None:
    """Compare ``actual`` with the sample ``name`` (or rewrite it)."""
    path = SAMPLES / name
    if REGENERATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        sample = (regenerate(load(name), actual) if path.exists()
                  else anonymize(actual))
        path.write_text(json.dumps(sample, indent=4, sort_keys=True) + '\n')
    assert path.exists(), ('sample %s is missing: write it, or run the test with '
                           'MIGRATOR_REGENERATE_SAMPLES=1' % name)
    problems = matches(load(name), actual)
    assert not problems, '%s drifted from behaviour:\n%s' % (name, '\n'.join(problems))
