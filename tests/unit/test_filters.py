"""Each filter: passes what it should, and says why when it does not."""

import dataclasses
import json

import pytest

from migrator import exception
from migrator.compute import claims
from migrator.objects.request_spec import RequestSpec
from migrator.objects.verdict import Verdict
from migrator.scheduler import filters
from migrator.scheduler.host_state import HostState

FLAVOR = {'vcpus': 2, 'memory_mb': 4096, 'root_gb': 40, 'ephemeral_gb': 0,
          'extra_specs': {}}


def _inventories(vcpus_used=0, memory_mb_used=0, local_gb_used=0) -> dict:
    """16 VCPUs at ratio 4, 32768 MB with 512 reserved, 500 GB."""
    return {'VCPU': claims.Inventory('VCPU', 16, 0, 4.0, vcpus_used),
            'MEMORY_MB': claims.Inventory('MEMORY_MB', 32768, 512, 1.0,
                                          memory_mb_used),
            'DISK_GB': claims.Inventory('DISK_GB', 500, 0, 1.0, local_gb_used)}


def _host(**overrides) -> HostState:
    values = dict(host='c1', node_uuid='n1', service_disabled=False,
                  disabled_reason=None, service_up=True, last_seen_up=None,
                  availability_zone='nova',
                  aggregate_metadata={}, inventories=_inventories())
    values.update(overrides)
    return HostState(**values)


class _Judge:
    """A filter whose verdict reads as its reason (None when it passes)."""

    def __init__(self, host_filter):
        self.host_filter = host_filter

    def reject(self, host, spec):
        verdict = self.host_filter.judge(host, spec)
        assert isinstance(verdict, Verdict)
        assert verdict.check == self.host_filter.name
        return None if verdict.passed else verdict.reason


def _spec(**overrides) -> RequestSpec:
    return dataclasses.replace(
        RequestSpec(instance_uuid='i1', project_id='p', flavor=dict(FLAVOR)),
        **overrides)


def _filter(name):
    return _Judge(filters.load_filters([name])[0])


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
    host = _host(inventories=_inventories(vcpus_used=63, memory_mb_used=30208))
    assert f.reject(host, _spec()) == ('VCPU needs 2, 1 free of 64 at ratio 4; '
                                       'MEMORY_MB needs 4096, 2048 free of 32256 '
                                       'at ratio 1')
    verdict = f.host_filter.judge(host, _spec())
    assert [(s.resource_class, s.requested, s.free) for s in verdict.shortfalls] == [
        ('VCPU', 2, 1), ('MEMORY_MB', 4096, 2048)]
    assert verdict.label == 'CapacityFilter (VCPU, MEMORY_MB)'
    assert Verdict.from_dict(verdict.to_dict()) == verdict
    exact = _host(inventories=_inventories(vcpus_used=62, memory_mb_used=28160,
                                           local_gb_used=460))
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


def test_a_judgement_travels_as_columns_and_comes_back_whole():
    from migrator.scheduler import pipeline
    refused = Verdict.refuse('ComputeFilter', 'compute service is down',
                             forceable=False)
    c2 = pipeline.HostJudgement((refused,), False, True, '2026-01-01T00:00:00',
                                None)
    judged = pipeline.Judgement.of(['ComputeFilter', 'CapacityFilter'], {
        'c1': pipeline.HostJudgement((), True, True, None, 0.5), 'c2': c2})
    wire = json.loads(json.dumps(judged.to_dict()))
    assert wire['hosts'] == ['c1', 'c2'] and set(wire['refusals']) == {'c2'}
    assert wire['weight'] == [0.5, None]
    again = pipeline.Judgement.from_dict(wire)
    assert again == judged
    assert again.get('c2') == c2 and again.get('c3') is None
    assert [v.passed for v in again.verdicts('c2')] == [False, True]
    assert [v.passed for v in again.verdicts('c1')] == [True, True]
