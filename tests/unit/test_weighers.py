import types

from migrator.compute import claims
from migrator.scheduler import weights
from migrator.scheduler.weights import base


def _conf(ram=1.0, cpu=1.0, disk=1.0):
    return types.SimpleNamespace(scheduler=types.SimpleNamespace(
        ram_weight_multiplier=ram, cpu_weight_multiplier=cpu,
        disk_weight_multiplier=disk))


def _host(name, ram, vcpu=10, disk=100):
    """A host with ``ram``, ``vcpu`` and ``disk`` free."""
    free = {'MEMORY_MB': ram, 'VCPU': vcpu, 'DISK_GB': disk}
    return types.SimpleNamespace(host=name, inventories={
        rc: claims.Inventory(rc, amount, 0, 1.0, 0) for rc, amount in free.items()})


def test_normalize():
    assert base.normalize([]) == []
    assert base.normalize([5, 5]) == [0.0, 0.0]
    assert base.normalize([0, 5, 10]) == [0.0, 0.5, 1.0]


def test_spread_prefers_the_emptiest_host():
    hosts = [_host('a', 1000), _host('b', 8000), _host('c', 4000)]
    ranked = weights.weigh(weights.load_weighers(_conf()), hosts, None)
    assert [h.host for _w, h in ranked] == ['b', 'c', 'a']
    assert ranked[0][0] == 1.0


def test_negative_multiplier_stacks():
    hosts = [_host('a', 1000), _host('b', 8000)]
    ranked = weights.weigh(weights.load_weighers(_conf(ram=-1.0)), hosts, None)
    assert [h.host for _w, h in ranked] == ['a', 'b']


def test_multipliers_combine():
    hosts = [_host('a', 8000, vcpu=1), _host('b', 7000, vcpu=64)]
    ranked = weights.weigh(weights.load_weighers(_conf(ram=1.0, cpu=2.0)), hosts, None)
    assert ranked[0][1].host == 'b'
