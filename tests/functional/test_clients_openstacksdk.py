"""openstacksdk, unmodified, against the service over HTTP.

A keystoneauth1 session with the token-endpoint plugin (token admin:admin)
and compute_endpoint_override. The SDK discovers the microversions itself
(GET /v2.1) and picks the highest it and the service share.
"""

import time

import pytest
from openstack import connection
from openstack import exceptions as sdk_exc

from tests.functional import http_service


@pytest.fixture(scope='module')
def api(tmp_path_factory):
    with http_service.running(tmp_path_factory.mktemp('openstacksdk')) as service:
        yield service


@pytest.fixture
def compute(api):
    conn = connection.Connection(session=api.session(),
                                 compute_endpoint_override=api.url)
    yield conn.compute
    conn.close()


def test_list_and_show_servers(api, compute):
    server_id = api.svc.boot(name='sdk-show')
    assert server_id in {s.id for s in compute.servers()}
    server = compute.get_server(server_id)
    assert (server.name, server.status) == ('sdk-show', 'ACTIVE')
    assert server.compute_host == api.host_of(server_id)
    assert server.flavor.original_name == 'm1.tiny'
    assert compute.find_server('sdk-show').id == server_id


def test_hypervisors_and_services(compute):
    hypervisors = list(compute.hypervisors(details=True))
    assert sorted(h.name for h in hypervisors) == ['compute1', 'compute2', 'compute3']
    shown = compute.get_hypervisor(hypervisors[0].id)
    assert shown.name == hypervisors[0].name
    assert shown.state == 'up' and shown.status == 'enabled'
    services = {(s.host, s.binary): s for s in compute.services()}
    assert {h for h, b in services if b == 'nova-compute'} == {
        'compute1', 'compute2', 'compute3'}
    assert all(s.state == 'up' for s in services.values())


def test_migrate_to_a_host_then_confirm(api, compute):
    server_id = api.svc.boot(name='sdk-confirm')
    dest = api.other_host(server_id)
    compute.migrate_server(server_id, host=dest)
    api.svc.wait_status(server_id, 'VERIFY_RESIZE')
    (migration,) = compute.migrations(instance_uuid=server_id)
    assert (migration.status, migration.dest_compute) == ('finished', dest)
    compute.confirm_server_resize(server_id)
    assert api.svc.wait_status(server_id, 'ACTIVE')['OS-EXT-SRV-ATTR:host'] == dest
    assert [m.status for m in compute.migrations(instance_uuid=server_id)] == [
        'confirmed']


def test_migrate_to_a_host_then_revert(api, compute):
    server_id = api.svc.boot(name='sdk-revert')
    source = api.host_of(server_id)
    compute.migrate_server(server_id, host=api.other_host(server_id))
    api.svc.wait_status(server_id, 'VERIFY_RESIZE')
    compute.revert_server_resize(server_id)
    assert api.svc.wait_status(server_id, 'ACTIVE')['OS-EXT-SRV-ATTR:host'] == source
    assert [m.status for m in compute.migrations(instance_uuid=server_id)] == [
        'reverted']


def test_migrate_without_host(api, compute):
    """The SDK sends {"migrate": null} without a host: the scheduler picks."""
    server_id = api.svc.boot(name='sdk-nohost')
    source = api.host_of(server_id)
    compute.migrate_server(server_id)
    assert api.svc.wait_status(server_id, 'VERIFY_RESIZE')[
        'OS-EXT-SRV-ATTR:host'] != source


def test_refused_host_reason_reaches_the_sdk(api, compute):
    server_id = api.svc.boot(name='sdk-refused')
    with pytest.raises(sdk_exc.BadRequestException) as raised:
        compute.migrate_server(server_id, host='compute9')
    assert 'Compute host compute9 could not be found.' in str(raised.value)


def test_a_servers_move_in_progress(api, compute):
    """server_migrations and get_server_migration (what openstackclient's
    `server migration show` means to call) while a disk copy runs."""
    server_id = api.svc.boot(name='sdk-moving')
    api.svc.conf.set_override('disk_copy_rate_mb', 256.0, group='compute')  # ~4 s
    try:
        compute.migrate_server(server_id)
        deadline = time.monotonic() + 10
        moves = []
        while not moves:
            assert time.monotonic() < deadline
            moves = list(compute.server_migrations(server_id))
            time.sleep(0.05)
        shown = compute.get_server_migration(moves[0].id, server_id,
                                             ignore_missing=False)
        assert (shown.id, shown.server_id) == (moves[0].id, server_id)
        assert shown.status in ('pre-migrating', 'migrating', 'post-migrating')
        assert shown.disk_total_bytes == 1024 ** 3
    finally:
        api.svc.conf.clear_override('disk_copy_rate_mb', group='compute')
    api.svc.wait_status(server_id, 'VERIFY_RESIZE')
    assert list(compute.server_migrations(server_id)) == []
