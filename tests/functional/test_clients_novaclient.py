"""python-novaclient, unmodified, against the service over HTTP.

A keystoneauth1 session with the token-endpoint plugin (token admin:admin)
and the endpoint as override: the way an operator points novaclient at a
noauth deployment.
"""

import pytest
from novaclient import client as nova_client
from novaclient import exceptions as nova_exc

from tests.functional import http_service


@pytest.fixture(scope='module')
def api(tmp_path_factory):
    with http_service.running(tmp_path_factory.mktemp('novaclient')) as service:
        yield service


def nova(api, version='2.56', token='admin:admin'):
    return nova_client.Client(version, session=api.session(token),
                              endpoint_override=api.url)


def test_list_and_show_servers(api):
    server_id = api.svc.boot(name='nc-show')
    client = nova(api)
    assert server_id in {s.id for s in client.servers.list()}
    server = client.servers.get(server_id)
    assert server.name == 'nc-show' and server.status == 'ACTIVE'
    assert getattr(server, 'OS-EXT-SRV-ATTR:host') == api.host_of(server_id)
    assert server.flavor['original_name'] == 'm1.tiny'
    assert client.servers.find(name='nc-show').id == server_id


def test_hypervisors_and_services(api):
    client = nova(api)
    hypervisors = client.hypervisors.list()
    assert sorted(h.hypervisor_hostname for h in hypervisors) == [
        'compute1', 'compute2', 'compute3']
    shown = client.hypervisors.get(hypervisors[0].id)
    assert shown.memory_mb > shown.memory_mb_used >= 0
    assert shown.free_ram_mb == shown.memory_mb - shown.memory_mb_used
    assert [h.hypervisor_hostname for h in client.hypervisors.search('compute2')] == [
        'compute2']

    computes = client.services.list(binary='migrator-compute')
    assert sorted(s.host for s in computes) == ['compute1', 'compute2', 'compute3']
    assert {s.state for s in computes} == {'up'}
    disabled = client.services.disable_log_reason(computes[0].id, 'novaclient test')
    try:
        assert (disabled.status, disabled.disabled_reason) == (
            'disabled', 'novaclient test')
    finally:
        assert client.services.enable(computes[0].id).status == 'enabled'


def test_migrate_to_a_host_then_confirm(api):
    server_id = api.svc.boot(name='nc-confirm')
    dest = api.other_host(server_id)
    client = nova(api)
    client.servers.migrate(server_id, host=dest)
    api.svc.wait_status(server_id, 'VERIFY_RESIZE')
    (migration,) = client.migrations.list(instance_uuid=server_id)
    assert (migration.status, migration.dest_compute) == ('finished', dest)
    assert migration.migration_type == 'migration'

    client.servers.confirm_resize(server_id)
    server = api.svc.wait_status(server_id, 'ACTIVE')
    assert server['OS-EXT-SRV-ATTR:host'] == dest
    assert client.migrations.list(instance_uuid=server_id)[0].status == 'confirmed'


def test_migrate_to_a_host_then_revert(api):
    server_id = api.svc.boot(name='nc-revert')
    source = api.host_of(server_id)
    client = nova(api)
    client.servers.migrate(server_id, host=api.other_host(server_id))
    api.svc.wait_status(server_id, 'VERIFY_RESIZE')
    client.servers.revert_resize(server_id)
    assert api.svc.wait_status(server_id, 'ACTIVE')['OS-EXT-SRV-ATTR:host'] == source
    statuses = {m.status for m in client.migrations.list(status='reverted')}
    assert statuses == {'reverted'}
    assert server_id in {m.instance_uuid for m in client.migrations.list(
        status='reverted')}


def test_migrate_without_host_at_2_56_is_answered_with_what_to_send(api):
    """novaclient sends {"migrate": {}} at 2.56 for a migrate without host;
    the service requires the host key there (DESIGN §3) and says so."""
    server_id = api.svc.boot(name='nc-nohost')
    with pytest.raises(nova_exc.BadRequest) as raised:
        nova(api).servers.migrate(server_id)
    message = str(raised.value)
    assert 'At microversion 2.56 and later an object body must name the target ' \
           'host: send {"migrate": {"host": "<compute host>"}}' in message
    assert '{"migrate": null} to let the scheduler choose' in message
    assert api.svc.migrations(instance_uuid=server_id) == []


def test_migrate_without_host_before_2_56(api):
    server_id = api.svc.boot(name='nc-old')
    source = api.host_of(server_id)
    nova(api, version='2.1').servers.migrate(server_id)
    assert api.svc.wait_status(server_id, 'VERIFY_RESIZE')[
        'OS-EXT-SRV-ATTR:host'] != source


def test_refused_host_reason_reaches_novaclient(api):
    server_id = api.svc.boot(name='nc-refused')
    with pytest.raises(nova_exc.BadRequest) as raised:
        nova(api).servers.migrate(server_id, host=api.host_of(server_id))
    assert 'Cannot migrate to the host where the server exists.' in str(raised.value)


def test_non_admin_is_forbidden_to_migrate(api):
    server_id = api.svc.boot(name='nc-user', token='alice:p1')
    with pytest.raises(nova_exc.Forbidden):
        nova(api, token='alice:p1').servers.migrate(server_id, host='compute1')
