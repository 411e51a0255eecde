"""Server list filters: ``name`` is a regular expression, as in Nova,
on SQLite and on PostgreSQL (a pattern no database can use is a 400);
``reservation_id`` finds the servers of one multiple create."""

import pytest

from tests.fixtures import headers

NAMES = ('web-1', 'web-2', 'db-1', 'a.b', 'Web-3')


@pytest.fixture(scope='module')
def service(service_on_each_database):
    return service_on_each_database


@pytest.fixture(scope='module')
def booted(service):
    for name in NAMES:
        service.boot(name=name, token='names:names', wait=None)
    return service


def _names(service, pattern, status=200):
    resp = service.app.get('/v2.1/servers', params={'name': pattern},
                           headers=headers('names:names'), status=status)
    return sorted(s['name'] for s in resp.json['servers']) if status == 200 else resp


@pytest.mark.parametrize('pattern, expected', [
    ('web', ['web-1', 'web-2']),
    ('^web-[12]$', ['web-1', 'web-2']),
    ('-1$', ['db-1', 'web-1']),
    ('a.b', ['a.b']),
    (r'a\.b', ['a.b']),
    ('.', sorted(NAMES)),
    ('nothing', []),
])
def test_a_regular_expression_anywhere_in_the_name(booted, pattern, expected):
    assert _names(booted, pattern) == expected


@pytest.mark.parametrize('pattern', ['(', '[a-', '*web'])
def test_a_broken_pattern_is_a_400_naming_the_field(booted, pattern):
    resp = _names(booted, pattern, status=400)
    message = resp.json['badRequest']['message']
    assert message.startswith('Invalid input for field/attribute name.')


def test_the_servers_of_one_multiple_create_by_reservation_id(booted):
    resp = booted.app.post_json('/v2.1/servers', {'server': {
        'name': 'many', 'flavorRef': '1', 'min_count': 2, 'max_count': 2,
        'return_reservation_id': True}}, headers=headers('names:names'))
    reservation = resp.json['reservation_id']
    listed = booted.app.get('/v2.1/servers/detail', params={'reservation_id': reservation},
                            headers=headers('names:names')).json['servers']
    assert sorted(s['name'] for s in listed) == ['many-1', 'many-2']
    assert booted.app.get('/v2.1/servers', params={'reservation_id': 'r-none'},
                          headers=headers('names:names')).json['servers'] == []
