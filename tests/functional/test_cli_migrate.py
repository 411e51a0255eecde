"""The `migrator` CLI against the service over HTTP: the migrate journey.

Each test boots its own server on one shared service (starting a service is
the slow part); hosts are chosen relative to where that server landed.
"""

import json
import uuid

import pytest

from tests.functional import http_service
from tests.functional.http_service import cli


@pytest.fixture(scope='module')
def api(tmp_path_factory):
    with http_service.running(tmp_path_factory.mktemp('cli')) as service:
        yield service


def boot(api, flavor='1') -> tuple:
    """(name, id) of a new ACTIVE server."""
    name = 'vm-%s' % uuid.uuid4().hex[:8]
    return name, api.svc.boot(name=name, flavor=flavor)


def test_migrate_with_host_by_name(api, capsys):
    name, server_id = boot(api)
    dest = api.other_host(server_id)
    result = cli(capsys, api.url, 'migrate', name, dest)
    assert result.code == 0, result.err
    assert 'Migration of server %s (%s) to %s accepted' % (name, server_id, dest) \
        in result.out
    server = api.svc.wait_status(server_id, 'VERIFY_RESIZE')
    assert server['OS-EXT-SRV-ATTR:host'] == dest
    migration = api.svc.record(server_id)
    assert migration['requested_host'] == dest
    assert migration['forced'] is False


def test_migrate_without_host_lets_the_scheduler_choose(api, capsys):
    name, server_id = boot(api)
    source = api.host_of(server_id)
    result = cli(capsys, api.url, 'migrate', server_id)
    assert result.code == 0, result.err
    assert 'a host the scheduler chose' in result.out
    server = api.svc.wait_status(server_id, 'VERIFY_RESIZE')
    assert server['OS-EXT-SRV-ATTR:host'] != source
    assert api.svc.record(server_id)['requested_host'] is None


def test_force_without_host_is_refused_before_any_request(api, capsys):
    name, server_id = boot(api)
    # Nothing listens on this endpoint: any request would fail differently.
    result = cli(capsys, 'http://127.0.0.1:9/v2.1', 'migrate', '--force', name)
    assert result.code != 0
    assert '--force requires a target host' in result.err
    assert 'Cannot reach' not in result.err
    assert api.svc.migrations(instance_uuid=server_id) == []


def test_force_past_a_refusing_filter(api, capsys):
    name, server_id = boot(api)
    dest = api.other_host(server_id)
    assert cli(capsys, api.url, 'service', 'disable', dest,
               '--reason', 'firmware update').code == 0
    try:
        refused = cli(capsys, api.url, 'migrate', name, dest)
        assert refused.code != 0
        # The service's reason, on one line with the HTTP status.
        assert refused.err.startswith('HTTP 400 Bad Request: No valid host')
        assert 'ComputeFilter' in refused.err and 'firmware update' in refused.err
        assert len(refused.err.strip().splitlines()) == 1

        forced = cli(capsys, api.url, 'migrate', '--force', '--wait', name, dest)
        assert forced.code == 0, forced.err
        assert 'is in VERIFY_RESIZE on %s' % dest in forced.out
        assert 'Forced past the filters that refused the host: ComputeFilter' \
            in forced.out
    finally:
        cli(capsys, api.url, 'service', 'enable', dest)
    migration = api.svc.record(server_id)
    assert migration['forced'] is True
    assert migration['destination'] == dest


def test_unknown_server(api, capsys):
    result = cli(capsys, api.url, 'migrate', 'no-such-server', 'compute1')
    assert result.code != 0
    assert "No server with a name or ID of 'no-such-server' exists." in result.err
    missing = str(uuid.uuid4())
    result = cli(capsys, api.url, 'migrate', missing, 'compute1')
    assert result.code != 0
    assert 'No server with a name or ID of %r exists.' % missing in result.err


def test_unknown_host_prints_status_and_message(api, capsys):
    name, _ = boot(api)
    result = cli(capsys, api.url, 'migrate', name, 'compute9')
    assert result.code != 0
    assert result.err.startswith(
        'HTTP 400 Bad Request: Compute host compute9 could not be found.')


def test_same_host_is_refused(api, capsys):
    name, server_id = boot(api)
    result = cli(capsys, api.url, 'migrate', name, api.host_of(server_id))
    assert result.code != 0
    assert 'Cannot migrate to the host where the server exists.' in result.err


def test_host_needs_2_56(api, capsys):
    name, server_id = boot(api)
    result = cli(capsys, api.url, '--os-compute-api-version', '2.55',
                 'migrate', name, api.other_host(server_id))
    assert result.code != 0
    assert 'needs compute API 2.56 or later; this session speaks 2.55' in result.err
    assert api.svc.migrations(instance_uuid=server_id) == []


