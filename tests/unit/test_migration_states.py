"""A migration's statuses: every one has ended or has not, never both,
so that listing moves by whether they ended misses none."""

import ast
import inspect

from migrator.compute import states


def _declared_migration_statuses() -> set:
    """The values of the constants states.py declares under its
    ``# migration status`` heading, read from its source."""
    source = inspect.getsource(states)
    first = source.splitlines().index('# migration status') + 1
    found = set()
    for node in ast.parse(source).body:
        if (node.lineno > first and isinstance(node, ast.Assign)
                and isinstance(node.value, ast.Constant)
                and isinstance(node.value.value, str)):
            found.add(node.value.value)
    return found


def test_every_declared_status_is_a_migration_status():
    declared = _declared_migration_statuses()
    assert 'pre-migrating' in declared and 'cancelled' in declared
    assert declared == set(states.MIGRATION_STATUSES)


def test_every_migration_status_has_ended_or_not():
    ended, not_ended = set(states.MIGRATION_TERMINAL), set(states.MIGRATION_NOT_ENDED)
    assert not ended & not_ended
    assert ended | not_ended == set(states.MIGRATION_STATUSES)
    assert set(states.MIGRATION_IN_PROGRESS) <= not_ended
