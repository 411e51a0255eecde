"""migrator's own API beside Nova's: its root and microversions, host
capacity with what moves in flight hold, the records of moves, and each
event's host and details -- none of which Nova's responses carry."""

import datetime

import pytest
import sqlalchemy as sa

from migrator.api import migrator_api
from migrator.db import models
from tests import fixtures
from tests.fixtures import headers
from tests.functional import api_samples
from tests.functional import migrate_helpers as ops

ADMIN = {'X-Auth-Token': 'admin:admin'}
MANAGER = {'X-Auth-Token': 'mia:proj:manager'}
OWNER = 'alice:proj'


def test_root_lists_its_own_versions_without_a_token(service):
    resp = service.app.get('/migrator')
    api_samples.check('migrator/versions-resp.json', resp.json)
    assert resp.json['versions'][0]['min_version'] == '1.0'
    # Its own microversion header, never confused with the compute API's.
    resp = service.app.get('/migrator/capacity', headers=dict(
        ADMIN, **{'OpenStack-API-Version': 'migrator 1.0'}))
    assert resp.headers['OpenStack-API-Version'] == 'migrator 1.0'
    assert resp.headers['Vary'] == 'OpenStack-API-Version'
    assert 'X-OpenStack-Nova-API-Version' not in resp.headers
    resp = service.app.get('/migrator/capacity', headers=dict(
        ADMIN, **{'OpenStack-API-Version': 'migrator 2.56'}), status=406)
    assert resp.json['computeFault']['message'] == (
        'Version 2.56 is not supported by the API. Minimum is 1.0 and maximum '
        'is %d.%d.' % migrator_api.API.max_version)
    # A compute version header says nothing to this API.
    resp = service.app.get('/migrator/capacity', headers=dict(
        ADMIN, **{'OpenStack-API-Version': 'compute 2.56'}))
    assert resp.headers['OpenStack-API-Version'] == 'migrator 1.0'
    resp = service.app.get('/migrator/capacity', headers=dict(
        ADMIN, **{'OpenStack-API-Version': 'migrator latest'}))
    assert resp.headers['OpenStack-API-Version'] == 'migrator %d.%d' % (
        migrator_api.API.max_version)
    service.app.get('/migrator/capacity', status=401)


def test_capacity_counts_what_moves_in_flight_hold(service):
    server = ops.boot_on(service, 'compute1', flavor='2')  # 1 VCPU, 2048 MB, 20 GB
    hosts = {h['host']: h for h in service.app.get(
        '/migrator/capacity', headers=ADMIN).json['hosts']}
    assert sorted(hosts) == ['compute1', 'compute2', 'compute3']
    source = hosts['compute1']
    memory = source['resources']['MEMORY_MB']
    assert (memory['used'], memory['in_flight']) == (2048, 0)
    assert memory['free'] == memory['capacity'] - 2048
    assert memory['capacity'] == (memory['total'] - memory['reserved']) * \
        memory['allocation_ratio']
    assert source['servers'] == 1 and source['zone'] == 'nova'
    assert source['service'] == {'status': 'enabled', 'disabled_reason': None,
                                 'state': 'up', 'forced_down': False}
    service.action(server, {'migrate': {'host': 'compute2'}}, status=202)
    service.wait_status(server, 'VERIFY_RESIZE')
    api_samples.check('migrator/capacity-list-resp.json', service.app.get(
        '/migrator/capacity', headers=ADMIN).json)
    for host in ('compute1', 'compute2'):
        shown = service.app.get('/migrator/capacity/%s' % host,
                                headers=ADMIN).json['host']
        if host == 'compute2':
            api_samples.check('migrator/capacity-show-resp.json', {'host': shown})
        # Until confirmed, the move holds 2048 MB on both sides.
        assert shown['resources']['MEMORY_MB']['in_flight'] == 2048, host
        assert shown['resources']['VCPU']['in_flight'] == 1, host
    service.action(server, {'confirmResize': None}, status=204)
    service.wait_status(server, 'ACTIVE')
    after = service.app.get('/migrator/capacity/compute2', headers=ADMIN).json['host']
    assert after['resources']['MEMORY_MB']['in_flight'] == 0
    assert after['resources']['MEMORY_MB']['used'] == 2048
    resp = service.app.get('/migrator/capacity/nowhere', headers=ADMIN, status=404)
    assert resp.json['itemNotFound']['message'] == \
        'Compute host nowhere could not be found.'
    service.app.get('/migrator/capacity', headers=headers(OWNER), status=403)


