"""Reporting windows as configured in the database (per-quarter overrides, lock exceptions) and each quarter's
status: the queries around the pure rules of ``models.window_rules``."""

from __future__ import annotations

import functools
from datetime import date, timedelta

from models.fiscal import FiscalQuarter, default_window
from models.report import QuarterReport, ReportingWindow, WindowException
from models.sql import is_postgres, marks, placeholders
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
    "read_window_rows",
    "reporting_state",
    "window_rows",
    "windows_and_exceptions",
]


WindowRows = tuple[tuple[date, date, date | None] | None, date | None]


async def reporting_state(office_id: int, period: FiscalQuarter, day: date, policy: ReportingPolicy,
                          report: QuarterReport | None, rows: WindowRows | None = None
                          ) -> tuple[QuarterWindow, QuarterState]:
    """One office's quarter on a day: its window and the state of its report (the one place this is decided).

    One statement reads the quarter's configured window and the office's lock exception together (a turn that
    saves a report asks this every time), unless the caller already read them in its transaction (``rows``, see
    :func:`window_rows`)."""
    override, excepted = rows if rows is not None else await read_window_rows(office_id, period)
    window = _window(period, override, policy)
    state = quarter_state(window, day, report.status if report else None, report.late if report else False, excepted)
    return window, state


async def quarter_windows(periods: set[FiscalQuarter], policy: ReportingPolicy) -> dict[FiscalQuarter, QuarterWindow]:
    """The window of each quarter: its override where one is configured, the policy's default otherwise."""
    years = {period.fiscal_year for period in periods}
    overrides = {
        FiscalQuarter(row.fiscal_year, row.quarter): (row.opens_on, row.due_on, row.locks_on)
        for row in await ReportingWindow.filter(fiscal_year__in=years)
    } if years else {}
    return {period: _window(period, overrides.get(period), policy) for period in periods}


def _window(period: FiscalQuarter, override: tuple[date, date, date | None] | None,
            policy: ReportingPolicy) -> QuarterWindow:
    """The quarter's window from its configured (opens, due, locks) where there is one, else the policy's."""
    if override is not None:
        opens, due, locks = override
        return QuarterWindow(period, opens, due, locks or due + timedelta(days=policy.lock_days))
    default = default_window(period, policy.due_days)
    return QuarterWindow(period, default.opens, default.due, default.due + timedelta(days=policy.lock_days))


def window_rows(opens: date | str | None, due: date | str | None, locks: date | str | None,
                until: date | str | None) -> WindowRows:
    """The configured window and the lock exception as a statement of the caller read them (NULL: none)."""
    override = ((_day(opens), _day(due), _day(locks) if locks is not None else None)
                if opens is not None and due is not None else None)
    return override, _day(until) if until is not None else None


async def read_window_rows(office_id: int, period: FiscalQuarter) -> WindowRows:
    """The quarter's configured window (opens, due, locks) and the office's lock exception, in one statement."""
    connection = ReportingWindow._meta.db
    marks = placeholders(connection, 5)
    rows = await connection.execute_query_dict(
        f"SELECT 'w' AS kind, opens_on, due_on, locks_on FROM reporting_window WHERE fiscal_year = {marks[0]} "
        f"AND quarter = {marks[1]} UNION ALL SELECT 'e' AS kind, until, NULL, NULL FROM window_exception "
        f"WHERE office_id = {marks[2]} AND fiscal_year = {marks[3]} AND quarter = {marks[4]}",
        [period.fiscal_year, period.quarter, office_id, period.fiscal_year, period.quarter])
    override, excepted = None, None
    for row in rows:
        if row["kind"] == "w":
            override = (_day(row["opens_on"]), _day(row["due_on"]),
                        _day(row["locks_on"]) if row["locks_on"] is not None else None)
        else:
            excepted = _day(row["opens_on"])
    return override, excepted


def _day(value: date | str) -> date:
    """A DATE column's value: asyncpg hands a date, SQLite its ISO text."""
    return value if isinstance(value, date) else date.fromisoformat(value)


async def exceptions_for(office_id: int, periods: set[FiscalQuarter]) -> dict[FiscalQuarter, date]:
    """Lock exceptions granted to an office, by quarter (the last day each allows)."""
    years = {period.fiscal_year for period in periods}
    if not years:
        return {}
    rows = await WindowException.filter(office_id=office_id, fiscal_year__in=years)
    return {FiscalQuarter(row.fiscal_year, row.quarter): row.until for row in rows}


@functools.cache
def _windows_sql(postgres: bool, years: int, offices: int) -> str:
    numbered = marks(postgres, years * 2 + offices)
    first, office_marks, second = numbered[:years], numbered[years:years + offices], numbered[years + offices:]
    return (f"SELECT 'w' AS kind, NULL AS office_id, fiscal_year, quarter, opens_on, due_on, locks_on "
            f"FROM reporting_window WHERE fiscal_year IN ({', '.join(first)}) UNION ALL "
            f"SELECT 'e' AS kind, office_id, fiscal_year, quarter, until, NULL, NULL FROM window_exception "
            f"WHERE office_id IN ({', '.join(office_marks)}) AND fiscal_year IN ({', '.join(second)})")


async def windows_and_exceptions(periods: set[FiscalQuarter], offices: set[int], policy: ReportingPolicy
                                 ) -> tuple[dict[FiscalQuarter, QuarterWindow], dict[int, dict[FiscalQuarter, date]]]:
    """What :func:`quarter_windows` and :func:`exceptions_for` (for each office) tell, in one plain statement: the
    window of each quarter, and each office's lock exceptions by quarter."""
    years = sorted({period.fiscal_year for period in periods})
    excepted: dict[int, dict[FiscalQuarter, date]] = {office: {} for office in offices}
    if not years:
        return {}, excepted
    connection = ReportingWindow._meta.db
    listed: list[int | None] = [*sorted(offices)] or [None]  # no office: no exception matches
    rows = await connection.execute_query_dict(_windows_sql(is_postgres(connection), len(years), len(listed)),
                                               [*years, *listed, *years])
    overrides: dict[FiscalQuarter, tuple[date, date, date | None]] = {}
    for row in rows:
        period = FiscalQuarter(row["fiscal_year"], row["quarter"])
        if row["kind"] == "w":
            overrides[period] = (_day(row["opens_on"]), _day(row["due_on"]),
                                 _day(row["locks_on"]) if row["locks_on"] is not None else None)
        else:
            excepted[row["office_id"]][period] = _day(row["opens_on"])
    return {period: _window(period, overrides.get(period), policy) for period in periods}, excepted
