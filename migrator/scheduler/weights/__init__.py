"""Weighers: raw numbers per host, normalised to 0..1 and multiplied."""

from migrator.scheduler.weights import base, cpu, disk, ram


def load_weighers(conf) -> list[base.BaseWeigher]:
    return [ram.RAMWeigher(conf), cpu.CPUWeigher(conf), disk.DiskWeigher(conf)]


def weigh(weighers: list[base.BaseWeigher], hosts: list,
          spec) -> list[tuple[float, object]]:
    """(weight, host_state) pairs, best first; ties keep the input order."""
    totals = [0.0] * len(hosts)
    for weigher in weighers:
        if not weigher.multiplier:
            continue
        scaled = base.normalize([weigher.raw(h, spec) for h in hosts])
        totals = [t + weigher.multiplier * s for t, s in zip(totals, scaled)]
    ranked = sorted(range(len(hosts)), key=lambda i: -totals[i])
    return [(totals[i], hosts[i]) for i in ranked]