def test_capacity_shows_a_disabled_host_with_its_reason_and_zone(service):
    ops.create_zone(service, 'az1', ['compute3'])
    ops.update_service(service, 'compute3', status='disabled',
                       disabled_reason='firmware')
    shown = service.app.get('/migrator/capacity/compute3', headers=ADMIN).json['host']
    assert shown['zone'] == 'az1' and shown['aggregates']
    assert shown['service']['status'] == 'disabled'
    assert shown['service']['disabled_reason'] == 'firmware'


def test_records_of_moves_for_admins_and_the_project_manager(service):
    server = service.boot(token=OWNER)
    service.action(server, {'migrate': None}, status=202)
    service.wait_status(server, 'VERIFY_RESIZE')
    record = service.record(server)
    assert record['server_id'] == server and record['status'] == 'finished'
    assert record['source'] != record['destination']
    assert record['project_id'] == 'proj' and record['progress'] == 100
    assert record['forced'] is False and record['forced_past'] == []
    assert record['phase_times']['finished']
    # The project manager follows its project's moves, without hosts.
    listed = service.app.get('/migrator/migrations', headers=MANAGER).json
    api_samples.check('migrator/migrations-list-manager-resp.json', listed)
    mine = listed['migrations']
    assert [m['uuid'] for m in mine] == [record['uuid']]
    hidden = {'source', 'destination', 'requested_host', 'forced_past',
              'error_reason'}
    assert not hidden & set(mine[0])
    shown = service.app.get('/migrator/migrations/%s' % record['uuid'],
                            headers=MANAGER).json['migration']
    assert shown == mine[0]
    for host in service.conf.all_in_one.compute_hosts:
        assert host not in str(shown)
    # Another project's move does not exist for them; members may not look.
    service.app.get('/migrator/migrations/%s' % record['uuid'],
                    headers=headers('bob:other:manager'), status=404)
    service.app.get('/migrator/migrations/%s' % record['uuid'],
                    headers=headers(OWNER), status=403)
    refused = service.app.get('/migrator/migrations', params={'project_id': 'other'},
                              headers=MANAGER, status=403)
    assert 'migrator:migrations:index:all_projects' in refused.text
    assert service.records(project_id='other') == []
    service.app.get('/migrator/migrations', params={'host': 'compute1'},
                    headers=MANAGER, status=403)
    service.app.get('/migrator/migrations/not-a-uuid', headers=ADMIN, status=404)


@pytest.mark.parametrize('query', [{'bogus': '1'}, {'server_id': 'x'},
                                   {'host': 'a b'}])
def test_record_filters_are_validated(service, query):
    resp = service.app.get('/migrator/migrations', params=query, headers=ADMIN,
                           status=400)
    assert 'field/attribute' in resp.json['badRequest']['message']


def test_filters_of_records(service):
    first = ops.boot_on(service, 'compute1')
    second = ops.boot_on(service, 'compute2')
    service.action(first, {'migrate': {'host': 'compute3'}}, status=202)
    service.action(second, {'migrate': {'host': 'compute3'}}, status=202)
    service.wait_status(first, 'VERIFY_RESIZE')
    service.wait_status(second, 'VERIFY_RESIZE')
    service.action(first, {'confirmResize': None}, status=204)
    service.wait_migration(first, ['confirmed'])
    assert [r['server_id'] for r in service.records(host='compute1')] == [first]
    assert {r['server_id'] for r in service.records(host='compute3')} == {
        first, second}
    assert [r['server_id'] for r in service.records(status='finished')] == [second]
    assert [r['server_id'] for r in service.records(server_id=second)] == [second]


