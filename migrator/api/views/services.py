"""Services as Nova's API names them.

Clients and operators' scripts look for ``nova-compute`` (tempest filters
``os-services`` by it); migrator's own API and its logs keep its own names.
"""

NOVA_BINARIES = {'migrator-compute': 'nova-compute',
                 'migrator-conductor': 'nova-conductor',
                 'migrator-scheduler': 'nova-scheduler'}
_OWN_BINARIES = {nova: own for own, nova in NOVA_BINARIES.items()}


def nova_binary(binary: str) -> str:
    """A service's binary as Nova's API names it."""
    return NOVA_BINARIES.get(binary, binary)


def own_binary(binary: str) -> str:
    """The binary a name from Nova's API means (migrator's own names are
    understood too)."""
    return _OWN_BINARIES.get(binary, binary)
