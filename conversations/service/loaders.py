"""Loading what the engine asks for (its typed ``DataRequest``), within what the user's role and office may see."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from datetime import date, datetime

from tortoise.queryset import QuerySet

from conversations.engine.context import (
    Context,
    HistoryLine,
    InboxItem,
    LoadedProject,
    LoadedReport,
    Need,
    NeedCatalog,
    NeedDirector,
    NeedHistory,
    NeedInbox,
    NeedProject,
    NeedProjects,
    NeedQuarters,
    NeedReport,
    NeedReportTasks,
    Person,
    ProjectSummary,
    ReportTask,
)
from conversations.flows.flow import Flow
from conversations.service.catalog_cache import CatalogCache
from conversations.service.quarter_reads import Quarterly, approved_with_reports
from conversations.service.report_store import load_report_answers
from conversations.service.store import load_answers
from conversations.service.turn_store import OfficeRow, TurnReads
from models.enums import EDITABLE, ItemStatus, Role
from models.fiscal import FiscalQuarter, local_day, quarters_spanned
from models.org import Office, User
from models.project import Project
from models.report import QuarterReport
from models.runtime import AuditEntry
from models.windows import (
    ReportingPolicy,
    quarter_state,
    read_window_rows,
    reporting_state,
    windows_and_exceptions,
)

PROJECT_LIST_LIMIT = 50


def person(user: User) -> Person:
    """The engine's view of a person."""
    return Person(id=user.id, name=user.name, email=user.email, phone=user.phone, role=user.role)


async def base_context(user: User, now: datetime, office: Office | OfficeRow | None = None) -> Context:
    """What every turn knows: the user, their office (read here unless the turn already has it), today in
    Bangkok."""
    if office is None or office.id != user.office_id:
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


def may_see(user: User, project: Project) -> bool:
    """Whether ``visible_projects(user)`` holds the project: the same rule, for a row the turn already read."""
    if user.role is Role.ADMIN:
        return True
    if user.role is Role.DIRECTOR:
        return project.office_id == user.office_id
    return project.owner_id == user.id


async def fill_context(ctx: Context, needs: Iterable[Need], user: User, flow: Flow, catalog: CatalogCache,
                       policy: ReportingPolicy, read: TurnReads | None = None) -> Context:
    """The context with the requested data added, each request dispatched on its type; a report's rows read
    are kept in ``read``, for the turn's effects to write to without reading them again."""
    for need in needs:
        ctx = await _filled(ctx, need, user, flow, catalog, policy, read)
    return ctx


async def _filled(ctx: Context, need: Need, user: User, flow: Flow, catalog: CatalogCache,
                  policy: ReportingPolicy, read: TurnReads | None) -> Context:
    match need:
        case NeedCatalog():
            return dataclasses.replace(ctx, catalog=await catalog.view())
        case NeedProjects():
            return dataclasses.replace(ctx, projects=await _summaries(user))
        case NeedDirector():
            return dataclasses.replace(ctx, director=await office_director(user.office_id), director_known=True)
        case NeedProject(project_id=project_id):
            return dataclasses.replace(ctx, loaded=await _loaded(project_id, user, flow))
        case NeedReportTasks():
            return dataclasses.replace(ctx, report_tasks=await report_tasks(user, ctx.today, policy, read))
        case NeedReport(project_id=project_id, fiscal_year=fiscal_year, quarter=quarter):
            return dataclasses.replace(ctx, report=await loaded_report(project_id, fiscal_year, quarter, user,
                                                                       ctx.today, policy, read))
        case NeedQuarters(project_id=project_id):
            return dataclasses.replace(ctx, quarters=await project_quarters(project_id, user, ctx.today, policy))
        case NeedInbox():
            return dataclasses.replace(ctx, inbox=await inbox(user))
        case NeedHistory(code=code):
            found, lines = await history(code, user)
            return dataclasses.replace(ctx, history=lines, history_of=found)
    raise TypeError(f"unknown data request {need!r}")


