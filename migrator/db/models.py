"""SQLAlchemy models. The schema itself is created by alembic migrations."""

import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Largest value of an Integer column on every backend (32-bit signed).
INT_MAX = 2 ** 31 - 1


def utcnow() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    pass


class TimestampMixin:
    created_at: Mapped[datetime.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime.datetime | None] = mapped_column(
        DateTime, onupdate=utcnow)


class Service(TimestampMixin, Base):
    __tablename__ = 'services'
    __table_args__ = (UniqueConstraint('host', 'binary'),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    host: Mapped[str] = mapped_column(String(255))
    binary: Mapped[str] = mapped_column(String(255))
    topic: Mapped[str] = mapped_column(String(255))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    disabled_reason: Mapped[str | None] = mapped_column(String(255))
    forced_down: Mapped[bool] = mapped_column(Boolean, default=False)
    last_seen_up: Mapped[datetime.datetime | None] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)


class ComputeNode(TimestampMixin, Base):
    """A hypervisor with its inventory and the running sum of allocations.

    The ``*_used`` columns are kept in the same transaction as the allocation
    rows, so a claim reads one row instead of summing allocations.
    """
    __tablename__ = 'compute_nodes'

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    host: Mapped[str] = mapped_column(String(255), unique=True)
    service_id: Mapped[int | None] = mapped_column(ForeignKey('services.id'))
    hypervisor_type: Mapped[str] = mapped_column(String(64), default='fake')
    host_ip: Mapped[str] = mapped_column(String(64), default='127.0.0.1')
    vcpus: Mapped[int] = mapped_column(Integer)
    memory_mb: Mapped[int] = mapped_column(Integer)
    local_gb: Mapped[int] = mapped_column(Integer)
    reserved_vcpus: Mapped[int] = mapped_column(Integer, default=0)
    reserved_memory_mb: Mapped[int] = mapped_column(Integer, default=0)
    reserved_disk_gb: Mapped[int] = mapped_column(Integer, default=0)
    cpu_allocation_ratio: Mapped[float] = mapped_column(Float, default=1.0)
    ram_allocation_ratio: Mapped[float] = mapped_column(Float, default=1.0)
    disk_allocation_ratio: Mapped[float] = mapped_column(Float, default=1.0)
    vcpus_used: Mapped[int] = mapped_column(Integer, default=0)
    memory_mb_used: Mapped[int] = mapped_column(Integer, default=0)
    local_gb_used: Mapped[int] = mapped_column(Integer, default=0)
    generation: Mapped[int] = mapped_column(Integer, default=0)

    service: Mapped[Service | None] = relationship(lazy='joined')


class Allocation(Base):
    """Resources a consumer (instance or migration uuid) holds on a node."""
    __tablename__ = 'allocations'
    __table_args__ = (UniqueConstraint('consumer_uuid', 'node_id'),
                      Index('allocations_node_idx', 'node_id'))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    consumer_uuid: Mapped[str] = mapped_column(String(36), index=True)
    consumer_type: Mapped[str] = mapped_column(String(16), default='instance')
    node_id: Mapped[int] = mapped_column(ForeignKey('compute_nodes.id'))
    vcpus: Mapped[int] = mapped_column(Integer)
    memory_mb: Mapped[int] = mapped_column(Integer)
    disk_gb: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime.datetime] = mapped_column(DateTime, default=utcnow)


class Flavor(TimestampMixin, Base):
    __tablename__ = 'flavors'

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    flavorid: Mapped[str] = mapped_column(String(255), unique=True)
    name: Mapped[str] = mapped_column(String(255), unique=True)
    vcpus: Mapped[int] = mapped_column(Integer)
    memory_mb: Mapped[int] = mapped_column(Integer)
    root_gb: Mapped[int] = mapped_column(Integer, default=0)
    ephemeral_gb: Mapped[int] = mapped_column(Integer, default=0)
    swap: Mapped[int] = mapped_column(Integer, default=0)
    rxtx_factor: Mapped[float] = mapped_column(Float, default=1.0)
    is_public: Mapped[bool] = mapped_column(Boolean, default=True)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    description: Mapped[str | None] = mapped_column(Text)

    extra_specs: Mapped[list['FlavorExtraSpec']] = relationship(
        lazy='selectin', cascade='all, delete-orphan')
    # The projects that may use a private flavor (os-flavor-access); read
    # only when a private flavor's access is asked about.
    projects: Mapped[list['FlavorProject']] = relationship(
        lazy='select', cascade='all, delete-orphan')


