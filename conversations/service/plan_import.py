"""Importing an office's annual action plan: the workbook's projects become drafts of their named owners.

All or nothing: the file is read and every cell checked first (``oversight.plan_reader``), then the owners
(matched by email, then name, among the office's people: never invented) and the plan codes (the fiscal year's
catalog) are looked up; only a file without a single error is written, in one transaction. Each project row
is remembered by its row id (``ImportKey``), so importing the same file again updates the drafts it made (and
creates nothing twice); a project already submitted or approved is left as it is and listed. Drafts are saved
as chat saves them (``store.save_answers``: the same columns, completion and audit trail) and each new owner
is told, with a button to their draft's card. Contacts and the province left blank are filled from the people
records as registration fills them (``contact_rules``), and the report names them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from conversations.copy import render
from conversations.flows.flow import FlowId
from conversations.flows.registry import FLOWS
from conversations.oversight.plan_reader import CellError, ProjectRow, ReadPlan, read_plan
from conversations.parsers.thai_text import normalize_text
from conversations.service.contact_rules import fill_blanks, known_values
from conversations.service.known_people import records_context
from conversations.service.loaders import office_director
from conversations.service.store import create_project, load_answers, save_answers, without_ids
from conversations.service.workflow import notify
from models.enums import ItemStatus, ReminderKind, Role
from models.imports import ImportKey
from models.org import Office, User
from models.plans import PlanNode
from models.project import Project

Progress = Callable[[int, int], None]  # projects written, projects in all
FLOW = FlowId.REGISTER


@dataclass(frozen=True, slots=True)
class LeftAlone:
    """A project of the file that is no longer a draft: submitted or approved, so not changed."""

    key: str
    code: str
    name: str
    status: ItemStatus


@dataclass(slots=True)
class ImportOutcome:
    """What an import found or did: the errors (then nothing was written), or the drafts made and kept."""

    office: Office
    errors: list[CellError] = field(default_factory=list)
    created: list[str] = field(default_factory=list)  # project codes (or, in a dry run, row ids)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    left_alone: list[LeftAlone] = field(default_factory=list)
    filled: dict[str, list[str]] = field(default_factory=dict)  # row id → the blank answers taken from the records
    fiscal_years: list[int] = field(default_factory=list)
    dry_run: bool = False

    def summary(self) -> str:
        """The outcome in Thai: counts, and the projects left alone."""
        counts = {"created": len(self.created), "updated": len(self.updated), "unchanged": len(self.unchanged)}
        lines = [render("imp.dry_run" if self.dry_run else "imp.done", office=self.office.name,
                        fiscal_years=", ".join(map(str, self.fiscal_years)), **counts)]
        if self.left_alone:
            lines.append(render("imp.left_alone", count=len(self.left_alone), lines="\n".join(
                render("imp.left_alone_line", row_id=item.key, code=item.code, name=item.name,
                       status=render(f"xl.status.{item.status.value}")) for item in self.left_alone)))
        kept = {item.key for item in self.left_alone}  # not written: nothing filled in them
        filled = {key: names for key, names in self.filled.items() if key not in kept}
        if filled:
            lines.append(render("imp.filled", count=len(filled), lines="\n".join(
                render("imp.filled_line", row_id=key, fields=", ".join(render(f"xl.{name}") for name in names))
                for key, names in filled.items())))
        if self.created and not self.dry_run:
            lines.append(render("imp.owners_told"))
        return "\n".join(lines)


def may_import(user: User, office: Office) -> bool:
    """Admins import for any office, directors for their own."""
    return user.role is Role.ADMIN or (user.role is Role.DIRECTOR and user.office_id == office.id)


def _folded(text: Any) -> str:
    return normalize_text(str(text or "")).casefold()


async def _owners(plan: ReadPlan, office: Office) -> dict[str, User]:
    """Each project's owner among the office's active people (by email, then by name); the others are errors."""
    people = await User.filter(office_id=office.id, active=True).order_by("id")
    by_email = {_folded(person.email): person for person in people if person.email}
    by_name = {_folded(person.name): person for person in people if person.name}
    owners: dict[str, User] = {}
    for project in plan.projects:
        email, name = project.answers.get("owner_email"), project.answers.get("owner_name")
        person = by_email.get(_folded(email)) if email else None
        person = person or (by_name.get(_folded(name)) if name else None)
        if person is not None:
            owners[project.key] = person
        elif project.owner_at is not None:
            plan.errors.append(CellError(project.owner_at, render("imp.owner_unknown", who=email or name,
                                                                  office=office.name)))
    return owners


async def _plan_links(plan: ReadPlan) -> None:
    """Each plan code looked up in its fiscal year's catalog; the link answers as chat keeps them."""
    codes = {code for project in plan.projects for code, _ in project.links}
    if not codes:
        return
    nodes = await PlanNode.filter(code__in=sorted(codes)).values("code", "level", "title_th", "valid_from_fy",
                                                                 "valid_to_fy")
    known = {node["code"]: node for node in nodes}
    for project in plan.projects:
        year = project.answers.get("fiscal_year")
        for (code, where), link in zip(project.links, project.answers.get("plan_links", []), strict=True):
            node = known.get(code)
            if node is None or (isinstance(year, int) and not _valid(node, year)):
                plan.errors.append(CellError(where, render("imp.plan_unknown", fiscal_year=year or "")))
                continue
            link.update(level=node["level"], title=node["title_th"])
            link["ref"] = link.pop("ref")  # the keys in the order load_answers gives them