async def _summaries(user: User) -> tuple[ProjectSummary, ...]:
    query = visible_projects(user)
    projects = await query.order_by("-updated_at").limit(PROJECT_LIST_LIMIT).prefetch_related("owner")
    return tuple(
        ProjectSummary(id=p.id, code=p.code, name=p.name, fiscal_year=p.fiscal_year, status=p.status,
                       sections_done=p.sections_done, sections_total=p.sections_total, owner_name=p.owner.name)
        for p in projects
    )


async def office_director(office_id: int | None) -> Person | None:
    """The office's director as a conversation finds them (the first active one), or None; also read for drafts
    made outside a conversation (``known_people``)."""
    if office_id is None:
        return None
    director = await User.filter(office_id=office_id, role=Role.DIRECTOR, active=True).order_by("id").first()
    return person(director) if director else None


async def _loaded(project_id: int, user: User, flow: Flow) -> LoadedProject:
    project = await visible_projects(user).filter(id=project_id).first()
    if project is None:
        return LoadedProject(id=project_id, code="", status=ItemStatus.DRAFT, answers={}, editable=False, found=False)
    editable = project.owner_id == user.id and project.status in EDITABLE
    return LoadedProject(id=project.id, code=project.code, status=project.status,
                         answers=await load_answers(flow, project), editable=editable,
                         decision_comment=project.decision_comment, emenscr_id=project.emenscr_id,
                         emenscr_keyed=tuple(project.emenscr_keyed or ()), copied=dict(project.copy_review or {}),
                         sent_before=project.submitted_at is not None)


async def report_tasks(user: User, today: date, policy: ReportingPolicy, read: TurnReads | None = None
                       ) -> tuple[ReportTask, ...]:
    """Every quarter of the owner's approved projects, with its status on ``today``; the projects and their
    reports kept in ``read`` (the report the owner picks next is one of them)."""
    projects, reports = await approved_with_reports(user.id)
    if read is not None:  # every report of these projects, and the projects, as this turn read them
        for row in projects:
            read.saw(row)
        for kept in reports:
            read.saw(kept)
        read.reported.update(project.id for project in projects)
    return await _tasks([Quarterly.of(project) for project in projects],
                        {(r.project_id, r.fiscal_year, r.quarter): (r.status, bool(r.value("late")))
                         for r in reports}, today, policy)


async def project_quarters(project_id: int, user: User, today: date, policy: ReportingPolicy
                           ) -> tuple[ReportTask, ...]:
    """The quarters of one visible, approved project (empty otherwise), for owners, directors and admins."""
    project = await visible_projects(user).filter(id=project_id, status=ItemStatus.APPROVED).first()
    if project is None:
        return ()
    reports = {(r.project_id, r.fiscal_year, r.quarter): (r.status, r.late)
               for r in await QuarterReport.filter(project_id=project.id)}
    return await _tasks([Quarterly.of(project)], reports, today, policy)


async def _tasks(projects: list[Quarterly], reports: dict[tuple[int, int, int], tuple[ItemStatus, bool]],
                 today: date, policy: ReportingPolicy) -> tuple[ReportTask, ...]:
    """Each project's quarters with their status, given the projects' reports' (status, late) by (project,
    year, quarter): the windows and the offices' lock exceptions read in one statement."""
    periods = [(project, FiscalQuarter(project.fiscal_year, quarter)) for project in projects
               for quarter in _project_quarters(project)]
    windows, excepted = await windows_and_exceptions({period for _, period in periods},
                                                     {project.office_id for project in projects}, policy)
    tasks = []
    for project, period in periods:
        window = windows[period]
        status, late = reports.get((project.id, period.fiscal_year, period.quarter), (None, False))
        until = excepted[project.office_id].get(period)
        state = quarter_state(window, today, status, late, until)
        tasks.append(ReportTask(project.id, project.code, project.name, period.fiscal_year, period.quarter,
                                state.status.value, state.can_report, state.will_be_late, window.opens, window.due,
                                window.locks, until))
    return tuple(sorted(tasks, key=lambda task: (task.code, task.quarter)))


