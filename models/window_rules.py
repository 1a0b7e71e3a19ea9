"""The rules of reporting windows, pure: a quarter's window, the policy's defaults and a report's status on a day.

A quarter's report is on time from ``opens`` to ``due``, late until ``locks``, and after that taken only
from an office that an admin granted a lock exception. Before ``opens`` it is refused with the date it
opens (an exception may open it early too). Reading the configured windows is ``models.windows``'s job;
this module needs no database, so the engine and the reminder planning may use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from models.enums import ItemStatus
from models.fiscal import DEFAULT_DUE_DAYS, FiscalQuarter

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
