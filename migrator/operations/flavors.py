"""Flavors and their extra specs."""

from __future__ import annotations

import dataclasses

import sqlalchemy as sa
from oslo_utils import uuidutils
from sqlalchemy import orm

from migrator import exception
from migrator.db import models


@dataclasses.dataclass(frozen=True)
class FlavorFilters:
    """``is_public`` None lists public and private flavors."""
    is_public: bool | None
    limit: int
    min_ram: int | None = None
    min_disk: int | None = None
    sort_key: str = 'flavorid'
    sort_dir: str = 'asc'
    marker: str | None = None
    # A project that is not an administrator's: its private flavors (those
    # it was given access to) are listed with the public ones, as in Nova.
    project_id: str | None = None


# Built once: a flavor is shown on every ``openstack server show`` below
# microversion 2.47 (the server names its flavor only by id there).
_BY_FLAVORID = sa.select(models.Flavor).where(
    models.Flavor.flavorid == sa.bindparam('b_flavorid'))
# What the API shows of a flavor: no extra specs (Nova shows them from
# 2.61, beyond this API), so they are not loaded, and reading them from
# such a flavor is an error, not a silent query.
_WITHOUT_SPECS = orm.raiseload(models.Flavor.extra_specs)
_SHOWN = _BY_FLAVORID.options(_WITHOUT_SPECS)


def _load(session, flavor_id: str, ctx=None, statement=_BY_FLAVORID) -> models.Flavor:
    """The flavor; a private one is visible to admins and to the projects
    given access to it."""
    flavor = session.scalar(statement, {'b_flavorid': flavor_id})
    if flavor is None or (ctx is not None and not usable_by(ctx, flavor)):
        raise exception.FlavorNotFound(flavor_id=flavor_id)
    return flavor


def usable_by(ctx, flavor: models.Flavor) -> bool:
    """Whether ``ctx`` may see and boot ``flavor``: a public one, or a
    private one for administrators and the projects given access to it.
    Read inside the session that loaded the flavor."""
    return flavor.is_public or ctx.is_admin or ctx.project_id in _projects(flavor)


def _projects(flavor) -> list[str]:
    return sorted(p.project_id for p in flavor.projects)


def _set_spec(flavor, key, value) -> None:
    for spec in flavor.extra_specs:
        if spec.key == key:
            spec.value = str(value)
            return
    flavor.extra_specs.append(models.FlavorExtraSpec(key=key, value=str(value)))


class Flavors:
    def __init__(self, db):
        self.db = db

    def list(self, filters: FlavorFilters) -> list[models.Flavor]:
        return self.db.read(_list, filters)

    def get(self, ctx, flavor_id: str) -> models.Flavor:
        """The flavor as shown: its extra specs are not loaded."""
        return self.db.read(_load, flavor_id, ctx, _SHOWN)

    def create(self, values: dict) -> models.Flavor:
        """``values``: name, flavorid (None: a uuid), vcpus, memory_mb,
        root_gb, ephemeral_gb, swap, rxtx_factor, is_public, description."""
        return self.db.write(_create, values)

    def update_description(self, flavor_id: str, description) -> models.Flavor:
        def update(session):
            flavor = _load(session, flavor_id)
            flavor.description = description
            return flavor
        return self.db.write(update)

    def delete(self, flavor_id: str) -> None:
        # Servers keep a copy of their flavor, so a flavor in use can go (as Nova).
        self.db.write(lambda session: session.delete(_load(session, flavor_id)))

    # -- access to private flavors (os-flavor-access) -----------------------

    def access(self, flavor_id: str) -> list[str]:
        """The projects that may use a private flavor (404 for a public one,
        as in Nova)."""
        return self.db.read(lambda session: _projects(_private(session, flavor_id)))

    def add_access(self, flavor_id: str, project_id: str) -> list[str]:
        def add(session):
            flavor = _load(session, flavor_id)
            if flavor.is_public:
                raise exception.FlavorPublic()
            if project_id in _projects(flavor):
                raise exception.FlavorAccessExists(flavor_id=flavor_id,
                                                   project_id=project_id)
            flavor.projects.append(models.FlavorProject(project_id=project_id))
            session.flush()
            return _projects(flavor)
        return self.db.write(add)

    def remove_access(self, flavor_id: str, project_id: str) -> list[str]:
        def remove(session):
            flavor = _load(session, flavor_id)
            for access in list(flavor.projects):
                if access.project_id == project_id:
                    flavor.projects.remove(access)
                    session.flush()
                    return _projects(flavor)
            raise exception.FlavorAccessNotFound(flavor_id=flavor_id,
                                                 project_id=project_id)
        return self.db.write(remove)

    # -- extra specs ---------------------------------------------------------

    def extra_specs(self, ctx, flavor_id: str) -> dict:
        flavor = self.db.read(_load, flavor_id, ctx)
        return {s.key: s.value for s in flavor.extra_specs}

    def set_extra_specs(self, flavor_id: str, specs: dict) -> dict:
        def update(session):
            flavor = _load(session, flavor_id)
            for key, value in specs.items():
                _set_spec(flavor, key, value)
            session.flush()
        self.db.write(update)
        return {k: str(v) for k, v in specs.items()}

    def delete_extra_spec(self, flavor_id: str, key: str) -> None:
        def delete(session):
            flavor = _load(session, flavor_id)
            for spec in list(flavor.extra_specs):
                if spec.key == key:
                    flavor.extra_specs.remove(spec)
                    return
            raise exception.FlavorExtraSpecNotFound(flavor_id=flavor_id, key=key)
        self.db.write(delete)


def _private(session, flavor_id: str) -> models.Flavor:
    flavor = _load(session, flavor_id)
    if flavor.is_public:
        raise exception.NotFound('Access list not available for public flavors.')
    return flavor


def _list(session, filters: FlavorFilters):
    stmt = (sa.select(models.Flavor).options(_WITHOUT_SPECS)
            .where(models.Flavor.disabled.is_(False)))
    if filters.project_id is not None:
        granted = sa.select(models.FlavorProject.flavor_id).where(
            models.FlavorProject.project_id == filters.project_id)
        stmt = stmt.where(sa.or_(models.Flavor.is_public.is_(True),
                                 models.Flavor.id.in_(granted)))
    elif filters.is_public is not None:
        stmt = stmt.where(models.Flavor.is_public.is_(filters.is_public))
    if filters.min_ram is not None:
        stmt = stmt.where(models.Flavor.memory_mb >= filters.min_ram)
    if filters.min_disk is not None:
        stmt = stmt.where(models.Flavor.root_gb >= filters.min_disk)
    column = getattr(models.Flavor, filters.sort_key)
    order = column.desc() if filters.sort_dir == 'desc' else column.asc()
    flavors = list(session.scalars(stmt.order_by(order, models.Flavor.id)))
    if filters.marker is not None:
        ids = [f.flavorid for f in flavors]
        if filters.marker not in ids:
            raise exception.Invalid('marker [%s] not found' % filters.marker)
        flavors = flavors[ids.index(filters.marker) + 1:]
    return flavors[:filters.limit]


def _create(session, values):
    flavorid = values.get('flavorid') or uuidutils.generate_uuid()
    for field, column, value in (('name', models.Flavor.name, values['name']),
                                 ('ID', models.Flavor.flavorid, flavorid)):
        if session.scalar(sa.select(models.Flavor.id).where(column == value)):
            raise exception.FlavorExists(field=field, value=value)
    flavor = models.Flavor(flavorid=flavorid, extra_specs=[],
                           **{k: v for k, v in values.items() if k != 'flavorid'})
    session.add(flavor)
    session.flush()
    return flavor
