"""The vocabulary of the route table (``routes.ROUTES``): a route, its
methods, and what each accepts per microversion window."""

import dataclasses

from migrator.api import microversion as mv
from migrator.api import migrator_api

# Every API the service answers, by the prefix of its paths.
APIS = (mv.COMPUTE, migrator_api.API)


def api_of(path: str) -> mv.Api | None:
    """The API a path belongs to; None for the root version document."""
    for api in APIS:
        if api.serves(path):
            return api
    return None


@dataclasses.dataclass(frozen=True)
class Since:
    """``schema`` applies from microversion ``version`` until the next
    window; ``None`` means the request is not validated in that window."""
    version: tuple
    schema: dict | None


def always(schema, api: mv.Api = mv.COMPUTE) -> tuple:
    """One window: ``schema`` at every microversion of ``api``."""
    return (Since(tuple(api.min_version), schema),)


@dataclasses.dataclass(frozen=True)
class Method:
    """What one method of a route accepts and answers."""
    summary: str
    status: tuple = (200,)
    returns: str | None = None
    body: tuple = ()
    query: tuple = ()
    # An action route: the body's one key names the action, each with its
    # own schema windows.
    actions: dict = dataclasses.field(default_factory=dict)
    # The method exists from this microversion of its API (None: from the
    # first); before it the answer is 405.
    since: tuple | None = None


@dataclasses.dataclass(frozen=True)
class Route:
    path: str
    resource: type
    methods: dict  # HTTP method -> Method
    open: bool = False  # answered without a token

    @property
    def api(self) -> mv.Api | None:
        return api_of(self.path)

    @property
    def top_level(self) -> str | None:
        """The first segment after /v2.1 ('servers'), if any: what tells a
        collection from a project id in an old client's URL."""
        parts = self.path.split('/')
        return parts[2] if len(parts) > 2 and parts[1] == 'v2.1' else None


def windows(variants: tuple, api: mv.Api = mv.COMPUTE) -> list:
    """[(first, last, schema)] version windows of a tuple of Since, the
    last one open up to ``api``'s maximum."""
    result = []
    for index, variant in enumerate(variants):
        if index + 1 < len(variants):
            following = variants[index + 1].version
            last = (following[0], following[1] - 1)
        else:
            last = tuple(api.max_version)
        result.append((variant.version, last, variant.schema))
    return result


def schema_at(variants: tuple, version, api: mv.Api = mv.COMPUTE) -> dict | None:
    """The schema of ``variants`` that applies at ``version`` of ``api``."""
    for first, last, schema in windows(variants, api):
        if first <= tuple(version) <= last:
            return schema
    return None


def operations(route_table) -> dict:
    """(path, method in lower case) -> Method, for every route of the table."""
    return {(route.path, name.lower()): method for route in route_table
            for name, method in route.methods.items()}
