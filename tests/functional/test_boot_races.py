"""Concurrent boots: a multi-create in an anti-affinity group spreads out,
one in an affinity group stays together, and many boots at once never
overcommit."""

from tests.fixtures import headers
from tests.invariants import assert_consistent


def test_multi_create_in_an_anti_affinity_group_spreads(service):
    group = service.app.post_json(
        '/v2.1/os-server-groups',
        {'server_group': {'name': 'spread', 'policies': ['anti-affinity']}},
        headers=headers()).json['server_group']
    service.app.post_json(
        '/v2.1/servers',
        {'server': {'name': 'web', 'flavorRef': '1', 'min_count': 3, 'max_count': 3},
         'os:scheduler_hints': {'group': group['id']}}, headers=headers())
    servers = service.app.get('/v2.1/servers/detail', params={'name': 'web'},
                              headers=headers()).json['servers']
    assert len(servers) == 3
    hosts = {service.wait_status(s['id'], 'ACTIVE')['OS-EXT-SRV-ATTR:host']
             for s in servers}
    assert hosts == {'compute1', 'compute2', 'compute3'}
    assert_consistent(service.db)


def test_multi_create_in_an_affinity_group_stays_together(service):
    """The members are scheduled at once; the group's row lock at the claim
    makes the later ones follow the first (a few rounds, never apart)."""
    for round_ in range(5):
        group = service.app.post_json(
            '/v2.1/os-server-groups',
            {'server_group': {'name': 'together', 'policies': ['affinity']}},
            headers=headers()).json['server_group']
        name = 'pair-%d' % round_
        service.app.post_json(
            '/v2.1/servers',
            {'server': {'name': name, 'flavorRef': '1', 'min_count': 3,
                        'max_count': 3},
             'os:scheduler_hints': {'group': group['id']}}, headers=headers())
        servers = service.app.get('/v2.1/servers/detail', params={'name': '^%s-' % name},
                                  headers=headers()).json['servers']
        hosts = {service.wait_status(s['id'], 'ACTIVE')['OS-EXT-SRV-ATTR:host']
                 for s in servers}
        assert len(servers) == 3 and len(hosts) == 1, hosts
    assert_consistent(service.db)


def test_many_boots_at_once(service):
    service.app.post_json(
        '/v2.1/servers',
        {'server': {'name': 'batch', 'flavorRef': '3', 'min_count': 20,
                    'max_count': 20}}, headers=headers())
    servers = service.app.get('/v2.1/servers/detail', params={'name': 'batch'},
                              headers=headers()).json['servers']
    assert len(servers) == 20
    for server in servers:
        # 3 hosts x (32256 MB // 4096 MB) = 21 slots: all 20 fit.
        service.wait_status(server['id'], 'ACTIVE')
    assert_consistent(service.db)
