"""What the scheduler is asked, and what it answers."""

import dataclasses


@dataclasses.dataclass
class RequestSpec:
    """Everything the filters need to judge a host for one server.

    ``requested_destination`` set means only that host is evaluated.
    ``group_hosts`` and ``same_host``/``different_host`` are resolved to host
    names before scheduling so that filters stay pure functions.
    """
    instance_uuid: str
    project_id: str
    flavor: dict
    availability_zone: str | None = None
    requested_destination: str | None = None
    ignore_hosts: list[str] = dataclasses.field(default_factory=list)
    group_uuid: str | None = None
    group_policy: str | None = None
    group_hosts: list[str] = dataclasses.field(default_factory=list)
    same_host: list[str] = dataclasses.field(default_factory=list)
    different_host: list[str] = dataclasses.field(default_factory=list)
    is_move: bool = False

    @property
    def extra_specs(self) -> dict:
        return self.flavor.get('extra_specs') or {}

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, values: dict) -> 'RequestSpec':
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in values.items() if k in names})


@dataclasses.dataclass
class Selection:
    """A chosen host, with the alternates to try if its claim is lost."""
    host: str
    node_uuid: str
    weight: float = 0.0
    alternates: list[str] = dataclasses.field(default_factory=list)

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, values: dict) -> 'Selection':
        return cls(**values)
