"""Changing reporting windows and granting lock exceptions: one place for the CLI and the admins' chat
commands, audited like every other change."""

from __future__ import annotations

import json
from datetime import date, datetime

from models.fiscal import FiscalQuarter
from models.org import Office, User
from models.report import ReportingWindow, WindowException
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
                          actor: User | None = None) -> WindowException:
    """Let one office report a quarter outside its window until a day (or move that day)."""
    row, _ = await WindowException.update_or_create(
        fiscal_year=period.fiscal_year, quarter=period.quarter, office=office,
        defaults={"until": until, "reason": reason})
    await AuditEntry.create(actor=actor, at=now, entity="window_exception", entity_id=row.id,
                            field=f"{office.code} {period.label()}", before="null",
                            after=json.dumps({"until": str(until), "reason": reason}, ensure_ascii=False))
    return row
