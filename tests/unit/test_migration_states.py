"""A migration's statuses: every one has ended or has not, never both,
so that listing moves by whether they ended misses none."""

from migrator.compute import states


def test_every_migration_status_has_ended_or_not():
    statuses = {value for name, value in vars(states).items()
                if name in ('PRE_MIGRATING', 'MIGRATING', 'POST_MIGRATING',
                            'FINISHED', 'CONFIRMING', 'CONFIRMED', 'REVERTING',
                            'REVERTED', 'MIGRATION_ERROR', 'CANCELLED')}
    ended, not_ended = set(states.MIGRATION_TERMINAL), set(states.MIGRATION_NOT_ENDED)
    assert not ended & not_ended
    assert ended | not_ended == statuses
