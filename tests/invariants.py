"""The database invariants every race and failure test ends with."""

from migrator import audit


def assert_consistent(db, migration_timeout=None):
    problems = db.read(audit.find_problems, migration_timeout)
    assert not problems, '\n'.join(str(p) for p in problems)
