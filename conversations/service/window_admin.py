"""Changing reporting windows and granting lock exceptions: one place for the CLI and the admins' chat
commands, audited like every other change; the owners an exception lets report are told."""

from __future__ import annotations

import json
from datetime import date, datetime

from tortoise.transactions import in_transaction

from conversations.formatting import format_date
from conversations.oversight.tallies import covers
from conversations.service.workflow import notify
from models.enums import ItemStatus, ReminderKind
from models.fiscal import FiscalQuarter, local_day
from models.org import Office, User
from models.project import Project
from models.report import QuarterReport, ReportingWindow, WindowException
from models.runtime import AuditEntry
from models.windows import ReportingPolicy, quarter_windows


class WindowRefused(ValueError):
    """Dates out of order; ``str()`` says which."""


async def set_window(period: FiscalQuarter, *, due: date, now: datetime, policy: ReportingPolicy,
                     opens: date | None = None, locks: date | None = None, note: str = "",
                     actor: User | None = None) -> ReportingWindow:
    """Override a quarter's window (the opening day stays the current one unless given)."""
    current = (await quarter_windows({period}, policy))[period]
    existing = await ReportingWindow.get_or_none(fiscal_year=period.fiscal_year, quarter=period.quarter)
    opens = opens or current.opens
    locks = locks or (existing.locks_on if existing else None)  # a lock day set before is kept
    if locks is not None and locks < due:
        locks = None  # it was for an earlier due date: back to the usual days after the new one
    if not opens <= due:
        raise WindowRefused("dates must be in order: opens <= due <= locks")
    before = {"opens": str(current.opens), "due": str(current.due), "locks": str(current.locks)}
    row, _ = await ReportingWindow.update_or_create(
        fiscal_year=period.fiscal_year, quarter=period.quarter,
        defaults={"opens_on": opens, "due_on": due, "locks_on": locks, "note": note})
    await AuditEntry.create(actor=actor, at=now, entity="reporting_window", entity_id=row.id, field=period.label(),
                            before=json.dumps(before), after=json.dumps({"opens": str(opens), "due": str(due),
                                                                         "locks": str(locks or ""), "note": note},
                                                                        ensure_ascii=False))
    return row


async def grant_exception(office: Office, period: FiscalQuarter, until: date, *, now: datetime, reason: str = "",
                          actor: User | None = None) -> tuple[WindowException, list[int]]:
    """Let one office report a quarter outside its window until a day (or move that day), and tell the owners of
    its approved projects whose report of that quarter is still to send; return the row and those owners' ids.

    The owners' notifications are rows like every other (``workflow.notify``): the reminder loop pushes them once,
    within the sending hours, or they are shown at the owner's next message.
    """
    async with in_transaction():
        row, _ = await WindowException.update_or_create(
            fiscal_year=period.fiscal_year, quarter=period.quarter, office=office,
            defaults={"until": until, "reason": reason})
        await AuditEntry.create(actor=actor, at=now, entity="window_exception", entity_id=row.id,
                                field=f"{office.code} {period.label()}", before="null",
                                after=json.dumps({"until": str(until), "reason": reason}, ensure_ascii=False))
        owners = await _tell_owners(office, period, until, now) if until >= local_day(now) else []
    return row, owners


async def _tell_owners(office: Office, period: FiscalQuarter, until: date, now: datetime) -> list[int]:
    """One notification per approved project of the office that still has the quarter's report to send."""
    projects = await Project.filter(covers(period), office=office, status=ItemStatus.APPROVED,
                                    fiscal_year=period.fiscal_year).order_by("code")
    decided = [ItemStatus.SUBMITTED, ItemStatus.APPROVED, ItemStatus.RETURNED]
    rows = await QuarterReport.filter(project_id__in=[project.id for project in projects] or [-1],
                                      fiscal_year=period.fiscal_year, quarter=period.quarter,
                                      status__in=decided).values_list("project_id", flat=True)
    sent = {int(str(project_id)) for project_id in rows}
    owners = []
    for project in projects:
        if project.id in sent:
            continue  # in the director's hands, approved, or returned (which can be fixed whatever the window)
        await notify([project.owner_id], ReminderKind.WINDOW_OPENED, "notify.exception", now, project_id=project.id,
                     code=project.code, name=project.name, period=period.label(), until=format_date(until),
                     fiscal_year=period.fiscal_year, quarter=period.quarter)
        owners.append(project.owner_id)
    return sorted(set(owners))
