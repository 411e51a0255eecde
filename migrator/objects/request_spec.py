"""What the scheduler is asked, and what it answers.

A RequestSpec is built from an instance here (``for_instance``,
``for_move``) and resolved here (``resolve``: group members and hinted
servers become host names), whoever asks: a boot, a move, a check.
"""

import dataclasses
import functools

import sqlalchemy as sa

from migrator.compute import claims
from migrator.db import models


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
    # Only these hosts may be chosen (None: any); a drain may restrict its
    # destinations to some hosts, an aggregate or a zone.
    allowed_hosts: list[str] | None = None
    group_uuid: str | None = None
    group_policy: str | None = None
    group_hosts: list[str] = dataclasses.field(default_factory=list)
    same_host: list[str] = dataclasses.field(default_factory=list)
    different_host: list[str] = dataclasses.field(default_factory=list)
    # Whether same_host and different_host already hold host names
    # (``resolve`` turned the hinted servers into their hosts).
    hints_resolved: bool = False

    @property
    def extra_specs(self) -> dict:
        return self.flavor.get('extra_specs') or {}

    @functools.cached_property
    def resources(self) -> claims.Resources:
        """What the server needs of a host (read once per request)."""
        return claims.Resources.from_flavor(self.flavor)

    def to_dict(self) -> dict:
        """The fields, for an RPC message (which the transport serializes:
        no deep copy here, as ``dataclasses.asdict`` would make)."""
        return {name: getattr(self, name) for name in _SPEC_FIELDS}

    @classmethod
    def from_dict(cls, values: dict) -> 'RequestSpec':
        return cls(**{k: v for k, v in values.items() if k in _SPEC_FIELDS})


_SPEC_FIELDS = frozenset(f.name for f in dataclasses.fields(RequestSpec))


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


def _as_list(value) -> list:
    if not value:
        return []
    return [value] if isinstance(value, str) else list(value)


def for_instance(instance, group_uuid: str | None = None) -> RequestSpec:
    """What the scheduler needs to place ``instance`` (a boot)."""
    hints = instance.scheduler_hints or {}
    return RequestSpec(
        instance_uuid=instance.uuid, project_id=instance.project_id,
        flavor=instance.flavor,
        availability_zone=instance.requested_availability_zone,
        group_uuid=group_uuid,
        same_host=_as_list(hints.get('same_host')),
        different_host=_as_list(hints.get('different_host')))


def for_move(instance, group_uuid: str | None, host: str | None,
             force: bool, allow_same_host: bool) -> RequestSpec:
    """What the scheduler needs to move ``instance``: a named host that is
    not forced is the only one judged; the source is never a destination
    when a host is named or resizing to the same host is not allowed."""
    spec = for_instance(instance, group_uuid)
    spec.requested_destination = host if host and not force else None
    if host or not allow_same_host:
        spec.ignore_hosts = [instance.host]
    return spec


_GROUP = sa.select(models.ServerGroup.id, models.ServerGroup.policy).where(
    models.ServerGroup.uuid == sa.bindparam('b_uuid'))
_MEMBERS = sa.select(models.ServerGroupMember.instance_uuid).where(
    models.ServerGroupMember.group_id == sa.bindparam('b_group'))


def resolve(session, spec: RequestSpec) -> RequestSpec:
    """Turn group membership and host hints into host names for the filters;
    resolving again reads the group's hosts afresh and keeps the hints.
    Core statements on the session's connection: a move resolves its spec
    under ``Database.read_statement``."""
    connection = session.connection()
    if spec.group_uuid:
        group = connection.execute(_GROUP, {'b_uuid': spec.group_uuid}).first()
        if group is not None:
            members = [uuid for uuid in connection.scalars(
                _MEMBERS, {'b_group': group.id}) if uuid != spec.instance_uuid]
            spec.group_policy = group.policy
            spec.group_hosts = _hosts_of(connection, members)
    if not spec.hints_resolved:
        spec.same_host = _hosts_of(connection, spec.same_host, keep_missing=True)
        spec.different_host = _hosts_of(connection, spec.different_host)
        spec.hints_resolved = True
    return spec


def _hosts_of(connection, uuids, keep_missing=False) -> list[str]:
    if not uuids:
        return []
    rows = dict(connection.execute(
        sa.select(models.Instance.uuid, models.Instance.host)
        .where(models.Instance.uuid.in_(uuids))).all())
    hosts = {rows.get(u) for u in uuids if rows.get(u)}
    if keep_missing and len(rows) < len(set(uuids)):
        hosts.add('<server %s not found>' % ','.join(sorted(set(uuids) - set(rows))))
    return sorted(hosts)
