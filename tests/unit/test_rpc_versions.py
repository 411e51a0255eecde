"""RPC API versions and the [upgrade_levels] pins of a rolling upgrade.

During an upgrade, services of two releases share the topics: every client
that may reach an old service is pinned to the old version, so it never
sends a message the old service cannot dispatch.
"""


import oslo_messaging as messaging
import pytest

from migrator import context, rpc
from migrator.compute import rpcapi as compute_rpcapi
from migrator.conductor import manager as conductor_manager
from migrator.conductor import rpcapi as conductor_rpcapi
from migrator.objects.request_spec import RequestSpec, Selection
from migrator.scheduler import manager as scheduler_manager
from migrator.scheduler import rpcapi as scheduler_rpcapi

CTX = context.RequestContext(user_id='admin', project_id='admin', is_admin=True)


@pytest.fixture
def conf(inproc_conf):
    return inproc_conf


class _Wire:
    """Stands in for the transport's send: records what would go out."""

    def __init__(self, messaging_, reply=None):
        self.sent = []
        self.reply = reply
        messaging_.transport._send = self._send

    def _send(self, target, ctxt, message, wait_for_reply=None, **kwargs):
        self.sent.append((target, message))
        return self.reply

    @property
    def versions(self):
        return [message.get('version') for _target, message in self.sent]


def _spec():
    return RequestSpec(instance_uuid='i-1', project_id='p', flavor={
        'vcpus': 1, 'memory_mb': 512, 'root_gb': 1})


# Every client, with one call that goes over the wire.
CLIENTS = {
    'conductor': lambda m, c: conductor_rpcapi.ConductorAPI(m, c).build_instances(
        CTX, 'i-1', {}),
    'scheduler': lambda m, c: scheduler_rpcapi.SchedulerAPI(m, c).select_destinations(
        CTX, _spec()),
    'compute': lambda m, c: compute_rpcapi.ComputeAPI(m, c).prep_resize(
        CTX, 'c1', 'i-1', 'm-1'),
}


@pytest.mark.parametrize('service', sorted(CLIENTS))
def test_every_client_sends_at_its_pinned_version(conf, service):
    conf.set_override(service, '1.0', group='upgrade_levels')
    messaging_ = rpc.Messaging(conf)
    wire = _Wire(messaging_, reply=Selection(host='c1', node_uuid='n-1').to_dict())
    CLIENTS[service](messaging_, conf)
    (target, message), = wire.sent
    assert message['version'] == '1.0'
    assert target.topic.split('.')[:2] == ['migrator', service]


@pytest.mark.parametrize('make, option', [
    (conductor_rpcapi.ConductorAPI, 'conductor'),
    (scheduler_rpcapi.SchedulerAPI, 'scheduler'),
    (compute_rpcapi.ComputeAPI, 'compute')])
def test_pinned_client_refuses_to_send_a_newer_version(conf, make, option):
    conf.set_override(option, '1.0', group='upgrade_levels')
    messaging_ = rpc.Messaging(conf)
    wire = _Wire(messaging_)
    client = make(messaging_, conf).client
    assert client.version_cap == '1.0'
    assert not client.can_send_version('1.1')
    with pytest.raises(messaging.RPCVersionCapError):
        client.prepare(version='1.1', server='c1').cast(CTX, 'ping')
    assert wire.sent == []


def test_unpinned_client_sends_what_it_is_asked(conf):
    messaging_ = rpc.Messaging(conf)
    wire = _Wire(messaging_)
    client = conductor_rpcapi.ConductorAPI(messaging_, conf).client
    assert client.version_cap is None
    client.prepare(version='1.1').cast(CTX, 'ping')
    assert wire.versions == ['1.1']


@pytest.mark.parametrize('pin', ['1.1', '2.0', '0.9'])
def test_pin_this_release_cannot_speak_stops_the_service(conf, pin):
    conf.set_override('conductor', pin, group='upgrade_levels')
    with pytest.raises(ValueError, match=r'\[upgrade_levels\] conductor = %s'
                       % pin.replace('.', r'\.')):
        conductor_rpcapi.ConductorAPI(rpc.Messaging(conf), conf)


def test_malformed_pin_is_a_config_error(conf):
    with pytest.raises(ValueError):
        conf.set_override('compute', 'ocata', group='upgrade_levels')


def test_managers_declare_their_version():
    for manager, client in ((conductor_manager.ConductorManager,
                             conductor_rpcapi.ConductorAPI),
                            (scheduler_manager.SchedulerManager,
                             scheduler_rpcapi.SchedulerAPI)):
        assert manager.target.version == manager.RPC_API_VERSION
        # A client never knows a newer API than the servers of its release.
        assert rpc.parse_version(client.VERSION) <= rpc.parse_version(
            manager.RPC_API_VERSION)


class _OldConductor:
    """A conductor of the previous release: it speaks 1.0 only."""
    target = messaging.Target(version='1.0')

    def __init__(self):
        self.calls = []

    def build_instances(self, context, instance_uuid, request_spec):
        self.calls.append(instance_uuid)
        return instance_uuid


def test_old_conductor_serves_a_pinned_client_and_rejects_newer(conf, serve):
    """The pin is what lets a new API and an old conductor coexist."""
    old = _OldConductor()
    messaging_ = serve('conductor', 'old', [old])
    conf.set_override('conductor', '1.0', group='upgrade_levels')
    pinned = conductor_rpcapi.ConductorAPI(messaging_, conf, timeout=10)
    assert pinned.client.prepare(version='1.0').call(
        CTX, 'build_instances', instance_uuid='i-1',
        request_spec={}) == 'i-1'
    conf.clear_override('conductor', group='upgrade_levels')
    unpinned = conductor_rpcapi.ConductorAPI(messaging_, conf, timeout=10)
    with pytest.raises(messaging.UnsupportedVersion):
        unpinned.client.prepare(version='1.1').call(
            CTX, 'build_instances', instance_uuid='i-2', request_spec={})
    assert old.calls == ['i-1']


def test_topics_are_named_after_the_control_exchange(conf):
    assert rpc.Messaging(conf).topic('conductor') == 'migrator.conductor'
    conf.set_override('control_exchange', 'region2')
    assert rpc.Messaging(conf).topic('compute') == 'region2.compute'


def test_judging_hosts_needs_scheduler_1_1_and_a_pin_asks_nothing(conf):
    """Verdicts travel as data from 1.1; a scheduler pinned to 1.0 is not
    asked, and the caller is told it could not be (None)."""
    messaging_ = rpc.Messaging(conf)
    wire = _Wire(messaging_, reply={
        'filters': ['ComputeFilter', 'CapacityFilter'], 'hosts': ['c1'],
        'refusals': {'c1': [{'check': 'ComputeFilter', 'passed': False,
                             'reason': 'compute service is down'}]},
        'up': [False], 'enabled': [True], 'last_seen_up': [None], 'weight': [None]})
    judged = scheduler_rpcapi.SchedulerAPI(messaging_, conf).judge_hosts(
        CTX, _spec(), ['c1'])
    assert wire.versions == ['1.1']
    (verdict,) = judged.get('c1').refusals
    assert (verdict.check, verdict.passed) == ('ComputeFilter', False)
    assert [v.passed for v in judged.verdicts('c1')] == [False, True]
    conf.set_override('scheduler', '1.0', group='upgrade_levels')
    pinned = _Wire(messaging_)
    assert scheduler_rpcapi.SchedulerAPI(messaging_, conf).judge_hosts(
        CTX, _spec(), ['c1']) is None
    assert pinned.sent == []
