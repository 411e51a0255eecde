"""The vocabulary of the route table (``routes.ROUTES``): a route, its
methods, and what each accepts per microversion window."""

import dataclasses

from migrator.api import microversion as mv


@dataclasses.dataclass(frozen=True)
class Since:
    """``schema`` applies from microversion ``version`` until the next
    window; ``None`` means the request is not validated in that window."""
    version: tuple
    schema: dict | None


def always(schema) -> tuple:
    return (Since(mv.BASE, schema),)


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
    # The method exists from this microversion; before it the answer is 405.
    since: tuple = mv.BASE


@dataclasses.dataclass(frozen=True)
class Route:
    path: str
    resource: type
    methods: dict  # HTTP method -> Method
    open: bool = False  # answered without a token

    @property
    def top_level(self) -> str | None:
        """The first segment after /v2.1 ('servers'), if any."""
        parts = self.path.split('/')
        return parts[2] if len(parts) > 2 and parts[1] == 'v2.1' else None


def windows(variants: tuple) -> list:
    """[(first, last, schema)] version windows of a tuple of Since."""
    result = []
    for index, variant in enumerate(variants):
        if index + 1 < len(variants):
            following = variants[index + 1].version
            last = (following[0], following[1] - 1)
        else:
            last = tuple(mv.MAX_VERSION)
        result.append((variant.version, last, variant.schema))
    return result


def schema_at(variants: tuple, version) -> dict | None:
    """The schema of ``variants`` that applies at ``version``."""
    for first, last, schema in windows(variants):
        if first <= tuple(version) <= last:
            return schema
    return None


def operations(route_table) -> dict:
    """(path, method in lower case) -> Method, for every route of the table."""
    return {(route.path, name.lower()): method for route in route_table
            for name, method in route.methods.items()}
