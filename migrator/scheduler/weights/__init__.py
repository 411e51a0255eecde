"""Weighers: raw numbers per host, normalised to 0..1 and multiplied."""

from migrator.scheduler.weights import base, cpu, disk, ram


def load_weighers(conf) -> list[base.BaseWeigher]:
    return [ram.RAMWeigher(conf), cpu.CPUWeigher(conf), disk.DiskWeigher(conf)]


def totals(weighers: list[base.BaseWeigher], count: int, raws) -> list[float]:
    """The weights of ``count`` hosts: ``raws(weigher)`` (one raw number
    per host, in one order) normalised to 0..1 per weigher, times its
    multiplier, summed."""
    found = [0.0] * count
    for weigher in weighers:
        if weigher.multiplier:
            scaled = base.normalize(raws(weigher))
            found = [t + weigher.multiplier * s for t, s in zip(found, scaled)]
    return found


def weigh(weighers: list[base.BaseWeigher], hosts: list,
          spec) -> list[tuple[float, object]]:
    """(weight, host_state) pairs, best first; ties keep the input order."""
    found = totals(weighers, len(hosts), lambda w: [w.raw(h, spec) for h in hosts])
    ranked = sorted(range(len(hosts)), key=lambda i: -found[i])
    return [(found[i], hosts[i]) for i in ranked]
