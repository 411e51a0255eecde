"""Results, percentiles and the markdown tables they print as."""

import dataclasses
import math


def percentile(samples: list[float], pct: float) -> float:
    """Nearest-rank percentile (``pct`` in 0..100) of ``samples``."""
    if not samples:
        return math.nan
    ordered = sorted(samples)
    rank = max(1, math.ceil(pct / 100.0 * len(ordered)))
    return ordered[rank - 1]


@dataclasses.dataclass
class Result:
    """One row: latency samples (seconds) and the wall time they took."""
    scenario: str
    label: str
    samples: list[float]
    wall: float = 0.0
    floor: float | None = None  # seconds: the sum of the floors crossed
    floor_label: str = ''
    floor_terms: dict = dataclasses.field(default_factory=dict)  # floor -> times
    extra: dict = dataclasses.field(default_factory=dict)
    note: str = ''

    @property
    def count(self) -> int:
        return len(self.samples)

    def p(self, pct: float) -> float:
        return percentile(self.samples, pct)

    @property
    def throughput(self) -> float:
        return self.count / self.wall if self.wall > 0 else math.nan

    @property
    def ratio(self) -> float:
        if not self.floor or not self.samples:
            return math.nan
        return self.p(50) / self.floor

    def to_dict(self) -> dict:
        return {'scenario': self.scenario, 'label': self.label,
                'count': self.count, 'p50_ms': ms(self.p(50)),
                'p90_ms': ms(self.p(90)), 'p99_ms': ms(self.p(99)),
                'throughput': self.throughput, 'floor_ms': ms(self.floor),
                'floor_label': self.floor_label, 'ratio': self.ratio,
                'extra': self.extra, 'note': self.note}


def apply_floors(results: list[Result], floors: dict) -> None:
    """Set each result's floor to the sum of the floor p50s its path crosses."""
    for result in results:
        if result.floor_terms and all(k in floors for k in result.floor_terms):
            result.floor = sum(floors[k].p(50) * n
                               for k, n in result.floor_terms.items())
            result.floor_label = 'floor = ' + ' + '.join(
                '%s%s' % ('%d × ' % n if n > 1 else '', k)
                for k, n in result.floor_terms.items())


def ms(seconds: float | None) -> float | None:
    return None if seconds is None else seconds * 1000.0


def fmt(value, digits: int = 2) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return '–'
    if isinstance(value, float):
        if abs(value) >= 100:
            return '%.0f' % value
        return '%.*f' % (digits, value)
    return str(value)


HEADER = ('scenario', 'case', 'n', 'p50 ms', 'p90 ms', 'p99 ms', 'ops/s',
          'floor ms', 'p50 / floor', 'notes')


def row(result: Result) -> list[str]:
    notes = [result.floor_label] if result.floor_label else []
    notes += ['%s=%s' % (k, fmt(v)) for k, v in result.extra.items()]
    if result.note:
        notes.append(result.note)
    return [result.scenario, result.label, str(result.count),
            fmt(ms(result.p(50))), fmt(ms(result.p(90))), fmt(ms(result.p(99))),
            fmt(result.throughput, 1), fmt(ms(result.floor), 3),
            fmt(result.ratio, 1) + ('×' if result.floor else ''),
            '; '.join(notes)]


def markdown(results: list[Result]) -> str:
    """A GitHub-flavoured markdown table of ``results``."""
    lines = ['| ' + ' | '.join(HEADER) + ' |',
             '|' + '|'.join('---' for _ in HEADER) + '|']
    for result in results:
        cells = [c.replace('|', '/') for c in row(result)]
        lines.append('| ' + ' | '.join(cells) + ' |')
    return '\n'.join(lines)


class Timer:
    """Wall time of a block, for throughput."""

    def __init__(self):
        self.seconds = 0.0

    def __enter__(self):
        import time
        self._start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        import time
        self.seconds = time.perf_counter() - self._start
        return False