PAGES = dict(ADMIN, **{'OpenStack-API-Version': 'migrator 1.3'})


def _records(service, status=200, **params):
    return service.app.get('/migrator/migrations', params=params, headers=PAGES,
                           status=status).json


def _moved_servers(service, count):
    """``count`` servers, each moved once; the moves of all but the last
    are confirmed, the last waits in VERIFY_RESIZE."""
    servers = [service.boot(token=OWNER) for _ in range(count)]
    for number, server in enumerate(servers):
        service.action(server, {'migrate': None}, status=202)
        service.wait_status(server, 'VERIFY_RESIZE')
        if number < count - 1:
            service.action(server, {'confirmResize': None}, status=204)
            service.wait_migration(server, ['confirmed'])
    return servers


def test_records_come_in_pages_from_1_3(service):
    """From 1.3 a list of records is a page: ``limit`` records after the
    one ``marker`` names, with Nova's ``migrations_links`` to the next."""
    servers = _moved_servers(service, 4)
    everything = _records(service)
    assert 'migrations_links' not in everything
    newest_first = [r['server_id'] for r in everything['migrations']]
    assert newest_first == servers[::-1]
    seen, page = [], _records(service, limit=3)
    api_samples.check('migrator/migrations-list-page-resp.json',
                      _records(service, limit=1))
    while True:
        seen += [r['uuid'] for r in page['migrations']]
        links = page.get('migrations_links')
        if not links:
            break
        (link,) = links
        assert link['rel'] == 'next'
        path, query = link['href'].split('?')
        assert path.endswith('/migrator/migrations')
        assert 'limit=3' in query and 'marker=%s' % seen[-1] in query
        page = service.app.get('/migrator/migrations?' + query,
                               headers=PAGES).json
    assert seen == [r['uuid'] for r in everything['migrations']]
    # The marker need not pass the filters; the page goes on from its place.
    after = _records(service, marker=everything['migrations'][0]['uuid'],
                     ended='true')['migrations']
    assert [r['server_id'] for r in after] == servers[-2::-1]
    # Without 1.3 a list is every record, and the new parameters are refused.
    whole = service.app.get('/migrator/migrations', headers=ADMIN).json
    assert 'migrations_links' not in whole
    assert len(whole['migrations']) == 4
    refused = service.app.get('/migrator/migrations', params={'limit': 1},
                              headers=ADMIN, status=400).json
    assert refused['badRequest']['message'].startswith(
        'Invalid input for field/attribute limit. Unknown query parameter')


def test_records_by_whether_the_move_ended(service):
    servers = _moved_servers(service, 3)
    ended = _records(service, ended='true')['migrations']
    assert [r['server_id'] for r in ended] == servers[-2::-1]
    assert {r['status'] for r in ended} == {'confirmed'}
    waiting = _records(service, ended='false')['migrations']
    assert [(r['server_id'], r['status']) for r in waiting] == [
        (servers[-1], 'finished')]
    assert len(_records(service, ended='false', limit=1)['migrations']) == 1
    assert _records(service, ended='no', server_id=servers[0])['migrations'] == []


def test_a_page_of_records_holds_at_most_max_limit(service):
    servers = _moved_servers(service, 3)
    service.conf.set_override('max_limit', 2, group='api')
    try:
        first = _records(service)
        assert [r['server_id'] for r in first['migrations']] == servers[:0:-1]
        assert len(_records(service, limit=50)['migrations']) == 2
        link = first['migrations_links'][0]['href']
        assert 'limit=2' in link
        rest = service.app.get('/migrator/migrations?' + link.split('?')[1],
                               headers=PAGES).json
        assert [r['server_id'] for r in rest['migrations']] == servers[:1]
        assert 'migrations_links' not in rest
    finally:
        service.conf.clear_override('max_limit', group='api')


