from tests import fixtures


def test_boot_migrate_confirm_on_postgresql(tmp_path, postgres_url):
    svc = fixtures.Service(tmp_path, connection=postgres_url)
    try:
        server_id = svc.boot()
        source = svc.show(server_id)['OS-EXT-SRV-ATTR:host']
        svc.action(server_id, {'migrate': None}, status=202)
        server = svc.wait_status(server_id, 'VERIFY_RESIZE')
        assert server['OS-EXT-SRV-ATTR:host'] != source
        svc.action(server_id, {'revertResize': None}, status=202)
        server = svc.wait_status(server_id, 'ACTIVE')
        assert server['OS-EXT-SRV-ATTR:host'] == source
    finally:
        svc.stop()
