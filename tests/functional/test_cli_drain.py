"""`migrator host drain` and `migrator drain list|show|cancel`, as an
operator runs them against the service over HTTP."""

import json
import time

import pytest

from tests.fixtures import headers
from tests.functional import http_service
from tests.functional import migrate_helpers as ops
from tests.functional.http_service import cli


@pytest.fixture(scope='module')
def api(tmp_path_factory):
    with http_service.running(tmp_path_factory.mktemp('cli-drain')) as service:
        yield service


def _json(result):
    assert result.code == 0, (result.out, result.err)
    return json.loads(result.out)


def _boot_on(api, host, count, flavor='1'):
    return [ops.boot_on(api.svc, host, name='%s-d%d' % (host, i), flavor=flavor)
            for i in range(count)]


def test_preview_then_drain_and_wait_then_bring_the_host_back(api, capsys):
    servers = _boot_on(api, 'compute1', 3)
    plan = _json(cli(capsys, api.url, 'host', 'drain', 'compute1', '--dry-run',
                     '-f', 'json'))
    assert {row['Server'] for row in plan} >= set(servers)
    assert all(row['Destination'] in ('compute2', 'compute3') for row in plan)
    assert {'Server', 'Destination', 'Reason'} <= set(plan[0])

    result = cli(capsys, api.url, 'host', 'drain', 'compute1', '--max-parallel', '2',
                 '--wait', '-f', 'json')
    rows = _json(result)
    assert {row['Status'] for row in rows} == {'done'}
    assert 'ended complete' in result.err
    assert {api.host_of(s) for s in servers} <= {'compute2', 'compute3'}

    listed = _json(cli(capsys, api.url, 'drain', 'list', '--host', 'compute1',
                       '-f', 'json'))
    assert listed[0]['Status'] == 'complete'
    shown = _json(cli(capsys, api.url, 'drain', 'show', listed[0]['UUID'],
                      '-f', 'json'))
    assert shown['status'] == 'complete' and shown['progress'] == 100
    assert cli(capsys, api.url, 'service', 'enable', 'compute1').code == 0


def test_a_drain_that_cannot_complete_exits_1(api, capsys):
    big = ops.create_flavor(api.svc, 'm1.cli-huge', ram=30000, flavor_id='cli-huge')
    (stuck,) = _boot_on(api, 'compute2', 1, flavor=big)
    _boot_on(api, 'compute3', 1, flavor=big)
    result = cli(capsys, api.url, 'host', 'drain', 'compute2', '--wait',
                 '--to-host', 'compute3', '-f', 'json')
    assert result.code == 1
    rows = {row['Server']: row for row in json.loads(result.out)}
    assert rows[stuck]['Status'] == 'cannot-place' and rows[stuck]['Reason']
    assert api.host_of(stuck) == 'compute2'  # nothing half-moved
    assert 'ended incomplete' in result.err
    assert cli(capsys, api.url, 'service', 'enable', 'compute2').code == 0


def test_errors_are_one_line(api, capsys):
    result = cli(capsys, api.url, 'drain', 'show', 'no-such-drain')
    assert result.code == 1 and 'Traceback' not in result.err
    result = cli(capsys, api.url, 'host', 'drain', 'compute1', '--dry-run', '--wait')
    assert result.code == 1 and '--wait' in result.err


def test_abort_a_move_then_cancel_a_drain_aborting_its_moves(api, capsys):
    api.conf.set_override('disk_copy_rate_mb', 64.0, group='compute')  # ~16 s
    try:
        (server,) = _boot_on(api, 'compute3', 1)
        api.svc.action(server, {'migrate': None}, status=202)
        api.svc.wait_migration(server, ('migrating',))
        result = cli(capsys, api.url, 'migration', 'abort', server)
        assert result.code == 0, result.err
        assert api.svc.wait_status(server, 'ACTIVE')['OS-EXT-SRV-ATTR:host'] == 'compute3'
        assert api.svc.migrations_of(server)[0]['status'] == 'cancelled'
        result = cli(capsys, api.url, 'migration', 'abort', server)
        assert result.code == 1 and 'has 0 moves in progress' in result.err

        before = api.svc.app.get('/v2.1/servers/detail?all_tenants=1&host=compute3',
                                 headers=headers(version='2.56')).json['servers']
        result = cli(capsys, api.url, 'host', 'drain', 'compute3', '-f', 'json')
        drain_id = result.err.split()[1]
        while 'moving' not in _json(cli(capsys, api.url, 'drain', 'show', drain_id,
                                        '-f', 'json'))['counts']:
            time.sleep(0.05)
        shown = _json(cli(capsys, api.url, 'drain', 'cancel', '--abort-moves',
                          drain_id, '-f', 'json'))
        assert shown['abort_on_cancel'] is True
        ended = _json(cli(capsys, api.url, 'drain', 'show', drain_id, '-f', 'json'))
        while ended['status'] == 'cancelling':
            ended = _json(cli(capsys, api.url, 'drain', 'show', drain_id, '-f', 'json'))
        assert ended['status'] == 'cancelled'
        assert 'its move was aborted' in ended['servers'], ended['servers']
        assert 'done' not in ended['counts']
        for moved in before:
            assert api.host_of(moved['id']) == 'compute3'
    finally:
        api.conf.clear_override('disk_copy_rate_mb', group='compute')
    assert cli(capsys, api.url, 'service', 'enable', 'compute3').code == 0