@pytest.mark.parametrize('query, named', [
    ({'limit': '0'}, 'limit'), ({'limit': '-1'}, 'limit'),
    ({'limit': 'ten'}, 'limit'), ({'limit': ''}, 'limit'),
    ({'marker': 'not-a-uuid'}, 'marker'), ({'ended': 'maybe'}, 'ended'),
    # JSON Schema's "$" ends the value: no newline slips in after it.
    ({'limit': '1\n'}, 'limit'),
])
def test_page_parameters_are_validated(service, query, named):
    message = _records(service, status=400, **query)['badRequest']['message']
    assert message.startswith('Invalid input for field/attribute %s.' % named)


def test_a_marker_must_be_a_move_the_caller_may_list(service):
    server = service.boot(token=OWNER)
    service.action(server, {'migrate': None}, status=202)
    service.wait_status(server, 'VERIFY_RESIZE')
    record = service.record(server)
    unknown = '6a1d4a4c-7f3e-4f64-9a3e-0d5c8b0e2f11'
    message = _records(service, status=400, marker=unknown)['badRequest']['message']
    assert message == 'marker [%s] not found' % unknown
    # Another project's manager: the move is as unknown as any uuid.
    other = dict(headers('bob:other:manager'),
                 **{'OpenStack-API-Version': 'migrator 1.3'})
    refused = service.app.get('/migrator/migrations', params={
        'marker': record['uuid']}, headers=other, status=400).json
    assert refused['badRequest']['message'] == (
        'marker [%s] not found' % record['uuid'])
    # Its own project's manager pages on from it.
    mine = dict(MANAGER, **{'OpenStack-API-Version': 'migrator 1.3'})
    assert service.app.get('/migrator/migrations', params={
        'marker': record['uuid']}, headers=mine).json == {'migrations': []}


def test_a_limit_of_thousands_of_digits_is_the_most_a_page_holds(service):
    """Python will not read a number that long; the page is simply full."""
    assert _records(service, limit='9' * 5000) == {'migrations': []}
    servers = service.app.get('/v2.1/servers', params={'limit': '9' * 5000},
                              headers=ADMIN).json
    assert servers['servers'] == []


@pytest.fixture
def service_on_both(db_url, tmp_path):
    """A service of the test's own on SQLite, then on PostgreSQL."""
    svc = fixtures.Service(tmp_path, connection=db_url)
    yield svc
    svc.stop()


def test_pages_of_moves_made_at_one_instant_miss_none(service_on_both):
    """Moves recorded at the same instant are ordered by their id, newest
    first, and a walk of one-record pages (on the database behind the
    service) gives each once, whether or not the moves ended."""
    service = service_on_both
    _moved_servers(service, 4)
    instant = datetime.datetime(2026, 1, 1, 12, 0, 0)
    service.db.write(lambda session: session.execute(
        sa.update(models.Migration).values(created_at=instant)))
    ids = dict(service.db.read(lambda session: session.execute(
        sa.select(models.Migration.uuid, models.Migration.id)).all()))
    for query in ({}, {'ended': 'true'}, {'ended': 'false'}):
        whole = [r['uuid'] for r in _records(service, **query)['migrations']]
        assert whole == sorted(whole, key=ids.get, reverse=True)
        walked, page = [], _records(service, limit=1, **query)
        while True:
            walked += page['migrations']
            if 'migrations_links' not in page:
                break
            page = service.app.get('/migrator/migrations?' + page[
                'migrations_links'][0]['href'].split('?')[1], headers=PAGES).json
        assert [r['uuid'] for r in walked] == whole, query
    assert len(_records(service)['migrations']) == 4
