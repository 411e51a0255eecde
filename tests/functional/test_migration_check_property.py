"""The check and the move give the same answer (issue: one implementation).

Hypothesis builds small random clouds -- zones, an aggregate with metadata,
flavors that ask for it, hosts filled to various levels, server groups,
disabled and forced-down services, a running or stopped server -- and, on
a quiet system, asks the migration check about every host (and one that
does not exist), with and without force, then issues the real migrate to
that host right after: accepted exactly when the move answers 202, and a
refused move gives exactly the check's reasons. An accepted move is
reverted, so that each question meets the same cloud.
"""

import contextlib
import os
import time

import pytest
from hypothesis import assume, event, example, given, settings
from hypothesis import strategies as st

from migrator.objects import verdict as verdict_mod
from tests import fixtures
from tests.fixtures import headers
from tests.functional import hostile
from tests.functional import migrate_helpers as ops
from tests.invariants import assert_consistent

HOSTS = ('compute1', 'compute2', 'compute3', 'compute4')
EXAMPLES = int(os.environ.get('MIGRATOR_CHECK_EXAMPLES', '10'))
# name -> (RAM MB, extra specs); each host has 32256 MB to give.
FLAVORS = {'small': (2048, {}), 'big': (10240, {}),
           'ssd': (2048, {'aggregate_instance_extra_specs:ssd': 'true'})}


@st.composite
def clouds(draw):
    return {
        'zones': {h: draw(st.sampled_from([None, 'az1', 'az2'])) for h in HOSTS},
        'ssd': {h: draw(st.booleans()) for h in HOSTS},
        'filled_mb': {h: draw(st.sampled_from([0, 16384, 24576, 30720]))
                      for h in HOSTS},
        'disabled': {h: draw(st.sampled_from([False, False, True])) for h in HOSTS},
        'down': {h: draw(st.sampled_from([False, False, False, True]))
                 for h in HOSTS},
        'source': draw(st.sampled_from(HOSTS)),
        'flavor': draw(st.sampled_from(sorted(FLAVORS))),
        'group': draw(st.sampled_from([None, 'affinity', 'anti-affinity'])),
        'member_on': draw(st.sampled_from(HOSTS)),
        'ask_zone': draw(st.booleans()),
        'stopped': draw(st.booleans()),
    }


@contextlib.contextmanager
def a_service(tmp_path_factory):
    svc = fixtures.Service(tmp_path_factory.mktemp('check-property'), hosts=HOSTS)
    try:
        yield svc
    finally:
        svc.stop()


def _set(svc, host, **body):
    sid = next(s['id'] for s in svc.app.get(
        '/v2.1/os-services', headers=headers(version='2.56')).json['services']
        if s['host'] == host and s['binary'] == 'nova-compute')
    svc.app.put_json('/v2.1/os-services/%s' % sid, body,
                     headers=headers(version='2.56'))


def _boot_on(svc, host, **server) -> str | None:
    """Boot onto ``host`` alone (every other host disabled for a moment);
    None when the boot finds no room there."""
    others = [h for h in HOSTS if h != host]
    for other in others:
        _set(svc, other, status='disabled', disabled_reason='placing')
    try:
        server_id = svc.boot(wait=None, **server)
        deadline = time.monotonic() + 10
        while svc.show(server_id)['status'] == 'BUILD':
            assert time.monotonic() < deadline, 'boot of %s never ended' % server_id
            time.sleep(0.01)
    finally:
        for other in others:
            _set(svc, other, status='enabled')
    return server_id if svc.show(server_id)['status'] == 'ACTIVE' else None


def build(svc, cloud) -> str:
    """The cloud of ``cloud``; the server to move, or None if it cannot be."""
    for zone in ('az1', 'az2'):
        members = [h for h, z in cloud['zones'].items() if z == zone]
        if members:
            ops.create_zone(svc, zone, members)
    ssd_hosts = [h for h, ssd in cloud['ssd'].items() if ssd]
    if ssd_hosts:
        aggregate = svc.app.post_json('/v2.1/os-aggregates', {'aggregate': {
            'name': 'ssd'}}, headers=headers()).json['aggregate']['id']
        for host in ssd_hosts:
            svc.app.post_json('/v2.1/os-aggregates/%s/action' % aggregate,
                              {'add_host': {'host': host}}, headers=headers())
        svc.app.post_json('/v2.1/os-aggregates/%s/action' % aggregate,
                          {'set_metadata': {'metadata': {'ssd': 'true'}}},
                          headers=headers())
    flavors = {}
    for name, (ram, specs) in FLAVORS.items():
        flavors[name] = ops.create_flavor(svc, name, ram=ram, extra_specs=specs)
    for host, filled in cloud['filled_mb'].items():
        if filled:
            flavor = ops.create_flavor(svc, 'fill-%s' % host, ram=filled)
            _boot_on(svc, host, name='fill-%s' % host, flavor=flavor)
    hints = {}
    source = cloud['source']
    if cloud['group']:
        group = svc.app.post_json('/v2.1/os-server-groups', {'server_group': {
            'name': 'g', 'policies': [cloud['group']]}},
            headers=headers()).json['server_group']['id']
        hints['group'] = group
        member_on = source if cloud['group'] == 'affinity' else cloud['member_on']
        if _boot_on(svc, member_on, name='member', hints=hints) is None:
            return None
    zone = cloud['zones'][source] if cloud['ask_zone'] else None
    server = _boot_on(svc, source, name='moved', flavor=flavors[cloud['flavor']],
                      hints=hints, **({'availability_zone': zone} if zone else {}))
    if server is None:
        return None
    if cloud['stopped']:
        svc.action(server, {'os-stop': None}, status=202)
        svc.wait_status(server, 'SHUTOFF')
    for host in HOSTS:
        if cloud['disabled'][host]:
            _set(svc, host, status='disabled', disabled_reason='maintenance')
        if cloud['down'][host]:
            _set(svc, host, forced_down=True)
    return server