class FlavorExtraSpec(Base):
    __tablename__ = 'flavor_extra_specs'
    __table_args__ = (UniqueConstraint('flavor_id', 'key'),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    flavor_id: Mapped[int] = mapped_column(ForeignKey('flavors.id'))
    key: Mapped[str] = mapped_column(String(255))
    value: Mapped[str] = mapped_column(String(255))


class FlavorProject(Base):
    __tablename__ = 'flavor_projects'
    __table_args__ = (UniqueConstraint('flavor_id', 'project_id'),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    flavor_id: Mapped[int] = mapped_column(ForeignKey('flavors.id'))
    project_id: Mapped[str] = mapped_column(String(255))


class Instance(TimestampMixin, Base):
    __tablename__ = 'instances'
    __table_args__ = (Index('instances_project_idx', 'project_id'),
                      Index('instances_host_idx', 'host'))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    display_name: Mapped[str] = mapped_column(String(255))
    description: Mapped[str | None] = mapped_column(String(255))
    # The addresses a user asked to be shown (accessIPv4/accessIPv6).
    access_ip_v4: Mapped[str | None] = mapped_column(String(15))
    access_ip_v6: Mapped[str | None] = mapped_column(String(45))
    project_id: Mapped[str] = mapped_column(String(255))
    user_id: Mapped[str] = mapped_column(String(255))
    host: Mapped[str | None] = mapped_column(String(255))
    node: Mapped[str | None] = mapped_column(String(255))
    availability_zone: Mapped[str | None] = mapped_column(String(255))
    requested_availability_zone: Mapped[str | None] = mapped_column(String(255))
    vm_state: Mapped[str] = mapped_column(String(32))
    task_state: Mapped[str | None] = mapped_column(String(32))
    power_state: Mapped[int] = mapped_column(Integer, default=0)
    flavor: Mapped[dict] = mapped_column(JSON)
    image_ref: Mapped[str | None] = mapped_column(String(255))
    networks: Mapped[list | str | None] = mapped_column(JSON)
    metadata_: Mapped[dict] = mapped_column('metadata', JSON, default=dict)
    scheduler_hints: Mapped[dict] = mapped_column(JSON, default=dict)
    key_name: Mapped[str | None] = mapped_column(String(255))
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    locked_by: Mapped[str | None] = mapped_column(String(16))
    launched_at: Mapped[datetime.datetime | None] = mapped_column(DateTime)
    terminated_at: Mapped[datetime.datetime | None] = mapped_column(DateTime)
    reservation_id: Mapped[str] = mapped_column(String(255), default='')


class InstanceFault(Base):
    __tablename__ = 'instance_faults'

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    instance_uuid: Mapped[str] = mapped_column(String(36), index=True)
    code: Mapped[int] = mapped_column(Integer)
    message: Mapped[str] = mapped_column(Text)
    details: Mapped[str | None] = mapped_column(Text)
    host: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime.datetime] = mapped_column(DateTime, default=utcnow)


class Aggregate(TimestampMixin, Base):
    __tablename__ = 'aggregates'

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    name: Mapped[str] = mapped_column(String(255), unique=True)

    hosts: Mapped[list['AggregateHost']] = relationship(
        lazy='selectin', cascade='all, delete-orphan')
    metadata_items: Mapped[list['AggregateMetadata']] = relationship(
        lazy='selectin', cascade='all, delete-orphan')


class AggregateHost(Base):
    __tablename__ = 'aggregate_hosts'
    __table_args__ = (UniqueConstraint('aggregate_id', 'host'),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    aggregate_id: Mapped[int] = mapped_column(ForeignKey('aggregates.id'))
    host: Mapped[str] = mapped_column(String(255), index=True)


class AggregateMetadata(Base):
    __tablename__ = 'aggregate_metadata'
    __table_args__ = (UniqueConstraint('aggregate_id', 'key'),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    aggregate_id: Mapped[int] = mapped_column(ForeignKey('aggregates.id'))
    key: Mapped[str] = mapped_column(String(255))
    value: Mapped[str] = mapped_column(String(255))


class ServerGroup(TimestampMixin, Base):
    __tablename__ = 'server_groups'

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    policy: Mapped[str] = mapped_column(String(32))
    project_id: Mapped[str] = mapped_column(String(255))
    user_id: Mapped[str] = mapped_column(String(255))

    members: Mapped[list['ServerGroupMember']] = relationship(
        lazy='selectin', cascade='all, delete-orphan')


class ServerGroupMember(Base):
    __tablename__ = 'server_group_members'
    __table_args__ = (UniqueConstraint('group_id', 'instance_uuid'),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey('server_groups.id'))
    instance_uuid: Mapped[str] = mapped_column(String(36), index=True)


class Migration(TimestampMixin, Base):
    __tablename__ = 'migrations'
    # By server, and by server and status: a confirm or revert finds the
    # server's move that waits for it among the server's moves, not among
    # every move of the cloud that waits.
    __table_args__ = (Index('migrations_instance_status_idx', 'instance_uuid', 'status'),
                      Index('migrations_status_idx', 'status'),
                      # Lists are newest first, in pages.
                      Index('migrations_created_idx', 'created_at', 'id'))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    instance_uuid: Mapped[str] = mapped_column(String(36))
    project_id: Mapped[str | None] = mapped_column(String(255))
    user_id: Mapped[str | None] = mapped_column(String(255))
    source_compute: Mapped[str] = mapped_column(String(255))
    source_node: Mapped[str] = mapped_column(String(255))
    dest_compute: Mapped[str | None] = mapped_column(String(255))
    dest_node: Mapped[str | None] = mapped_column(String(255))
    dest_host: Mapped[str | None] = mapped_column(String(255))
    old_instance_type_id: Mapped[int | None] = mapped_column(Integer)
    new_instance_type_id: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(32))
    migration_type: Mapped[str] = mapped_column(String(32), default='migration')
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    requested_host: Mapped[str | None] = mapped_column(String(255))
    forced: Mapped[bool] = mapped_column(Boolean, default=False)
    forced_filter_failures: Mapped[list] = mapped_column(JSON, default=list)
    old_vm_state: Mapped[str | None] = mapped_column(String(32))
    progress: Mapped[int] = mapped_column(Integer, default=0)
    error_reason: Mapped[str | None] = mapped_column(Text)
    phase_times: Mapped[dict] = mapped_column(JSON, default=dict)
    last_progress_at: Mapped[datetime.datetime | None] = mapped_column(DateTime)


class InstanceAction(Base):
    __tablename__ = 'instance_actions'
    # A step's event and the request's action are found by server and
    # request id: with the server alone, every event read through all the
    # server's actions, two for each move it ever made.
    __table_args__ = (Index('instance_actions_instance_request_idx',
                            'instance_uuid', 'request_id'),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    action: Mapped[str] = mapped_column(String(255))
    instance_uuid: Mapped[str] = mapped_column(String(36))
    request_id: Mapped[str] = mapped_column(String(255))
    user_id: Mapped[str | None] = mapped_column(String(255))
    project_id: Mapped[str | None] = mapped_column(String(255))
    start_time: Mapped[datetime.datetime] = mapped_column(DateTime, default=utcnow)
    finish_time: Mapped[datetime.datetime | None] = mapped_column(DateTime)
    message: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime.datetime | None] = mapped_column(
        DateTime, default=utcnow, onupdate=utcnow)

    events: Mapped[list['InstanceActionEvent']] = relationship(
        lazy='selectin', cascade='all, delete-orphan',
        order_by='InstanceActionEvent.id')


class InstanceActionEvent(Base):
    __tablename__ = 'instance_actions_events'

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey('instance_actions.id'),
                                           index=True)
    event: Mapped[str] = mapped_column(String(255))
    start_time: Mapped[datetime.datetime] = mapped_column(DateTime, default=utcnow)
    finish_time: Mapped[datetime.datetime | None] = mapped_column(DateTime)
    result: Mapped[str | None] = mapped_column(String(255))
    traceback: Mapped[str | None] = mapped_column(Text)
    host: Mapped[str | None] = mapped_column(String(255))
    details: Mapped[str | None] = mapped_column(Text)


class Drain(TimestampMixin, Base):
    """Taking a host down for maintenance: a persisted job, owned by one
    conductor at a time through a lease (``owner``, ``lease_expires_at``)."""
    __tablename__ = 'drains'
    __table_args__ = (Index('drains_host_idx', 'host'),
                      Index('drains_status_idx', 'status'))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    host: Mapped[str] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(String(255))
    max_parallel: Mapped[int] = mapped_column(Integer)
    max_attempts: Mapped[int] = mapped_column(Integer)
    confirm: Mapped[bool] = mapped_column(Boolean)
    abort_on_cancel: Mapped[bool] = mapped_column(Boolean, default=False)
    # allowed_hosts, exclude_hosts, include_stopped, force_servers
    options: Mapped[dict] = mapped_column(JSON, default=dict)
    owner: Mapped[str | None] = mapped_column(String(255))
    lease_expires_at: Mapped[datetime.datetime | None] = mapped_column(DateTime)
    project_id: Mapped[str | None] = mapped_column(String(255))
    user_id: Mapped[str | None] = mapped_column(String(255))
    request_id: Mapped[str | None] = mapped_column(String(255))
    message: Mapped[str | None] = mapped_column(Text)
    finished_at: Mapped[datetime.datetime | None] = mapped_column(DateTime)


class DrainItem(Base):
    """One server of a drain and where its move stands."""
    __tablename__ = 'drain_items'
    __table_args__ = (UniqueConstraint('drain_id', 'instance_uuid'),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    drain_id: Mapped[int] = mapped_column(ForeignKey('drains.id'), index=True)
    instance_uuid: Mapped[str] = mapped_column(String(36))
    status: Mapped[str] = mapped_column(String(32))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    migration_uuid: Mapped[str | None] = mapped_column(String(36))
    destination: Mapped[str | None] = mapped_column(String(255))
    tried_hosts: Mapped[list] = mapped_column(JSON, default=list)
    reason: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[datetime.datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[datetime.datetime | None] = mapped_column(DateTime)
    updated_at: Mapped[datetime.datetime | None] = mapped_column(
        DateTime, default=utcnow, onupdate=utcnow)