def _valid(node: dict[str, Any], year: int) -> bool:
    return (node["valid_from_fy"] is None or node["valid_from_fy"] <= year) and (
        node["valid_to_fy"] is None or year <= node["valid_to_fy"])


async def _existing(plan: ReadPlan, office: Office) -> dict[str, Project]:
    """The projects earlier imports of these rows made, or (a re-imported export) the office's project of that
    code and year."""
    years = sorted({int(project.answers["fiscal_year"]) for project in plan.projects})
    keys = [project.key for project in plan.projects]
    found: dict[tuple[str, int], Project] = {}
    for row in await ImportKey.filter(office_id=office.id, fiscal_year__in=years, key__in=keys).prefetch_related(
            "project"):
        found[(row.key, row.fiscal_year)] = row.project
    for project in await Project.filter(Q(code__in=keys), office_id=office.id, fiscal_year__in=years):
        found.setdefault((project.code, project.fiscal_year), project)
    return {project.key: found[(project.key, int(project.answers["fiscal_year"]))] for project in plan.projects
            if (project.key, int(project.answers["fiscal_year"])) in found}


async def import_plan(content: bytes, office: Office, actor: User | None, now: datetime, *,
                      fiscal_year: int | None = None, dry_run: bool = False,
                      progress: Progress | None = None) -> ImportOutcome:
    """Read, check and (unless ``dry_run``, and only when nothing is wrong) write the plan of one office.

    ``fiscal_year`` moves every project to that year (its dates by as many whole years): last year's export
    imported as this year's drafts. Raises ``WorkbookRefused`` for a file that is no plan at all.
    """
    flow = FLOWS[FLOW]
    plan = await asyncio.to_thread(read_plan, content, flow, office_code=office.code, fiscal_year=fiscal_year)
    outcome = ImportOutcome(office, dry_run=dry_run)
    owners = await _owners(plan, office)
    await _plan_links(plan)
    outcome.errors = plan.errors
    if plan.errors:
        return outcome
    await _fill_from_records(plan, owners, office, now, outcome)
    outcome.fiscal_years = sorted({int(project.answers["fiscal_year"]) for project in plan.projects})
    existing = await _existing(plan, office)
    if dry_run:
        for row in plan.projects:
            project = existing.get(row.key)
            changed = project is not None and await _changed(row, project, owners[row.key])
            _classify(outcome, row, project, changed=changed)
        return outcome
    async with in_transaction():
        for done, row in enumerate(plan.projects, start=1):
            await _write(outcome, row, existing.get(row.key), owners[row.key], office, actor, now)
            if progress is not None:
                progress(done, len(plan.projects))
    return outcome


async def _fill_from_records(plan: ReadPlan, owners: dict[str, User], office: Office, now: datetime,
                             outcome: ImportOutcome) -> None:
    """Blank contacts and province taken from the records as registration would (the row's owner, the office's
    director, the office's province), so that the owner is not asked them one by one; a value the file gave is
    never replaced. Noted per row for the report."""
    flow = FLOWS[FLOW]
    director = await office_director(office.id)
    for row in plan.projects:
        known = known_values(flow, records_context(owners[row.key], office, director, now))
        filled = fill_blanks(row.answers, known)
        if filled:
            outcome.filled[row.key] = filled


def _classify(outcome: ImportOutcome, row: ProjectRow, project: Project | None, *, changed: bool) -> bool:
    """Note what becomes of a row; True when it is to be written."""
    if project is None:
        outcome.created.append(row.key)
        return True
    if project.status is not ItemStatus.DRAFT:
        outcome.left_alone.append(LeftAlone(row.key, project.code, project.name, project.status))
        return False
    (outcome.updated if changed else outcome.unchanged).append(project.code)
    return changed


async def _write(outcome: ImportOutcome, row: ProjectRow, project: Project | None, owner: User, office: Office,
                 actor: User | None, now: datetime) -> None:
    flow = FLOWS[FLOW]
    if project is not None:
        if _classify(outcome, row, project, changed=await _changed(row, project, owner)):
            project.owner_id = owner.id  # the file names the owner: a draft can change hands
            await save_answers(flow, project, await load_answers(flow, project), row.answers, actor, now)
            await _remember(office, row, project)
        return
    created = await create_project(flow, owner, row.answers)
    await save_answers(flow, created, {}, row.answers, actor, now)
    await _remember(office, row, created)
    outcome.created.append(created.code)
    await notify([owner.id], ReminderKind.IMPORTED, "notify.imported_project", now, project_id=created.id,
                 code=created.code, name=created.name, actor=actor.name if actor else office.name)


async def _changed(row: ProjectRow, project: Project, owner: User) -> bool:
    """Whether importing the row would change the project (its answers or its owner)."""
    if project.status is not ItemStatus.DRAFT:
        return False
    previous = await load_answers(FLOWS[FLOW], project)
    return _given(without_ids(previous)) != _given(row.answers) or project.owner_id != owner.id


def _given(answers: dict[str, Any]) -> dict[str, Any]:
    """Answers compared as a file gives them: an optional question passed over is no answer."""
    return {key: value for key, value in answers.items() if value is not None}


async def _remember(office: Office, row: ProjectRow, project: Project) -> None:
    await ImportKey.get_or_create(office_id=office.id, fiscal_year=project.fiscal_year, key=row.key,
                                  defaults={"project_id": project.id})
