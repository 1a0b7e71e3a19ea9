"""Answers to the data questions of ``engine/asks.py``, within what the asker may see (``monitoring.scope``)."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

from conversations.copy import render
from conversations.engine.documents import PDF
from conversations.engine.effect_types import Ask, PendingAnswer
from conversations.engine.evidence_files import EVIDENCE
from conversations.engine.plan_upload import IMPORT
from conversations.formatting import format_date, format_money, format_percent
from conversations.messages import Attachment, Reply
from conversations.oversight.charts import chart_png
from conversations.oversight.export import XLSX, export_workbook
from conversations.oversight.handover import Backlog, not_keyed
from conversations.oversight.monitoring import (
    QuarterPicture,
    current_period,
    disbursement_by_quarter,
    find_projects,
    quarter_picture,
    scope,
)
from conversations.oversight.reminder_messages import report_state
from conversations.service import admin_answers, plan_answers
from conversations.service.evidence_serving import evidence_reply
from conversations.service.pdf_serving import pdf_reply
from conversations.service.telling import NO_PUSHES, PushOutlook
from models.db import is_outage
from models.enums import Role
from models.fiscal import FiscalQuarter, local_day
from models.org import Office, User
from models.project import BudgetLine, Project
from models.report import QuarterReport
from models.windows import ReportingPolicy

log = logging.getLogger(__name__)
ADMIN_COMMANDS = frozenset({"invite", "windows", "window", "except"})
PENDING_LINES = 60  # beyond this the export has them all
STATUS_OFFICES = 20  # the offices with most reports outstanding; all of them are in the export


async def answer_pending(replies: list[Reply], now: datetime, policy: ReportingPolicy, *,
                         outage_raises: bool = False, outlook: PushOutlook = NO_PUSHES) -> list[Reply]:
    """The replies with each pending answer in its place (a failed one says so, the others stand; with
    ``outage_raises``, an answer that failed because the database was away raises, to be tried again)."""
    if not any(isinstance(reply, PendingAnswer) for reply in replies):
        return replies
    answered: list[Reply] = []
    for reply in replies:
        if not isinstance(reply, PendingAnswer) or reply.ask is None:
            answered.append(reply)
            continue
        try:
            user = await User.get(id=reply.user_id)
            answered.extend(await answer(reply.ask, user, now, policy, outlook))
        except Exception as error:  # the turn is saved; only this answer is lost, and the person is told
            if outage_raises and is_outage(error):
                raise
            log.exception("question %s of user %s failed", reply.ask.command, reply.user_id)
            answered.append(Reply(text=render("error.sorry"), key="error.sorry"))
    return answered


async def answer(ask: Ask, user: User, now: datetime, policy: ReportingPolicy,
                 outlook: PushOutlook = NO_PUSHES) -> list[Reply]:
    """The reply (or file) answering one question."""
    today = local_day(now)
    if ask.command in ("status", "pending", "chart"):
        if ask.argument:
            year, quarter = (int(part) for part in ask.argument.split("-"))
            period = FiscalQuarter(year, quarter)
        else:
            period = await current_period(today, policy)
        picture = await quarter_picture(user, period, today, policy,
                                        pending_limit=PENDING_LINES if ask.command == "pending" else 1)
        if ask.command == "chart":
            return [await chart_reply(user, picture)]
        if ask.command == "status":
            return [with_backlog(status_reply(picture, today), await not_keyed(user))]
        return [pending_reply(picture, today)]
    if ask.command == "project":
        return [await project_reply(user, ask.argument)]
    if ask.command == "find":
        return [await find_reply(user, ask.argument)]
    if ask.command in ADMIN_COMMANDS:
        return [await _admin(ask, user, now, policy, outlook)]
    if ask.command == "export":
        return [await export_reply(user, int(ask.argument) if ask.argument else None)]
    if ask.command == "template":
        return [await plan_answers.template_reply(now)]
    if ask.command == IMPORT:
        return await plan_answers.import_replies(ask, user, now)
    if ask.command == EVIDENCE:
        return [await evidence_reply(user, ask.argument)]
    if ask.command == PDF:
        return [await pdf_reply(user, ask.argument)]
    raise ValueError(f"unknown question {ask.command!r}")


async def _admin(ask: Ask, user: User, now: datetime, policy: ReportingPolicy, outlook: PushOutlook) -> Reply:
    if user.role is not Role.ADMIN:  # the engine checked; the database has the last word
        return Reply(text=render("ask.admins_only"), key="ask.admins_only")
    if ask.command == "invite":
        return await admin_answers.invite(ask.argument, user, now)
    if ask.command == "windows":
        return await admin_answers.windows(ask.argument, local_day(now), policy)
    if ask.command == "window":
        return await admin_answers.move_due(ask.argument, user, now, policy)
    return await admin_answers.grant(ask.argument, user, now, outlook)


def _percent(value: Decimal | None) -> str:
    return format_percent(value) if value is not None else render("ask.no_plan")


def with_backlog(reply: Reply, backlog: tuple[Backlog, ...]) -> Reply:
    """The status followed by what is approved but not keyed into eMENSCR yet, per office."""
    if not backlog:
        return replace(reply, text=f"{reply.text}\n\n{render('status.emenscr_none')}")
    lines = [render("status.emenscr", code=office.code, name=office.name, projects=office.projects,
                    reports=office.reports) for office in backlog[:STATUS_OFFICES]]
    if len(backlog) > STATUS_OFFICES:
        lines.append(render("ask.more_offices", count=len(backlog) - STATUS_OFFICES))
    return replace(reply, text="\n".join([reply.text, "", render("status.emenscr_heading"), *lines]))


def status_reply(picture: QuarterPicture, today: date) -> Reply:
    """Per office: projects, on time, late, pending, approved, returned, disbursed against plan (and, before the
    quarter's window opens, that nothing is due yet)."""
    period = picture.period.label()
    if not picture.offices:
        return Reply(text=render("ask.status_none", period=period), key="ask.status_none")
    shown = sorted(picture.offices, key=lambda office: (-office.pending, office.code))[:STATUS_OFFICES]
    lines = [render("ask.status_office", code=office.code, name=office.name, projects=office.projects,
                    on_time=office.on_time, late=office.late, pending=office.pending, approved=office.approved,
                    waiting=office.waiting, returned=office.returned, disbursed=format_money(office.disbursed),
                    planned=format_money(office.planned), percent=_percent(office.percent))
             for office in sorted(shown, key=lambda office: office.code)]
    if len(picture.offices) > STATUS_OFFICES:
        lines.append(render("ask.more_offices", count=len(picture.offices) - STATUS_OFFICES))
    if len(picture.offices) > 1:
        total = picture.total
        lines.append(render("ask.status_total", offices=len(picture.offices), projects=total.projects,
                            pending=total.pending, percent=_percent(total.percent)))
    if today < picture.window.opens:
        lines.append(render("ask.status_not_due", opens=format_date(picture.window.opens)))
    text = render("ask.status", period=period, due=format_date(picture.window.due), lines="\n".join(lines))
    return Reply(text=text, key="ask.status")


def _when(days_left: int) -> str:
    if days_left > 0:
        return render("ask.days_left", days=days_left)
    return render("ask.due_today") if days_left == 0 else render("ask.days_late", days=-days_left)


def pending_reply(picture: QuarterPicture, today: date) -> Reply:
    """The projects whose report is not in, with owner and days left or late; before the quarter's window opens,
    that nothing is due yet (never "everyone has sent" when nobody had to)."""
    period = picture.period.label()
    total = picture.total
    if not total.projects:
        return Reply(text=render("ask.status_none", period=period), key="ask.status_none")
    if today < picture.window.opens:
        return Reply(text=render("ask.pending_not_due", period=period, opens=format_date(picture.window.opens),
                                 due=format_date(picture.window.due), projects=total.projects,
                                 sent=total.on_time + total.late), key="ask.pending_not_due")
    if not picture.pending:
        return Reply(text=render("ask.pending_none", period=period), key="ask.pending_none")
    lines = [render("ask.pending_line", code=item.code, name=item.name, owner=item.owner,
                    state=report_state(item.status), when=_when(item.days_left))
             for item in picture.pending[:PENDING_LINES]]
    if total.pending > PENDING_LINES:
        lines.append(render("ask.more", count=total.pending - min(PENDING_LINES, len(picture.pending))))
    text = render("ask.pending", period=period, count=total.pending, due=format_date(picture.window.due),
                  lines="\n".join(lines))
    return Reply(text=text, key="ask.pending")


async def project_reply(user: User, code: str) -> Reply:
    """A project's summary card: office, owner, status, budget, each quarter's report."""
    project = await Project.filter(code=code.upper(), **scope(user)).prefetch_related("office", "owner").first()
    if project is None:
        return Reply(text=render("ask.project_not_found", code=code), key="ask.project_not_found")
    budget = sum([Decimal(amount) for amount in await BudgetLine.filter(project=project).values_list(
        "amount", flat=True)], Decimal(0))
    reports = await QuarterReport.filter(project=project).order_by("fiscal_year", "quarter")
    quarters = [render("ask.project_quarter", period=FiscalQuarter(report.fiscal_year, report.quarter).label(),
                       status=render(f"status.{report.status}"), late=render("inbox.late") if report.late else "",
                       disbursed=format_money(report.disbursed_amount or Decimal(0))) for report in reports]
    text = render("ask.project", code=project.code, name=project.name, office=project.office.name,
                  owner=project.owner.name, status=render(f"status.{project.status}"),
                  fiscal_year=project.fiscal_year, budget=format_money(budget),
                  quarters="\n".join(quarters) or render("ask.project_no_reports"))
    return Reply(text=text, key="ask.project")


async def find_reply(user: User, words: str) -> Reply:
    """Projects matching every word, by code, name, owner or linked plan."""
    found = await find_projects(user, words)
    if not found:
        return Reply(text=render("ask.find_none", words=words), key="ask.find_none")
    lines = [render("ask.find_line", code=row["code"], name=row["name"], owner=row["owner__name"],
                    status=render(f"status.{row['status']}")) for row in found]
    return Reply(text=render("ask.find", words=words, count=len(found), lines="\n".join(lines)), key="ask.find")


async def export_reply(user: User, fiscal_year: int | None) -> Reply:
    """The Excel file of every project the user may see (of one fiscal year, if given)."""
    content = await export_workbook(user, fiscal_year=fiscal_year)
    count = await Project.filter(**scope(user), **({"fiscal_year": fiscal_year} if fiscal_year else {})).count()
    office = await Office.get_or_none(id=user.office_id) if user.office_id else None
    filename = f"tidtam-{office.code if office else 'all'}-{fiscal_year or 'all'}.xlsx"
    year = str(fiscal_year) if fiscal_year else render("value.all_years")
    return Reply(text=render("ask.export", filename=filename, projects=count, fiscal_year=year), key="ask.export",
                 attachment=Attachment("document", filename, content, XLSX))


async def chart_reply(user: User, picture: QuarterPicture) -> Reply:
    """Completeness by office and disbursement by quarter, as a PNG."""
    by_quarter = await disbursement_by_quarter(user, picture.period.fiscal_year)
    content = await asyncio.to_thread(chart_png, picture, by_quarter)  # CPU work, off the event loop
    filename = f"tidtam-{picture.period.fiscal_year}-Q{picture.period.quarter}.png"
    return Reply(text=render("ask.chart", period=picture.period.label()), key="ask.chart",
                 attachment=Attachment("image", filename, content, "image/png"))
