"""When reminders fall due: the schedule and, for one quarter's window, the stage reached on a given day.

A quarter's reminders to one owner form a ladder: the window opened, then N days before the due date for
each N of the schedule, then M days after it (overdue) while late reports are still taken. Every rung
falls on a working day (see :func:`ladder`). Only the latest rung reached is due: one missed during an
outage is replaced by the next, never sent late beside it, so nobody gets "7 days left" and "3 days
left" in the same minute.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from models.window_rules import QuarterWindow

DEFAULT_DAYS_BEFORE_DUE = (7, 3, 0)
DEFAULT_DAYS_AFTER_DUE = (1, 7)
MONDAY = 0


@dataclass(frozen=True, slots=True)
class ReminderSchedule:
    """When to remind: days before the due date, days after it (overdue and the directors' digest),
    and the weekday (Monday = 0) of the admins' weekly summary."""

    days_before_due: tuple[int, ...] = DEFAULT_DAYS_BEFORE_DUE
    days_after_due: tuple[int, ...] = DEFAULT_DAYS_AFTER_DUE
    admin_weekday: int = MONDAY

    def __post_init__(self) -> None:
        if any(days < 0 for days in self.days_before_due) or any(days < 1 for days in self.days_after_due):
            raise ValueError("days before the due date are 0 or more, days after it 1 or more")
        if not 0 <= self.admin_weekday <= 6:
            raise ValueError("the weekday is 0 (Monday) to 6 (Sunday)")


class StageKind(StrEnum):
    """Which rung of the ladder."""

    OPENED = "opened"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"


@dataclass(frozen=True, slots=True)
class Stage:
    """One rung: its kind, its day, and the N of "N days before/after the due date" (0 when opened)."""

    kind: StageKind
    day: date
    days: int = 0

    @property
    def subject(self) -> str:
        """The part of the delivery key that tells the rungs of one quarter apart."""
        return {StageKind.OPENED: "", StageKind.DUE_SOON: f":d{self.days}",
                StageKind.OVERDUE: f":o{self.days}"}[self.kind]


WorkingDay = Callable[[date], bool]
SEARCH_DAYS = 60  # how far a rung may move to reach a working day


def _every_day(day: date) -> bool:
    return True


def _forward(day: date, working: WorkingDay) -> date:
    for _ in range(SEARCH_DAYS):
        if working(day):
            return day
        day += timedelta(days=1)
    return day


def _back(day: date, working: WorkingDay) -> date:
    for _ in range(SEARCH_DAYS):
        if working(day):
            return day
        day -= timedelta(days=1)
    return day


def ladder(window: QuarterWindow, schedule: ReminderSchedule, last_day: date,
           working_day: WorkingDay = _every_day) -> list[Stage]:
    """Every rung of a quarter's window, each on a working day, by day.

    The opening and overdue rungs move forward to the next working day; a "days left" rung moves back to
    the working day before, so that a due date after a weekend or a holiday is announced while there is
    still time. Overdue rungs stop at ``last_day`` (late reports taken); of rungs that land on the same day
    only the latest is kept.
    """
    opened = Stage(StageKind.OPENED, _forward(window.opens, working_day))
    stages = [opened]
    for days in sorted(set(schedule.days_before_due), reverse=True):
        day = _back(window.due - timedelta(days=days), working_day)
        if day > opened.day:  # earlier ones are said by the opening reminder itself
            stages.append(Stage(StageKind.DUE_SOON, day, days))
    for days in sorted(set(schedule.days_after_due)):
        day = _forward(window.due + timedelta(days=days), working_day)
        if day <= last_day:
            stages.append(Stage(StageKind.OVERDUE, day, days))
    latest_by_day = {stage.day: stage for stage in stages}  # later rungs replace earlier ones of the same day
    return sorted(latest_by_day.values(), key=lambda stage: stage.day)


def stage_on(window: QuarterWindow, day: date, schedule: ReminderSchedule, last_day: date | None = None,
             working_day: WorkingDay = _every_day) -> Stage | None:
    """The latest rung reached on ``day``; None before the window opens or once no report is taken."""
    last = max(window.locks, last_day or window.locks)
    if day < window.opens or day > last:
        return None
    reached = [stage for stage in ladder(window, schedule, last, working_day) if stage.day <= day]
    return reached[-1] if reached else None
