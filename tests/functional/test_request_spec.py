"""A RequestSpec resolved twice (a drain or a check resolves a spec the
conductor resolves again) still means what its hints said."""

import pytest

from migrator.objects import request_spec


@pytest.fixture(scope='module')
def service(module_service):
    return module_service


def test_resolving_again_keeps_the_hinted_hosts(service):
    near = service.boot(name='near')
    far = service.boot(name='far', hints={'different_host': near})
    spec = request_spec.RequestSpec(
        instance_uuid='new', project_id='admin', flavor={'vcpus': 1, 'memory_mb': 1},
        same_host=[near], different_host=[far])

    once = service.db.read(lambda s: request_spec.resolve(s, spec))
    hosts = (once.same_host, once.different_host)
    assert hosts == ([service.host_of(near)], [service.host_of(far)])
    again = service.db.read(lambda s: request_spec.resolve(
        s, request_spec.RequestSpec.from_dict(once.to_dict())))
    assert (again.same_host, again.different_host) == hosts


def test_a_hinted_server_that_does_not_exist_is_kept_as_a_refusal(service):
    spec = request_spec.RequestSpec(
        instance_uuid='new', project_id='admin', flavor={'vcpus': 1, 'memory_mb': 1},
        same_host=['no-such-server'])
    once = service.db.read(lambda s: request_spec.resolve(s, spec))
    assert once.same_host == ['<server no-such-server not found>']
    again = service.db.read(lambda s: request_spec.resolve(s, once))
    assert again.same_host == once.same_host
