"""Reporting windows as configured in the database (per-quarter overrides, lock exceptions) and each quarter's
status: the queries around the pure rules of ``models.window_rules``."""

from __future__ import annotations

from datetime import date, timedelta

from models.fiscal import FiscalQuarter, default_window
from models.report import QuarterReport, ReportingWindow, WindowException
from models.window_rules import (
    QuarterState,
    QuarterStatus,
    QuarterWindow,
    ReportingPolicy,
    quarter_state,
)

__all__ = [  # the rules are offered here too, for the service side that also queries
    "QuarterState",
    "QuarterStatus",
    "QuarterWindow",
    "ReportingPolicy",
    "exceptions_for",
    "quarter_state",
    "quarter_windows",
    "reporting_state",
]


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
