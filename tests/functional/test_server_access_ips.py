"""accessIPv4 and accessIPv6: kept at create and shown, as Nova; on SQLite
and PostgreSQL (the longest IPv6 form fits); a bad address is a 400."""

import pytest

from tests.fixtures import headers

LONGEST_V6 = '0000:0000:0000:0000:0000:ffff:255.255.255.255'


@pytest.fixture(scope='module')
def service(service_on_each_database):
    return service_on_each_database


@pytest.mark.parametrize('v4, v6, shown_v6', [
    ('1.1.1.1', '2001:2001::3', '2001:2001::3'),
    ('255.255.255.255', LONGEST_V6, '::ffff:ffff:ffff'),
    ('10.0.0.1', '0000:0000:0000:0000:0000:babe:220.12.22.2', '::babe:dc0c:1602'),
])
def test_kept_and_shown_in_canonical_form(service, v4, v6, shown_v6):
    server = service.boot(accessIPv4=v4, accessIPv6=v6)
    shown = service.show(server)
    assert (shown['accessIPv4'], shown['accessIPv6']) == (v4, shown_v6)
    listed = service.app.get('/v2.1/servers/detail', headers=headers()).json['servers']
    assert {(s['accessIPv4'], s['accessIPv6']) for s in listed if s['id'] == server} == {
        (v4, shown_v6)}


def test_not_given_is_empty(service):
    shown = service.show(service.boot())
    assert (shown['accessIPv4'], shown['accessIPv6']) == ('', '')


@pytest.mark.parametrize('field, value', [('accessIPv4', '1.1.1'),
                                          ('accessIPv4', '2001::1'),
                                          ('accessIPv6', 'not-an-address'),
                                          ('accessIPv6', '1.1.1.1')])
def test_a_bad_address_is_a_400_naming_the_field(service, field, value):
    resp = service.app.post_json('/v2.1/servers', {'server': {
        'name': 'bad', 'flavorRef': '1', field: value}}, headers=headers(), status=400)
    assert field in resp.json['badRequest']['message']
