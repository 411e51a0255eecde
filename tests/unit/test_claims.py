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


def _capacity(node, rc):
    return claims.inventory(node, rc).capacity


def _messages(node, request):
    return [s.message for s in claims.shortfalls(claims.inventories(node), request)]


def test_capacity_applies_reserved_then_ratio():
    node = _node()
    assert _capacity(node, 'VCPU') == 64
    assert _capacity(node, 'MEMORY_MB') == 11520
    assert _capacity(node, 'DISK_GB') == 100


def test_capacity_rounds_down_and_never_negative():
    assert _capacity(_node(memory_mb=1000, ram_allocation_ratio=1.3333), 'MEMORY_MB') \
        == 650
    assert _capacity(_node(memory_mb=256), 'MEMORY_MB') == 0


def test_free_and_shortfalls():
    node = _node(memory_mb_used=11000, vcpus_used=63)
    request = claims.Resources(vcpus=2, memory_mb=512, disk_gb=10)
    assert claims.inventory(node, 'MEMORY_MB').free == 520
    assert _messages(node, request) == [
        'VCPU needs 2, 1 free of 64 at ratio 4']
    assert _messages(node, claims.Resources(1, 520, 100)) == []
    assert _messages(node, claims.Resources(1, 521, 101)) == [
        'MEMORY_MB needs 521, 520 free of 11520 at ratio 1.5',
        'DISK_GB needs 101, 100 free of 100 at ratio 1']


def test_a_shortfall_is_a_value_with_its_numbers():
    node = _node(memory_mb_used=11000, reserved_memory_mb=512)
    missing, = claims.shortfalls(claims.inventories(node),
                                 claims.Resources(1, 1024, 1))
    assert missing == claims.Shortfall('MEMORY_MB', requested=1024, free=520,
                                       capacity=11520, allocation_ratio=1.5,
                                       reserved=512)
    assert claims.Shortfall.from_dict(missing.to_dict()) == missing


def test_resources_from_flavor_counts_root_and_ephemeral_disk():
    flavor = {'vcpus': 2, 'memory_mb': 4096, 'root_gb': 40, 'ephemeral_gb': 10}
    assert claims.Resources.from_flavor(flavor) == claims.Resources(2, 4096, 50)
