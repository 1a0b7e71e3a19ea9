"""Loading what the engine asks for (its ``needs``), within what the user's role and office may see."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from datetime import datetime

from tortoise.queryset import QuerySet

from conversations.catalog_cache import CatalogCache
from conversations.engine.context import Context, LoadedProject, Person, ProjectSummary
from conversations.flow import Flow
from conversations.store import load_answers
from models.enums import ItemStatus, Role
from models.fiscal import local_day
from models.org import Office, User
from models.project import Project

PROJECT_LIST_LIMIT = 50


def person(user: User) -> Person:
    """The engine's view of a person."""
    return Person(id=user.id, name=user.name, email=user.email, phone=user.phone, role=user.role)


async def base_context(user: User, now: datetime) -> Context:
    """What every turn knows: the user, their office, today in Bangkok."""
    office = await Office.get_or_none(id=user.office_id) if user.office_id else None
    return Context(user=person(user), office_name=office.name if office else "",
                   office_province=office.province if office else "", today=local_day(now))


def visible_projects(user: User) -> QuerySet[Project]:
    """Projects the user may see: owners their own, directors their office's, admins all."""
    if user.role is Role.ADMIN:
        return Project.all()
    if user.role is Role.DIRECTOR:
        return Project.filter(office_id=user.office_id)
    return Project.filter(owner_id=user.id)


async def fill_context(ctx: Context, needs: Iterable[str], user: User, flow: Flow, catalog: CatalogCache) -> Context:
    """The context with the requested data added."""
    for need in needs:
        if need == "catalog":
            ctx = dataclasses.replace(ctx, catalog=await catalog.view())
        elif need == "projects":
            ctx = dataclasses.replace(ctx, projects=await _summaries(user))
        elif need == "director":
            ctx = dataclasses.replace(ctx, director=await _director(user), director_known=True)
        elif need.startswith("project:"):
            ctx = dataclasses.replace(ctx, loaded=await _loaded(int(need.split(":", 1)[1]), user, flow))
        else:
            raise ValueError(f"unknown need {need!r}")
    return ctx


async def _summaries(user: User) -> tuple[ProjectSummary, ...]:
    query = visible_projects(user)
    projects = await query.order_by("-updated_at").limit(PROJECT_LIST_LIMIT).prefetch_related("owner")
    return tuple(
        ProjectSummary(id=p.id, code=p.code, name=p.name, fiscal_year=p.fiscal_year, status=p.status,
                       sections_done=p.sections_done, sections_total=p.sections_total, owner_name=p.owner.name)
        for p in projects
    )


async def _director(user: User) -> Person | None:
    if user.office_id is None:
        return None
    director = await User.filter(office_id=user.office_id, role=Role.DIRECTOR, active=True).order_by("id").first()
    return person(director) if director else None


async def _loaded(project_id: int, user: User, flow: Flow) -> LoadedProject:
    project = await visible_projects(user).filter(id=project_id).first()
    if project is None:
        return LoadedProject(id=project_id, code="", status=ItemStatus.DRAFT, answers={}, editable=False, found=False)
    editable = project.owner_id == user.id and project.status in (ItemStatus.DRAFT, ItemStatus.RETURNED)
    return LoadedProject(id=project.id, code=project.code, status=project.status,
                         answers=await load_answers(flow, project), editable=editable,
                         decision_comment=project.decision_comment)
