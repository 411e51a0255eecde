"""A verdict: what one check said of one host for one server.

Scheduler filters return verdicts, and so do the checks a move makes
whatever the filters say (the host is up, it is not the server's own
host). The scheduler's NoValidHost, the conductor's record of what a
forced move went past, the API's 400 and the migration check all read the
same values; the message is built from them, never parsed back.
"""

import dataclasses

from migrator.compute import claims


@dataclasses.dataclass(frozen=True)
class Verdict:
    check: str
    passed: bool
    reason: str = ''
    shortfalls: tuple[claims.Shortfall, ...] = ()
    # Whether ``force`` goes past this refusal: scheduler filters yes; the
    # host being up, not the source and having room, no.
    forceable: bool = True

    @classmethod
    def refuse(cls, check: str, reason: str, forceable: bool = True) -> 'Verdict':
        return cls(check, False, reason, forceable=forceable)

    @classmethod
    def short_of(cls, check: str, shortfalls: list, forceable: bool = True) -> 'Verdict':
        """A capacity refusal, its reason built from the numbers."""
        return cls(check, False, '; '.join(s.message for s in shortfalls),
                   tuple(shortfalls), forceable)

    @property
    def label(self) -> str:
        """How a summary counts it: 'CapacityFilter (MEMORY_MB)'."""
        if self.shortfalls:
            return '%s (%s)' % (self.check, ', '.join(
                s.resource_class for s in self.shortfalls))
        return self.check

    def __str__(self) -> str:
        return '%s: %s' % (self.check, self.reason)

    def to_dict(self) -> dict:
        return {'check': self.check, 'passed': self.passed, 'reason': self.reason,
                'shortfalls': [s.to_dict() for s in self.shortfalls],
                'forceable': self.forceable}

    @classmethod
    def from_dict(cls, values: dict) -> 'Verdict':
        return cls(values['check'], values['passed'], values.get('reason', ''),
                   tuple(claims.Shortfall.from_dict(s)
                         for s in values.get('shortfalls', ())),
                   values.get('forceable', True))


def describe(verdicts) -> str:
    """'CapacityFilter: MEMORY_MB needs ...; ComputeFilter: ...'."""
    return '; '.join(str(v) for v in verdicts)