def expected_refusal(host, answer, found, force) -> str:
    """The message a refused move must answer with, from the check alone."""
    if answer['server_refusals']:
        return answer['server_refusals'][0]['reason']
    refused = found['force']['blocks'] if force else found['refusals']
    hard = [v for v in refused if v['check'] in (
        'HostExists', 'SourceHost', 'ComputeServiceUp')]
    if hard:
        return hard[0]['reason']
    if force:
        # Past the filters, the claim refuses what does not fit (and says
        # which allocations hold the host, after the check's reason).
        capacity = next(v for v in refused if v['check'] == 'CapacityFilter')
        return 'Host %s cannot fit the server: %s (' % (host, capacity['reason'])
    return 'No valid host was found. Host %s is not a valid destination: %s' % (
        host, verdict_mod.describe(verdict_mod.Verdict.from_dict(v) for v in refused))


def _quiet(svc, server, status):
    svc.wait_status(server, status)
    hostile.settle(svc, quiet=True)


def _plain(**changes) -> dict:
    """A cloud with nothing in the way but ``changes``."""
    cloud = {'zones': dict.fromkeys(HOSTS), 'ssd': dict.fromkeys(HOSTS, False),
             'filled_mb': dict.fromkeys(HOSTS, 0),
             'disabled': dict.fromkeys(HOSTS, False),
             'down': dict.fromkeys(HOSTS, False), 'source': 'compute1',
             'flavor': 'big', 'group': None, 'member_on': 'compute2',
             'ask_zone': False, 'stopped': False}
    for key, value in changes.items():
        cloud[key] = dict(cloud[key], **value) if isinstance(value, dict) else value
    return cloud


@pytest.mark.timeout(900)
@settings(hostile.SETTINGS, max_examples=EXAMPLES)
@given(cloud=clouds())
# Capacity refuses a move, and a forced one (the claim), in every run.
@example(cloud=_plain(filled_mb={'compute2': 24576, 'compute3': 30720},
                      disabled={'compute4': True}))
@example(cloud=_plain(flavor='ssd', ssd={'compute1': True, 'compute3': True},
                      zones={'compute1': 'az1', 'compute2': 'az2'}, ask_zone=True,
                      group='anti-affinity', member_on='compute3', stopped=True))
def test_the_check_and_the_move_agree(tmp_path_factory, cloud):
    with a_service(tmp_path_factory) as svc:
        server = build(svc, cloud)
        assume(server is not None)
        home = 'SHUTOFF' if cloud['stopped'] else 'ACTIVE'
        for host in HOSTS + ('nowhere',):
            for force in (False, True):
                answer = svc.app.post_json('/migrator/migration-checks', {
                    'migration_check': {'server_id': server, 'hosts': [host],
                                        'force': force}},
                    headers={'X-Auth-Token': 'admin:admin',
                             'OpenStack-API-Version': 'migrator 1.1'}).json[
                    'migration_check']
                (found,) = answer['hosts']
                body = {'host': host, 'force': True} if force else {'host': host}
                resp = svc.action(server, {'migrate': body}, status='*')
                case = (host, force, cloud, answer)
                event('forced %s: %s' % (force, 'accepted' if found['accepted'] else
                                         (answer['server_refusals'] or
                                          (found['force']['blocks'] if force
                                           else found['refusals']))[0]['check']))
                if found['accepted']:
                    assert resp.status_int == 202, (resp.text, case)
                    moved = svc.wait_status(server, 'VERIFY_RESIZE')
                    assert moved['OS-EXT-SRV-ATTR:host'] == host, case
                    svc.action(server, {'revertResize': None}, status=202)
                    _quiet(svc, server, home)
                    continue
                assert resp.status_int in (400, 409), (resp.text, case)
                (fault,) = resp.json.values()
                expected = expected_refusal(host, answer, found, force)
                if expected.endswith('('):
                    assert fault['message'].startswith(expected), case
                else:
                    assert fault['message'] == expected, case
        assert_consistent(svc.db)