def test_wait_success_then_confirm(api, capsys):
    name, server_id = boot(api)
    source, dest = api.host_of(server_id), api.other_host(server_id)
    result = cli(capsys, api.url, 'migrate', '--wait', name, dest)
    assert result.code == 0, result.err
    assert 'is in VERIFY_RESIZE on %s' % dest in result.out
    assert 'from %s' % source in result.out
    # Not a terminal: each phase once, on its own line.
    phases = result.err.splitlines()
    assert phases[0] == 'scheduling'
    assert phases[-1] == 'resized'
    assert api.svc.show(server_id)['status'] == 'VERIFY_RESIZE'

    confirmed = cli(capsys, api.url, 'resize-confirm', '--wait', name)
    assert confirmed.code == 0, confirmed.err
    assert 'is ACTIVE on %s' % dest in confirmed.out
    assert 'confirmed' in confirmed.out
    assert api.svc.show(server_id)['status'] == 'ACTIVE'
    assert api.svc.migrations(instance_uuid=server_id)[0]['status'] == 'confirmed'


def test_wait_then_revert(api, capsys):
    name, server_id = boot(api)
    source = api.host_of(server_id)
    assert cli(capsys, api.url, 'migrate', '--wait', name,
               api.other_host(server_id)).code == 0
    reverted = cli(capsys, api.url, 'resize-revert', '--wait', server_id)
    assert reverted.code == 0, reverted.err
    assert 'is ACTIVE on %s' % source in reverted.out
    assert api.host_of(server_id) == source
    assert api.svc.migrations(instance_uuid=server_id)[0]['status'] == 'reverted'


def test_confirm_and_revert_without_wait(api, capsys):
    name, server_id = boot(api)
    assert cli(capsys, api.url, 'migrate', name, api.other_host(server_id)).code == 0
    api.svc.wait_status(server_id, 'VERIFY_RESIZE')
    result = cli(capsys, api.url, 'resize-revert', name)
    assert result.code == 0, result.err
    assert 'Revert of server %s' % name in result.out
    api.svc.wait_status(server_id, 'ACTIVE')
    # Nothing left to confirm: the service's 409, with its message.
    result = cli(capsys, api.url, 'resize-confirm', name)
    assert result.code != 0
    assert result.err.startswith('HTTP 409 Conflict: ')
    assert 'confirmResize' in result.err


def test_wait_failure_prints_the_recorded_reason(api, capsys):
    name, server_id = boot(api)
    source, dest = api.host_of(server_id), api.other_host(server_id)
    api.conf.set_override('fail_at', ['resize_instance'], group='compute')
    try:
        result = cli(capsys, api.url, 'migrate', '--wait', name, dest)
    finally:
        api.conf.clear_override('fail_at', group='compute')
    assert result.code != 0
    migration = api.svc.record(server_id)
    assert migration['status'] == 'error'
    assert migration['error_reason'] in result.err
    assert 'Injected failure at resize_instance on host %s' % source in result.err
    assert 'event list' not in result.err
    assert api.svc.wait_status(server_id, 'ACTIVE')['OS-EXT-SRV-ATTR:host'] == source


def test_wait_failure_at_the_destination(api, capsys):
    name, server_id = boot(api)
    dest = api.other_host(server_id)
    api.conf.set_override('fail_at', ['prep_resize'], group='compute')
    try:
        result = cli(capsys, api.url, 'migrate', '--wait', name, dest)
    finally:
        api.conf.clear_override('fail_at', group='compute')
    assert result.code != 0
    assert 'Injected failure at prep_resize on host %s' % dest in result.err


def test_wait_with_a_refused_host(api, capsys):
    name, server_id = boot(api)
    dest = api.other_host(server_id)
    assert cli(capsys, api.url, 'service', 'disable', dest).code == 0
    try:
        result = cli(capsys, api.url, 'migrate', '--wait', name, dest)
    finally:
        cli(capsys, api.url, 'service', 'enable', dest)
    assert result.code != 0
    scheduling, error = result.err.splitlines()
    assert scheduling == 'scheduling'
    assert error.startswith(
        'HTTP 400 Bad Request: No valid host was found. Host %s is not a valid '
        'destination: ComputeFilter: compute service is disabled' % dest)
    assert api.svc.migrations(instance_uuid=server_id) == []


def test_migration_list_json(api, capsys):
    name, server_id = boot(api)
    dest = api.other_host(server_id)
    assert cli(capsys, api.url, 'migrate', '--wait', name, dest).code == 0
    result = cli(capsys, api.url, 'migration', 'list', '--server', name,
                 '-f', 'json')
    assert result.code == 0, result.err
    rows = json.loads(result.out)
    assert [(r['Server UUID'], r['Destination'], r['Status']) for r in rows] == [
        (server_id, dest, 'finished')]
    assert rows[0]['Forced'] is False and rows[0]['Progress'] == 100

    by_status = json.loads(cli(capsys, api.url, 'migration', 'list', '--status',
                               'finished', '--host', dest, '-f', 'json').out)
    assert server_id in {r['Server UUID'] for r in by_status}
    assert {r['Status'] for r in by_status} == {'finished'}


