"""Operator moves used by the migrate journeys, done through the API."""

from tests.fixtures import headers


def service_id(svc, host):
    services = svc.app.get('/v2.1/os-services', params={'host': host,
                                                        'binary': 'migrator-compute'},
                           headers=headers(version='2.56')).json['services']
    return services[0]['id']


def update_service(svc, host, **body):
    return svc.app.put_json('/v2.1/os-services/%s' % service_id(svc, host), body,
                            headers=headers(version='2.56')).json['service']


def create_flavor(svc, name, ram, vcpus=1, disk=1, flavor_id=None, extra_specs=None):
    body = {'flavor': {'name': name, 'ram': ram, 'vcpus': vcpus, 'disk': disk}}
    if flavor_id:
        body['flavor']['id'] = flavor_id
    flavor = svc.app.post_json('/v2.1/flavors', body, headers=headers()).json['flavor']
    if extra_specs:
        svc.app.post_json('/v2.1/flavors/%s/os-extra_specs' % flavor['id'],
                          {'extra_specs': extra_specs}, headers=headers())
    return flavor['id']


def create_zone(svc, zone, hosts):
    aggregate = svc.app.post_json(
        '/v2.1/os-aggregates',
        {'aggregate': {'name': 'agg-' + zone, 'availability_zone': zone}},
        headers=headers()).json['aggregate']
    for host in hosts:
        svc.app.post_json('/v2.1/os-aggregates/%s/action' % aggregate['id'],
                          {'add_host': {'host': host}}, headers=headers())
    return aggregate['id']


def host_of(svc, server_id):
    return svc.show(server_id)['OS-EXT-SRV-ATTR:host']


def boot_on(svc, host, name='vm', flavor='1', **kwargs):
    """Boot a server onto ``host`` by disabling the others for a moment."""
    others = [h for h in ('compute1', 'compute2', 'compute3') if h != host]
    for other in others:
        update_service(svc, other, status='disabled', disabled_reason='boot_on')
    try:
        server_id = svc.boot(name=name, flavor=flavor, **kwargs)
    finally:
        for other in others:
            update_service(svc, other, status='enabled')
    assert host_of(svc, server_id) == host
    return server_id


def boot_many_on(svc, host, count, flavor='1',
                 hosts=('compute1', 'compute2', 'compute3')) -> list:
    """``count`` servers on ``host`` (every other host disabled meanwhile)."""
    others = [h for h in hosts if h != host]
    for other in others:
        update_service(svc, other, status='disabled', disabled_reason='placing')
    try:
        servers = [svc.boot(name='d%d' % i, flavor=flavor, wait=None)
                   for i in range(count)]
        for server in servers:
            svc.wait_status(server, 'ACTIVE')
    finally:
        for other in others:
            update_service(svc, other, status='enabled')
    return servers


def usage(svc, host):
    """Per resource class, the host's capacity as migrator's API shows it."""
    return svc.app.get('/migrator/capacity/%s' % host,
                       headers=headers()).json['host']['resources']


def events(svc, server_id, action='migrate'):
    """The newest ``action`` of a server with each event's host and details
    (migrator's own API)."""
    actions = svc.app.get('/v2.1/servers/%s/os-instance-actions' % server_id,
                          headers=headers(version='2.56')).json['instanceActions']
    request_id = next(a['request_id'] for a in actions if a['action'] == action)
    return svc.app.get('/migrator/servers/%s/actions/%s' % (server_id, request_id),
                       headers=headers()).json['action']
