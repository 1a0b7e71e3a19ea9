"""When pushed messages may go out: working days and daytime hours in Asia/Bangkok, outside holidays
(Thailand's public holidays and the office's own days off, see ``models/days_off.py``).

Reminders that fall due in quiet hours wait for the next allowed moment; nothing is dropped for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from models.days_off import DaysOff
from models.fiscal import BANGKOK

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MAX_DAYS_AHEAD = 400  # a year of holidays cannot make the search endless


@dataclass(frozen=True, slots=True)
class SendingHours:
    """From ``start`` (inclusive) to ``end`` (exclusive), local time, on ``working_days`` (Monday = 0) that are
    not ``holidays`` (by default Thailand's)."""

    start: time = time(8, 0)
    end: time = time(20, 0)
    working_days: frozenset[int] = frozenset(range(5))
    holidays: DaysOff = field(default_factory=DaysOff)

    def __post_init__(self) -> None:
        if not self.start < self.end:
            raise ValueError("sending hours must start before they end, within one day")
        if not self.working_days or not self.working_days <= set(range(7)):
            raise ValueError("working days are 0 (Monday) to 6 (Sunday), at least one")

    def is_working_day(self, day: date) -> bool:
        """Whether messages may go out at all on this local day."""
        return day.weekday() in self.working_days and day not in self.holidays

    def allows(self, moment: datetime) -> bool:
        """Whether a message may go out at this moment."""
        local = moment.astimezone(BANGKOK)
        return self.is_working_day(local.date()) and self.start <= local.time() < self.end

    def next_allowed(self, moment: datetime) -> datetime:
        """``moment`` itself when allowed, otherwise the start of the next sending hours (timezone-aware)."""
        if self.allows(moment):
            return moment
        local = moment.astimezone(BANGKOK)
        day = local.date()
        if not (self.is_working_day(day) and local.time() < self.start):
            day += timedelta(days=1)
            for _ in range(MAX_DAYS_AHEAD):
                if self.is_working_day(day):
                    break
                day += timedelta(days=1)
        return datetime.combine(day, self.start, tzinfo=BANGKOK)


def parse_hours(text: str) -> tuple[time, time]:
    """``08:00-20:00`` as two times."""
    first, dash, second = text.partition("-")
    if not dash:
        raise ValueError("write the hours as HH:MM-HH:MM, e.g. 08:00-20:00")
    return time.fromisoformat(first.strip()), time.fromisoformat(second.strip())


def parse_days(text: str) -> frozenset[int]:
    """``mon-fri`` or ``mon,tue,sat`` as weekday numbers (Monday = 0)."""
    days: set[int] = set()
    for part in text.lower().replace(" ", "").split(","):
        first, dash, last = part.partition("-")
        if first not in DAY_NAMES or (dash and last not in DAY_NAMES):
            raise ValueError(f"unknown day {part!r}: use mon, tue, wed, thu, fri, sat, sun")
        start = DAY_NAMES.index(first)
        end = DAY_NAMES.index(last) if dash else start
        if end < start:
            raise ValueError(f"{part!r}: a range goes forward, e.g. mon-fri")
        days.update(range(start, end + 1))
    return frozenset(days)


def parse_day_list(text: str) -> tuple[int, ...]:
    """``7,3,0`` as numbers of days."""
    try:
        return tuple(int(part) for part in text.replace(" ", "").split(",") if part)
    except ValueError:
        raise ValueError("write whole numbers of days separated by commas, e.g. 7,3,0") from None


def parse_dates(text: str) -> frozenset[date]:
    """``2027-01-01,2027-04-13`` as dates."""
    try:
        return frozenset(date.fromisoformat(part) for part in text.replace(" ", "").split(",") if part)
    except ValueError:
        raise ValueError("write dates as YYYY-MM-DD separated by commas") from None
