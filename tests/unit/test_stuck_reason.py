"""The reason a stuck migration is given up with names the step that never
came and the host that owed it."""

import types

import pytest

from migrator.conductor.manager import stuck_reason


def _migration(status, done=(), progress=0):
    return types.SimpleNamespace(
        status=status, source_compute='c1', dest_compute='c2', progress=progress,
        phase_times={phase: '2026-01-01T00:00:00' for phase in done})


@pytest.mark.parametrize('status,done,step', [
    ('pre-migrating', (), 'the destination c2 never prepared for it (prep_resize)'),
    ('pre-migrating', ('prep_resize',),
     'the source c1 never started the disk copy (resize_instance)'),
    ('migrating', (), 'the source c1 stopped copying the disk to c2 at 40% '
                      '(resize_instance)'),
    ('post-migrating', (), 'the destination c2 never started the server '
                           '(finish_resize)'),
    ('confirming', (), 'the source c1 never dropped its copy (confirm_resize)'),
    ('reverting', (), 'the destination c2 never dropped its copy (revert_resize)'),
    ('reverting', ('revert_resize',),
     'the source c1 never took the server back (finish_revert_resize)'),
])
def test_the_reason_names_the_missing_step(status, done, step):
    reason = stuck_reason(_migration(status, done, progress=40), 30)
    assert reason == 'no progress for 30s in status %s: %s' % (status, step)
