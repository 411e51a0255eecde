"""Find things by name or ID, the way an operator names them."""

import uuid

from migrator.client import http


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _one(matches: list, kind: str, ref: str, label=lambda m: m.get('id')):
    if not matches:
        raise http.CommandError('No %s with a name or ID of %r exists.' % (kind, ref))
    if len(matches) > 1:
        raise http.CommandError('More than one %s is named %r (%s); use its ID.' % (
            kind, ref, ', '.join(str(label(m)) for m in matches)))
    return matches[0]


def find_server(client: http.ComputeClient, ref: str) -> dict:
    """The server with this ID, else the one with exactly this name (in the
    caller's project first, then in every project when allowed)."""
    if _is_uuid(ref):
        try:
            return client.get('/servers/%s' % ref)['server']
        except http.ApiError as error:
            if error.status != 404:
                raise
    for scope in ({}, {'all_tenants': 'true'}):
        try:
            servers = client.get('/servers/detail', name=ref, **scope)['servers']
        except http.ApiError as error:
            if error.status == 403:
                break
            raise
        matches = [s for s in servers if s['name'] == ref]
        if matches:
            return _one(matches, 'server', ref)
    return _one([], 'server', ref)


def find_flavor(client: http.ComputeClient, ref: str) -> dict:
    try:
        return client.get('/flavors/%s' % ref)['flavor']
    except http.ApiError as error:
        if error.status != 404:
            raise
    flavors = client.get('/flavors/detail')['flavors']
    return _one([f for f in flavors if f['name'] == ref], 'flavor', ref)


def find_aggregate(client: http.ComputeClient, ref: str) -> dict:
    aggregates = client.get('/os-aggregates')['aggregates']
    matches = [a for a in aggregates if str(a['id']) == ref]
    if not matches:
        matches = [a for a in aggregates if a['name'] == ref or a.get('uuid') == ref]
    return _one(matches, 'aggregate', ref)


def find_server_group(client: http.ComputeClient, ref: str) -> dict:
    if _is_uuid(ref):
        try:
            return client.get('/os-server-groups/%s' % ref)['server_group']
        except http.ApiError as error:
            if error.status != 404:
                raise
    groups = client.get('/os-server-groups')['server_groups']
    return _one([g for g in groups if g['name'] == ref], 'server group', ref)


def find_hypervisor(client: http.ComputeClient, ref: str) -> dict:
    """By ID or by host name; the detailed view, with capacity."""
    hypervisors = client.get('/os-hypervisors/detail')['hypervisors']
    matches = [h for h in hypervisors if str(h['id']) == ref]
    if not matches:
        matches = [h for h in hypervisors if h['hypervisor_hostname'] == ref]
    return _one(matches, 'hypervisor', ref)


def find_service(client: http.ComputeClient, host: str, binary: str) -> dict:
    services = client.get('/os-services', host=host, binary=binary)['services']
    matches = [s for s in services if s['host'] == host and s['binary'] == binary]
    if not matches:
        raise http.CommandError('No %s service runs on host %r.' % (binary, host))
    return matches[0]