def test_value_and_column_selection(api, capsys):
    name, server_id = boot(api)
    result = cli(capsys, api.url, 'server', 'show', name, '-f', 'value',
                 '-c', 'id', '-c', 'status')
    assert result.code == 0, result.err
    assert result.out.split() == [server_id, 'ACTIVE']


def test_dry_run_checks_every_host_and_moves_nothing(api, capsys):
    name, server_id = boot(api)
    source = api.host_of(server_id)
    result = cli(capsys, api.url, 'migrate', '--dry-run', name)
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert [c.strip() for c in lines[1].split('|')[1:4]] == [
        'Host', 'Accepted', 'Reasons']
    assert lines[-1] == '2/3 hosts accept: 1 SourceHost'
    assert [line for line in lines if source in line][0].count('False') == 1
    assert 'SourceHost: Cannot migrate to the host where the server exists.' in \
        result.out
    rows = json.loads(cli(capsys, api.url, 'migrate', '--dry-run', name,
                          '-f', 'json').out)
    assert {r['Host']: r['Accepted'] for r in rows} == {
        h: h != source for h in ('compute1', 'compute2', 'compute3')}
    assert set(rows[0]) == {'Host', 'Accepted', 'Reasons'}
    assert api.svc.records(server_id=server_id) == []
    assert api.svc.show(server_id)['status'] == 'ACTIVE'


def test_dry_run_follows_the_pages_of_the_check(api, capsys):
    """A page holds at most the API's max_limit hosts: the table still
    shows every host, once each."""
    name, server_id = boot(api)
    api.conf.set_override('max_limit', 1, group='api')
    try:
        rows = json.loads(cli(capsys, api.url, 'migrate', '--dry-run', name,
                              '-f', 'json').out)
    finally:
        api.conf.clear_override('max_limit', group='api')
    assert sorted(r['Host'] for r in rows) == ['compute1', 'compute2', 'compute3']
    assert [r['Accepted'] for r in rows] == [True, True, False]


def test_dry_run_with_force_says_what_force_would_change(api, capsys):
    name, server_id = boot(api)
    dest = api.other_host(server_id)
    assert cli(capsys, api.url, 'service', 'disable', dest, '--reason',
               'firmware').code == 0
    try:
        rows = json.loads(cli(capsys, api.url, 'migrate', '--dry-run', '--force',
                              name, dest, 'nowhere', '-f', 'json').out)
    finally:
        cli(capsys, api.url, 'service', 'enable', dest)
    found = {r['Host']: r for r in rows}
    assert set(found) == {dest, 'nowhere'}
    assert found[dest]['Accepted'] is True
    assert found[dest]['Reasons'] == ('ComputeFilter: compute service is '
                                      'disabled (firmware)')
    assert found[dest]['Force would'] == ('go past ComputeFilter: compute service '
                                          'is disabled (firmware)')
    assert found['nowhere']['Accepted'] is False
    assert found['nowhere']['Force would'] == (
        'still be refused: HostExists: Compute host nowhere could not be found.')


def test_several_hosts_only_with_dry_run(api, capsys):
    name, _server_id = boot(api)
    result = cli(capsys, api.url, 'migrate', name, 'compute1', 'compute2')
    assert result.code == 1
    assert 'name several only with --dry-run' in result.err


def test_migration_list_reads_every_page_or_one_page_asked_for(api, capsys):
    name, server_id = boot(api)
    for _ in range(3):
        api.svc.action(server_id, {'migrate': None}, status=202)
        api.svc.wait_status(server_id, 'VERIFY_RESIZE')
        api.svc.action(server_id, {'confirmResize': None}, status=204)
        api.svc.wait_migration(server_id, ['confirmed'])

    def listed(*options):
        result = cli(capsys, api.url, 'migration', 'list', '--server', name,
                     '-f', 'json', *options)
        assert result.code == 0, result.err
        return [row['UUID'] for row in json.loads(result.out)]
    every = listed()
    assert len(every) == 3
    assert listed('--limit', '2') == every[:2]
    assert listed('--marker', every[0]) == every[1:]
    api.conf.set_override('max_limit', 1, group='api')
    try:
        assert listed() == every  # page after page, each record once
        assert listed('--limit', '2') == every[:1]  # one page, as asked
    finally:
        api.conf.clear_override('max_limit', group='api')
    refused = cli(capsys, api.url, 'migration', 'list', '--limit', '0')
    assert refused.code == 2
    assert 'must be a whole number of moves, 1 or more' in refused.err
    unknown = cli(capsys, api.url, 'migration', 'list', '--marker', server_id)
    assert unknown.code == 1
    assert 'marker [%s] not found' % server_id in unknown.err
