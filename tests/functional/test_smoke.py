from tests.fixtures import headers


def test_boot_and_migrate(service):
    server_id = service.boot()
    server = service.show(server_id)
    source = server['OS-EXT-SRV-ATTR:host']
    dest = 'compute2' if source != 'compute2' else 'compute3'
    service.action(server_id, {'migrate': {'host': dest}}, status=202)
    server = service.wait_status(server_id, 'VERIFY_RESIZE')
    assert server['OS-EXT-SRV-ATTR:host'] == dest
    service.action(server_id, {'confirmResize': None}, status=204)
    server = service.wait_status(server_id, 'ACTIVE')
    assert server['OS-EXT-SRV-ATTR:host'] == dest
    assert service.app.get('/v2.1/', headers=headers()).json['version']['version'] == '2.56'
