"""The migrate body per microversion (DESIGN §3 table) and its 400s."""

import pytest

from tests.invariants import assert_consistent

OLD = ['2.1', '2.55']
NEW = ['2.56', 'latest']


@pytest.fixture
def server(service):
    return service.boot()


def _task_state(service, server_id):
    return service.show(server_id)['OS-EXT-STS:task_state']


@pytest.mark.parametrize('version', OLD + NEW)
def test_null_body_lets_the_scheduler_choose(service, server, version):
    source = service.show(server)['OS-EXT-SRV-ATTR:host']
    service.action(server, {'migrate': None}, version=version, status=202)
    moved = service.wait_status(server, 'VERIFY_RESIZE')
    assert moved['OS-EXT-SRV-ATTR:host'] != source
    assert_consistent(service.db)


@pytest.mark.parametrize('version', OLD)
@pytest.mark.parametrize('body', [
    {'host': 'compute2'}, {'force': True}, {'host': None}, {},
    {'host': 'compute2', 'force': False}, 'compute2', []])
def test_before_2_56_any_value_lets_the_scheduler_choose(service, server, version,
                                                         body):
    """As Nova: below 2.56 the value of "migrate" is neither validated nor
    read; a host in it is ignored, never forced."""
    source = service.show(server)['OS-EXT-SRV-ATTR:host']
    service.action(server, {'migrate': body}, version=version, status=202)
    moved = service.wait_status(server, 'VERIFY_RESIZE')
    assert moved['OS-EXT-SRV-ATTR:host'] != source
    record = service.record(server)
    assert (record['requested_host'], record['forced']) == (None, False)
    assert_consistent(service.db)


@pytest.mark.parametrize('version', NEW)
def test_host_is_required_in_an_object_body(service, server, version):
    resp = service.action(server, {'migrate': {}}, version=version, status=400)
    message = resp.json['badRequest']['message']
    assert '"host"' in message and '{"migrate": null}' in message


@pytest.mark.parametrize('version', NEW)
def test_force_without_host_is_refused(service, server, version):
    for body in ({'host': None, 'force': True}, {'force': True}):
        resp = service.action(server, {'migrate': body}, version=version, status=400)
        assert 'force requires a target host' in resp.json['badRequest']['message']
    assert service.migrations(instance_uuid=server) == []


@pytest.mark.parametrize('body,field', [
    ({'host': 'compute2', 'extra': 1}, 'extra'),
    ({'host': 5}, 'host'),
    ({'host': ''}, 'host'),
    ({'host': 'bad host!'}, 'host'),
    ({'host': 'x' * 256}, 'host'),
    ({'host': 'compute2', 'force': 'yes'}, 'force'),
    ({'host': 'compute2', 'force': 1}, 'force'),
])
def test_bad_values_name_the_field(service, server, body, field):
    resp = service.action(server, {'migrate': body}, version='2.56', status=400)
    assert field in resp.json['badRequest']['message']
    assert _task_state(service, server) is None


@pytest.mark.parametrize('body', [{'migrate': 'compute2'}, {'migrate': []},
                                  {'migrate': None, 'other': 1}])
def test_malformed_action_bodies(service, server, body):
    service.action(server, body, version='2.56', status=400)


@pytest.mark.parametrize('version', NEW)
def test_null_host_with_force_false_is_scheduled(service, server, version):
    service.action(server, {'migrate': {'host': None, 'force': False}},
                   version=version, status=202)
    service.wait_status(server, 'VERIFY_RESIZE')
    migration = service.record(server)
    assert migration['forced'] is False
    assert migration['requested_host'] is None


def test_unknown_host(service, server):
    resp = service.action(server, {'migrate': {'host': 'nowhere'}}, status=400)
    assert resp.json['badRequest']['message'] == \
        'Compute host nowhere could not be found.'
    resp = service.action(server, {'migrate': {'host': 'nowhere', 'force': True}},
                          status=400)
    assert 'Compute host nowhere could not be found.' in \
        resp.json['badRequest']['message']
    assert _task_state(service, server) is None


def test_same_host(service, server):
    source = service.show(server)['OS-EXT-SRV-ATTR:host']
    for force in (False, True, None):
        resp = service.action(server, {'migrate': {'host': source, 'force': force}},
                              status=400)
        assert resp.json['badRequest']['message'] == \
            'Cannot migrate to the host where the server exists.'
    assert _task_state(service, server) is None
    assert_consistent(service.db)


def test_unknown_server(service):
    resp = service.action('8f0b7bba-57e8-4ad0-9ab8-6d7a4b0d2c11',
                          {'migrate': None}, status=404)
    assert 'itemNotFound' in resp.json
