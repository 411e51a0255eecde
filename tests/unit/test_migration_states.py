"""A migration's statuses: every one has ended or has not, never both,
so that listing moves by whether they ended misses none."""

import ast
import inspect

from migrator.compute import states


def _declared_migration_statuses() -> set:
    """The values of the string constants states.py declares between its
    ``# migration status`` heading and ``MIGRATION_STATUSES``, read from
    its source."""
    source = inspect.getsource(states)
    first = source.splitlines().index('# migration status') + 1
    found = set()
    for node in ast.parse(source).body:
        if node.lineno <= first or not isinstance(node, ast.Assign):
            continue
        if any(getattr(target, 'id', None) == 'MIGRATION_STATUSES'
               for target in node.targets):
            return found
        if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            found.add(node.value.value)
    raise AssertionError('states.py declares no MIGRATION_STATUSES')


def test_every_declared_status_is_a_migration_status():
    declared = _declared_migration_statuses()
    assert 'pre-migrating' in declared and 'cancelled' in declared
    assert declared == set(states.MIGRATION_STATUSES)


def test_every_migration_status_has_ended_or_not():
    ended, not_ended = set(states.MIGRATION_TERMINAL), set(states.MIGRATION_NOT_ENDED)
    assert not ended & not_ended
    assert ended | not_ended == set(states.MIGRATION_STATUSES)
    assert set(states.MIGRATION_IN_PROGRESS) <= not_ended
