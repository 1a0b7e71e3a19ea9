"""Reporting windows as configured (defaults, per-quarter overrides, lock exceptions) and each quarter's status.

A quarter's report is on time from ``opens`` to ``due``, late until ``locks``, and after that taken only
from an office that an admin granted a lock exception. Before ``opens`` it is refused with the date it
opens (an exception may open it early too).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from models.enums import ItemStatus
from models.fiscal import DEFAULT_DUE_DAYS, FiscalQuarter, default_window
from models.report import QuarterReport, ReportingWindow, WindowException

DEFAULT_LOCK_DAYS = 15


@dataclass(frozen=True, slots=True)
class ReportingPolicy:
    """The defaults where no override is configured: days until due, and days late reports are still taken."""

    due_days: int = DEFAULT_DUE_DAYS
    lock_days: int = DEFAULT_LOCK_DAYS


@dataclass(frozen=True, slots=True)
class QuarterWindow:
    """When one quarter's report is taken: on time ``opens``–``due``, late until ``locks`` (inclusive)."""

    period: FiscalQuarter
    opens: date
    due: date
    locks: date


class QuarterStatus(StrEnum):
    """Where one project's report for one quarter stands."""

    NOT_OPEN = "not_open"
    OPEN = "open"
    EXCEPTED = "excepted"  # outside the window, open to this office by a lock exception
    OVERDUE = "overdue"
    LOCKED = "locked"
    SUBMITTED = "submitted"
    LATE = "late"
    RETURNED = "returned"
    APPROVED = "approved"


@dataclass(frozen=True, slots=True)
class QuarterState:
    """A quarter's status and whether the owner may work on its report today."""

    status: QuarterStatus
    can_report: bool
    will_be_late: bool


def quarter_state(window: QuarterWindow, day: date, report: ItemStatus | None, late: bool = False,
                  exception_until: date | None = None) -> QuarterState:
    """The status of one quarter on ``day``, given its report's status (None: no report yet).

    A returned report can always be fixed and resubmitted (the director asked for it), keeping the lateness
    of its first submission; a draft follows the window, or the office's lock exception (``EXCEPTED``: open
    before the window opens or after it locks, until ``exception_until``).
    """
    excepted = exception_until is not None and day <= exception_until
    if report is ItemStatus.APPROVED:
        return QuarterState(QuarterStatus.APPROVED, False, late)
    if report is ItemStatus.SUBMITTED:
        return QuarterState(QuarterStatus.LATE if late else QuarterStatus.SUBMITTED, False, late)
    if report is ItemStatus.RETURNED:
        return QuarterState(QuarterStatus.RETURNED, True, late)
    if day < window.opens:
        return QuarterState(QuarterStatus.EXCEPTED if excepted else QuarterStatus.NOT_OPEN, excepted, False)
    if day <= window.due:
        return QuarterState(QuarterStatus.OPEN, True, False)
    if day <= window.locks:
        return QuarterState(QuarterStatus.OVERDUE, True, True)
    return QuarterState(QuarterStatus.EXCEPTED if excepted else QuarterStatus.LOCKED, excepted, True)


async def reporting_state(office_id: int, period: FiscalQuarter, day: date, policy: ReportingPolicy,
                          report: QuarterReport | None) -> tuple[QuarterWindow, QuarterState]:
    """One office's quarter on a day: its window and the state of its report (the one place this is decided)."""
    window = (await quarter_windows({period}, policy))[period]
    excepted = (await exceptions_for(office_id, {period})).get(period)
    state = quarter_state(window, day, report.status if report else None, report.late if report else False, excepted)
    return window, state


async def quarter_windows(periods: set[FiscalQuarter], policy: ReportingPolicy) -> dict[FiscalQuarter, QuarterWindow]:
    """The window of each quarter: its override where one is configured, the policy's default otherwise."""
    years = {period.fiscal_year for period in periods}
    overrides = {
        FiscalQuarter(row.fiscal_year, row.quarter): row
        for row in await ReportingWindow.filter(fiscal_year__in=years)
    } if years else {}
    windows = {}
    for period in periods:
        row = overrides.get(period)
        if row is not None:
            locks = row.locks_on or row.due_on + timedelta(days=policy.lock_days)
            windows[period] = QuarterWindow(period, row.opens_on, row.due_on, locks)
        else:
            default = default_window(period, policy.due_days)
            windows[period] = QuarterWindow(period, default.opens, default.due,
                                            default.due + timedelta(days=policy.lock_days))
    return windows


async def exceptions_for(office_id: int, periods: set[FiscalQuarter]) -> dict[FiscalQuarter, date]:
    """Lock exceptions granted to an office, by quarter (the last day each allows)."""
    years = {period.fiscal_year for period in periods}
    if not years:
        return {}
    rows = await WindowException.filter(office_id=office_id, fiscal_year__in=years)
    return {FiscalQuarter(row.fiscal_year, row.quarter): row.until for row in rows}
