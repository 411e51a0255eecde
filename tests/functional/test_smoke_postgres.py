from tests import fixtures


def test_boot_migrate_confirm_on_postgresql(tmp_path, postgres_url):
    svc = fixtures.Service(tmp_path, connection=postgres_url)
    try:
        server_id = svc.boot()
        source = svc.show(server_id)['OS-EXT-SRV-ATTR:host']
        moved = svc.action(server_id, {'migrate': None}, status=202)
        server = svc.wait_status(server_id, 'VERIFY_RESIZE')
        assert server['OS-EXT-SRV-ATTR:host'] != source
        # Each step's event joined the request's action (one statement
        # finds the action and adds the event).
        status, body, _ = svc._get('/v2.1/servers/%s/os-instance-actions/%s' % (
            server_id, moved.headers['x-openstack-request-id']), 'admin:admin',
            version='2.51')
        assert status == 200, body
        assert [e['event'] for e in body['instanceAction']['events']] == [
            'conductor_migrate_server', 'compute_prep_resize',
            'compute_resize_instance', 'compute_finish_resize']
        assert {e['result'] for e in body['instanceAction']['events']} == {'Success'}
        svc.action(server_id, {'revertResize': None}, status=202)
        server = svc.wait_status(server_id, 'ACTIVE')
        assert server['OS-EXT-SRV-ATTR:host'] == source
    finally:
        svc.stop()
