"""Each filter: passes what it should, and says why when it does not."""

import dataclasses

import pytest

from migrator import exception
from migrator.objects.request_spec import RequestSpec
from migrator.scheduler import filters
from migrator.scheduler.host_state import HostState

FLAVOR = {'vcpus': 2, 'memory_mb': 4096, 'root_gb': 40, 'ephemeral_gb': 0,
          'extra_specs': {}}


def _host(**overrides) -> HostState:
    values = dict(host='c1', node_uuid='n1', service_disabled=False,
                  disabled_reason=None, service_up=True, availability_zone='nova',
                  aggregate_metadata={}, vcpus=16, memory_mb=32768, local_gb=500,
                  free={'VCPU': 64, 'MEMORY_MB': 32256, 'DISK_GB': 500},
                  capacity={'VCPU': 64, 'MEMORY_MB': 32256, 'DISK_GB': 500},
                  ratios={'VCPU': 4.0, 'MEMORY_MB': 1.0, 'DISK_GB': 1.0})
    values.update(overrides)
    return HostState(**values)


def _spec(**overrides) -> RequestSpec:
    return dataclasses.replace(
        RequestSpec(instance_uuid='i1', project_id='p', flavor=dict(FLAVOR)),
        **overrides)


def _filter(name):
    return filters.load_filters([name])[0]


def test_unknown_filter_is_fatal_and_lists_the_known_ones():
    with pytest.raises(exception.UnknownFilter) as error:
        filters.load_filters(['ComputeFilter', 'RamFilter'])
    assert 'RamFilter' in str(error.value)
    assert 'CapacityFilter' in str(error.value)


@pytest.mark.parametrize('state,reason', [
    (dict(), None),
    (dict(service_disabled=True, disabled_reason='maint'),
     'compute service is disabled (maint)'),
    (dict(service_disabled=True), 'compute service is disabled'),
    (dict(service_up=False), 'compute service is down'),
])
def test_compute_filter(state, reason):
    assert _filter('ComputeFilter').reject(_host(**state), _spec()) == reason


def test_availability_zone_filter():
    f = _filter('AvailabilityZoneFilter')
    assert f.reject(_host(availability_zone='az2'), _spec()) is None
    assert f.reject(_host(availability_zone='az1'),
                    _spec(availability_zone='az1')) is None
    assert f.reject(_host(availability_zone='az2'), _spec(availability_zone='az1')) == \
        'server is in zone az1, host is in az2'


def test_capacity_filter_names_each_short_resource():
    f = _filter('CapacityFilter')
    assert f.reject(_host(), _spec()) is None
    host = _host(free={'VCPU': 1, 'MEMORY_MB': 2048, 'DISK_GB': 500})
    assert f.reject(host, _spec()) == ('VCPU needs 2, 1 free at ratio 4; '
                                       'MEMORY_MB needs 4096, 2048 free at ratio 1')
    exact = _host(free={'VCPU': 2, 'MEMORY_MB': 4096, 'DISK_GB': 40})
    assert f.reject(exact, _spec()) is None


def test_aggregate_extra_specs_filter():
    f = _filter('AggregateInstanceExtraSpecsFilter')
    spec = _spec(flavor=dict(FLAVOR, extra_specs={
        'aggregate_instance_extra_specs:ssd': 'true', 'hw:cpu_policy': 'dedicated'}))
    assert f.reject(_host(aggregate_metadata={'ssd': frozenset({'true'})}), spec) is None
    assert f.reject(_host(), spec) == \
        'flavor wants ssd=true, no aggregate of the host sets ssd'
    assert f.reject(_host(aggregate_metadata={'ssd': frozenset({'false'})}), spec) == \
        'flavor wants ssd=true, host aggregates have false'


def test_group_filters():
    affinity = _filter('ServerGroupAffinityFilter')
    anti = _filter('ServerGroupAntiAffinityFilter')
    together = _spec(group_uuid='g', group_policy='affinity', group_hosts=['c2'])
    apart = _spec(group_uuid='g', group_policy='anti-affinity', group_hosts=['c1'])
    assert affinity.reject(_host(), together) == 'affinity group g lives on c2'
    assert affinity.reject(_host(host='c2'), together) is None
    assert affinity.reject(_host(), _spec(group_policy='affinity')) is None
    assert anti.reject(_host(), apart) == \
        'host already runs a member of anti-affinity group g'
    assert anti.reject(_host(host='c2'), apart) is None


def test_same_and_different_host_filters():
    same, different = _filter('SameHostFilter'), _filter('DifferentHostFilter')
    assert same.reject(_host(), _spec(same_host=['c1'])) is None
    assert same.reject(_host(), _spec(same_host=['c2'])) == \
        'hint same_host wants the host of c2'
    assert different.reject(_host(), _spec(different_host=['c1'])) == \
        'hint different_host excludes hosts c1'
    assert different.reject(_host(), _spec(different_host=['c2'])) is None
