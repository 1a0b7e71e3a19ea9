"""The Thai fiscal calendar as pure functions: fiscal years, quarters and reporting windows.

Fiscal years are Buddhist-era years (CE + 543) and start on 1 October: FY 2570 runs from
1 Oct 2026 to 30 Sep 2027, Q1 is Oct–Dec, Q2 Jan–Mar, Q3 Apr–Jun, Q4 Jul–Sep. Dates are calendar
days in Asia/Bangkok; moments are aware datetimes converted to Asia/Bangkok before use.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

BANGKOK = ZoneInfo("Asia/Bangkok")
BE_OFFSET = 543
DEFAULT_DUE_DAYS = 15
QUARTERS = (1, 2, 3, 4)


def to_be(ce_year: int) -> int:
    """Buddhist-era year of a Gregorian year."""
    return ce_year + BE_OFFSET


def to_ce(be_year: int) -> int:
    """Gregorian year of a Buddhist-era year."""
    return be_year - BE_OFFSET


@dataclass(frozen=True, slots=True, order=True)
class FiscalQuarter:
    """One quarter of one fiscal year, e.g. ``FiscalQuarter(2570, 1)`` = Oct–Dec 2026."""

    fiscal_year: int
    quarter: int

    def __post_init__(self) -> None:
        if self.quarter not in QUARTERS:
            raise ValueError(f"quarter must be 1–4, not {self.quarter}")

    @property
    def first_day(self) -> date:
        """The first calendar day of the quarter."""
        start_month = (10, 1, 4, 7)[self.quarter - 1]
        ce_year = to_ce(self.fiscal_year) - 1 if self.quarter == 1 else to_ce(self.fiscal_year)
        return date(ce_year, start_month, 1)

    @property
    def last_day(self) -> date:
        """The last calendar day of the quarter."""
        return self.next().first_day - timedelta(days=1)

    def next(self) -> FiscalQuarter:
        """The quarter that follows."""
        if self.quarter == 4:
            return FiscalQuarter(self.fiscal_year + 1, 1)
        return FiscalQuarter(self.fiscal_year, self.quarter + 1)

    def previous(self) -> FiscalQuarter:
        """The quarter before."""
        if self.quarter == 1:
            return FiscalQuarter(self.fiscal_year - 1, 4)
        return FiscalQuarter(self.fiscal_year, self.quarter - 1)

    def contains(self, day: date) -> bool:
        """Whether the day falls inside the quarter."""
        return self.first_day <= day <= self.last_day

    def label(self) -> str:
        """A short label people write, e.g. ``Q1/2570``."""
        return f"Q{self.quarter}/{self.fiscal_year}"


def fiscal_year_of(day: date) -> int:
    """The Buddhist-era fiscal year a calendar day belongs to (1 Oct starts the next one)."""
    return to_be(day.year + 1) if day.month >= 10 else to_be(day.year)


def fiscal_quarter_of(day: date) -> FiscalQuarter:
    """The fiscal quarter a calendar day belongs to."""
    quarter = {10: 1, 11: 1, 12: 1, 1: 2, 2: 2, 3: 2, 4: 3, 5: 3, 6: 3, 7: 4, 8: 4, 9: 4}[day.month]
    return FiscalQuarter(fiscal_year_of(day), quarter)


def fiscal_year_bounds(fiscal_year: int) -> tuple[date, date]:
    """First and last day of a fiscal year."""
    return FiscalQuarter(fiscal_year, 1).first_day, FiscalQuarter(fiscal_year, 4).last_day


def quarters_between(start: date, end: date) -> list[FiscalQuarter]:
    """Every fiscal quarter that overlaps the closed range ``start``–``end``, in order."""
    if end < start:
        return []
    result = []
    current = fiscal_quarter_of(start)
    last = fiscal_quarter_of(end)
    while current <= last:
        result.append(current)
        current = current.next()
    return result


def quarters_spanned(fiscal_year: int, start: date | None, end: date | None) -> list[int]:
    """The quarters of a fiscal year that a project's dates overlap (all four while its dates are unknown)."""
    if start is None or end is None:
        return [1, 2, 3, 4]
    return [quarter for quarter in (1, 2, 3, 4) if FiscalQuarter(fiscal_year, quarter).first_day <= end
            and start <= FiscalQuarter(fiscal_year, quarter).last_day]


def local_day(moment: datetime) -> date:
    """The Asia/Bangkok calendar day of an aware moment."""
    if moment.tzinfo is None:
        raise ValueError("moment must be timezone-aware")
    return moment.astimezone(BANGKOK).date()


@dataclass(frozen=True, slots=True)
class Window:
    """When a quarter's report may be filed: from ``opens`` to ``due`` inclusive; later is late."""

    period: FiscalQuarter
    opens: date
    due: date

    def is_open_on(self, day: date) -> bool:
        """Whether the window is open on that day (on-time reporting)."""
        return self.opens <= day <= self.due

    def is_late_on(self, day: date) -> bool:
        """Whether a report filed that day is late."""
        return day > self.due

    def days_left(self, day: date) -> int:
        """Days from ``day`` to the due date; negative once overdue."""
        return (self.due - day).days


def default_window(period: FiscalQuarter, due_days: int = DEFAULT_DUE_DAYS) -> Window:
    """The default window: opens the day after the quarter ends, due ``due_days`` days later."""
    if due_days < 1:
        raise ValueError("due_days must be at least 1")
    opens = period.last_day + timedelta(days=1)
    return Window(period, opens, opens + timedelta(days=due_days - 1))