def _project_quarters(project: Quarterly) -> list[int]:
    return quarters_spanned(project.fiscal_year, project.start_date, project.end_date)


async def loaded_report(project_id: int, fiscal_year: int, quarter: int, user: User, today: date,
                        policy: ReportingPolicy, read: TurnReads | None = None) -> LoadedReport:
    """One quarter's report of a visible project (new when none exists), editable by its owner in the window; its
    rows (project, report, window) kept in ``read`` when given. The project is read again only when this turn has
    not read it yet (the quarter list, the open item did) or its row does not show it visible."""
    held = read.projects.get(project_id) if read is not None else None
    project = held if held is not None and may_see(user, held) else (
        await visible_projects(user).filter(id=project_id).first())
    if project is None or quarter not in (1, 2, 3, 4):
        return LoadedReport(project_id, "", "", fiscal_year, quarter, {}, editable=False, found=False)
    period = FiscalQuarter(fiscal_year, quarter)
    if read is not None and project.id in read.reported:  # the quarter list read them all: none means none
        report = read.report_of(project.id, period)
    else:
        report = await QuarterReport.get_or_none(project=project, fiscal_year=fiscal_year, quarter=quarter)
    window = await read_window_rows(project.office_id, period)
    if read is not None:
        read.saw(project)
        read.saw_window(project.office_id, period, window)
        if report is not None:
            read.saw(report)
    _, state = await reporting_state(project.office_id, period, today, policy, report, window)
    editable = (project.owner_id == user.id and project.status is ItemStatus.APPROVED and state.can_report
                and (report is None or report.status in EDITABLE))
    return LoadedReport(project.id, project.code, project.name, fiscal_year, quarter,
                        await load_report_answers(project, period, report), editable=editable,
                        report_id=report.id if report else None, status=report.status if report else None,
                        decision_comment=report.decision_comment if report else "",
                        emenscr_keyed=tuple(report.emenscr_keyed or ()) if report else ())


async def inbox(user: User) -> tuple[InboxItem, ...]:
    """Submitted projects and reports awaiting a decision, in the director's office (all, for admins)."""
    scope = Project.all() if user.role is Role.ADMIN else Project.filter(office_id=user.office_id)
    projects = await scope.filter(status=ItemStatus.SUBMITTED).order_by("submitted_at").prefetch_related("owner")
    items = [InboxItem("project", p.id, p.code, p.name, p.owner.name, p.fiscal_year,
                       resubmitted=bool(p.decision_comment)) for p in projects]
    report_scope = QuarterReport.all() if user.role is Role.ADMIN else QuarterReport.filter(
        project__office_id=user.office_id)
    reports = await report_scope.filter(status=ItemStatus.SUBMITTED).order_by("submitted_at").prefetch_related(
        "project__owner")
    items += [InboxItem("report", r.project.id, r.project.code, r.project.name, r.project.owner.name, r.fiscal_year,
                        r.quarter, r.id, r.late, bool(r.decision_comment)) for r in reports]
    return tuple(items)


async def history(code: str, user: User) -> tuple[str, tuple[HistoryLine, ...]]:
    """A visible project's audit trail, newest first (``""`` and nothing when not visible)."""
    project = await visible_projects(user).filter(code=code.upper()).first()
    if project is None:
        return "", ()
    entries = await AuditEntry.filter(project_id=project.id).order_by("-at", "-id").limit(200).prefetch_related(
        "actor")
    quarters = {r.id: r.quarter for r in await QuarterReport.filter(project=project)}
    return project.code, tuple(
        HistoryLine(entry.at, entry.actor.name if entry.actor else "", entry.entity, entry.field, entry.before,
                    entry.after, quarters.get(entry.entity_id, 0) if entry.entity == "report" else 0)
        for entry in entries
    )
