"""Claim arithmetic: (total - reserved) * ratio - used >= requested."""

import types

from migrator.compute import claims


def _node(**overrides):
    values = dict(host='c1', vcpus=16, memory_mb=8192, local_gb=100,
                  reserved_vcpus=0, reserved_memory_mb=512, reserved_disk_gb=0,
                  cpu_allocation_ratio=4.0, ram_allocation_ratio=1.5,
                  disk_allocation_ratio=1.0, vcpus_used=0, memory_mb_used=0,
                  local_gb_used=0)
    values.update(overrides)
    return types.SimpleNamespace(**values)


def test_capacity_applies_reserved_then_ratio():
    node = _node()
    assert claims.capacity(node, 'VCPU') == 64
    assert claims.capacity(node, 'MEMORY_MB') == 11520
    assert claims.capacity(node, 'DISK_GB') == 100


def test_capacity_rounds_down_and_never_negative():
    assert claims.capacity(_node(memory_mb=1000, ram_allocation_ratio=1.3333), 'MEMORY_MB') \
        == 650
    assert claims.capacity(_node(memory_mb=256), 'MEMORY_MB') == 0


def test_free_and_shortfalls():
    node = _node(memory_mb_used=11000, vcpus_used=63)
    request = claims.Resources(vcpus=2, memory_mb=512, disk_gb=10)
    assert claims.free(node, 'MEMORY_MB') == 520
    assert claims.shortfalls(node, request) == [
        'VCPU needs 2, 1 free of 64 at ratio 4']
    assert claims.shortfalls(node, claims.Resources(1, 520, 100)) == []
    assert claims.shortfalls(node, claims.Resources(1, 521, 101)) == [
        'MEMORY_MB needs 521, 520 free of 11520 at ratio 1.5',
        'DISK_GB needs 101, 100 free of 100 at ratio 1']


def test_resources_from_flavor_counts_root_and_ephemeral_disk():
    flavor = {'vcpus': 2, 'memory_mb': 4096, 'root_gb': 40, 'ephemeral_gb': 10}
    assert claims.Resources.from_flavor(flavor) == claims.Resources(2, 4096, 50)
