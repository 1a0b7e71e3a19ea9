"""What reminders are due at a moment, to whom and why, computed from the database alone.

Nothing here sends or claims anything: the reminder loop (``bot/reminders.py``) claims each result by its
key and sends it, and ``tidtam reminders preview`` prints the same list. Because the list is recomputed
from the data every time, a reminder whose reason went away (the report was submitted meanwhile) is
simply no longer due.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from conversations.messages import Reply
from conversations.oversight.monitoring import opened_windows, quarter_picture
from conversations.oversight.reminder_messages import (
    Outstanding,
    admin_summary,
    director_digest,
    notification,
    owner_reminder,
)
from conversations.oversight.reminder_stages import ReminderSchedule, StageKind, WorkingDay, stage_on
from models.enums import ItemStatus, ReminderKind, Role
from models.fiscal import FiscalQuarter, local_day, quarters_spanned
from models.org import Office, User
from models.project import Project
from models.report import QuarterReport, WindowException
from models.runtime import Notification
from models.windows import QuarterWindow, ReportingPolicy

log = logging.getLogger(__name__)
OUTSTANDING = (None, ItemStatus.DRAFT, ItemStatus.RETURNED)  # report statuses the owner still has to act on
NOTIFICATION_AGE = timedelta(days=14)  # older unseen notifications are left for the next chat turn
NOTIFICATIONS_PER_RUN = 5000
WORST_OFFICES = 5
SUMMARY_AFTER_LOCK = timedelta(days=7)  # one last weekly summary after a quarter's window closes
STAGE_KINDS = {StageKind.OPENED: ReminderKind.WINDOW_OPENED, StageKind.DUE_SOON: ReminderKind.DUE_SOON,
               StageKind.OVERDUE: ReminderKind.OVERDUE}

Key = tuple[int, str, int, int, str]


@dataclass(frozen=True, slots=True)
class DueReminder:
    """One message due to one person, under the key that makes it go out once."""

    recipient_id: int
    recipient_name: str
    kind: ReminderKind
    fiscal_year: int
    quarter: int
    subject: str
    reply: Reply
    why: str  # one line for the operator: preview and logs
    notification_id: int | None = None

    @property
    def key(self) -> Key:
        """(recipient, kind, fiscal year, quarter, subject): unique among deliveries."""
        return self.recipient_id, self.kind.value, self.fiscal_year, self.quarter, self.subject


@dataclass(frozen=True, slots=True)
class _Project:
    id: int
    code: str
    name: str
    office_id: int
    owner_id: int
    fiscal_year: int
    quarters: tuple[int, ...]


@dataclass(slots=True)
class _People:
    names: dict[int, str]
    directors: dict[int, list[int]]
    admins: list[int]


async def due_reminders(now: datetime, schedule: ReminderSchedule, policy: ReportingPolicy, *,
                        working_day: WorkingDay = lambda day: True) -> list[DueReminder]:
    """Everything due at ``now`` (Asia/Bangkok day), oldest reason first; already-sent ones included.

    The loop drops those already delivered by their key; the preview marks them. ``working_day`` says on
    which days reminders can go out at all, so that rungs are placed on such days.
    """
    day = local_day(now)
    people = await _people()
    windows = await opened_windows(day, policy)
    due: list[DueReminder] = []
    if windows:
        projects = await _projects({period.fiscal_year for period in windows})
        statuses = await _statuses(windows)
        exceptions = await _exceptions(windows)
        due += _quarter_reminders(day, schedule, windows, projects, statuses, exceptions, people, await _offices(),
                                  working_day)
        week = summary_week(day, schedule.admin_weekday, working_day)
        if week is not None:
            due += await _admin_summaries(day, week, windows, people, policy)
    due += await _notifications(now, people)
    return due


async def _people() -> _People:
    rows = await User.filter(active=True).values("id", "name", "role", "office_id")
    directors: dict[int, list[int]] = defaultdict(list)
    admins = []
    for row in rows:
        if row["role"] == Role.DIRECTOR and row["office_id"] is not None:
            directors[row["office_id"]].append(row["id"])
        elif row["role"] == Role.ADMIN:
            admins.append(row["id"])
    return _People({row["id"]: row["name"] for row in rows}, dict(directors), admins)


async def _offices() -> dict[int, str]:
    return {row["id"]: row["name"] for row in await Office.all().values("id", "name")}


async def _projects(fiscal_years: Iterable[int]) -> list[_Project]:
    rows = await Project.filter(status=ItemStatus.APPROVED, fiscal_year__in=list(fiscal_years)).values(
        "id", "code", "name", "office_id", "owner_id", "fiscal_year", "start_date", "end_date")
    return [_Project(row["id"], row["code"], row["name"], row["office_id"], row["owner_id"], row["fiscal_year"],
                     tuple(quarters_spanned(row["fiscal_year"], row["start_date"], row["end_date"])))
            for row in rows]


async def _statuses(windows: Iterable[FiscalQuarter]) -> dict[tuple[int, FiscalQuarter], dict[str, Any]]:
    """Each approved project's report of each quarter: its status and lateness."""
    found: dict[tuple[int, FiscalQuarter], dict[str, Any]] = {}
    for period in windows:
        rows = await QuarterReport.filter(fiscal_year=period.fiscal_year, quarter=period.quarter,
                                          project__status=ItemStatus.APPROVED).values("project_id", "status", "late")
        found.update({(row["project_id"], period): row for row in rows})
    return found


async def _exceptions(windows: Iterable[FiscalQuarter]) -> dict[tuple[int, FiscalQuarter], date]:
    years = {period.fiscal_year for period in windows}
    rows = await WindowException.filter(fiscal_year__in=list(years)).values("office_id", "fiscal_year", "quarter",
                                                                            "until")
    return {(row["office_id"], FiscalQuarter(row["fiscal_year"], row["quarter"])): row["until"] for row in rows}


def summary_week(day: date, weekday: int, working_day: WorkingDay) -> str | None:
    """The week (``2027-01``) whose admins' summary is due on ``day``, if one is.

    Each week's summary goes out on the configured weekday, or the first working day after it (which
    may fall in the next week) and stays due until the next week's is.
    """
    monday = day - timedelta(days=day.weekday())
    for start in (monday, monday - timedelta(days=7)):
        target = start + timedelta(days=weekday)
        send_day = target
        for _ in range(14):
            if working_day(send_day):
                break
            send_day += timedelta(days=1)
        if send_day <= day < send_day + timedelta(days=7):
            year, week, _ = target.isocalendar()
            return f"{year}-{week:02d}"
    return None


def _quarter_reminders(day: date, schedule: ReminderSchedule, windows: dict[FiscalQuarter, QuarterWindow],
                       projects: list[_Project], statuses: dict[tuple[int, FiscalQuarter], dict[str, Any]],
                       exceptions: dict[tuple[int, FiscalQuarter], date], people: _People,
                       offices: dict[int, str], working_day: WorkingDay) -> list[DueReminder]:
    """Owners' ladder reminders, and one digest per director of each office with overdue reports."""
    due: list[DueReminder] = []
    overdue: dict[tuple[int, FiscalQuarter], list[Outstanding]] = defaultdict(list)
    for period, window in sorted(windows.items()):
        for project in projects:
            if project.fiscal_year != period.fiscal_year or period.quarter not in project.quarters:
                continue
            report = statuses.get((project.id, period))
            status = ItemStatus(report["status"]) if report else None
            if status not in OUTSTANDING:
                continue
            last_day = max(window.locks, exceptions.get((project.office_id, period), window.locks))
            stage = stage_on(window, day, schedule, last_day, working_day)
            if stage is None:
                continue
            if stage.kind is StageKind.OVERDUE:
                overdue[(project.office_id, period)].append(Outstanding(
                    project.id, project.code, project.name, people.names.get(project.owner_id, ""), status))
            if project.owner_id not in people.names:
                continue  # the owner left: their director's digest still lists the project
            reply = owner_reminder(stage, window, day, project.id, project.code, project.name, last_day)
            due.append(DueReminder(project.owner_id, people.names[project.owner_id], STAGE_KINDS[stage.kind],
                                   period.fiscal_year, period.quarter, f"p{project.id}{stage.subject}", reply,
                                   f"{stage.kind} {project.code} {period.label()} (stage day {stage.day})"))
    for (office_id, period), items in sorted(overdue.items(), key=lambda entry: (entry[0][1], entry[0][0])):
        window = windows[period]
        last = max(window.locks, exceptions.get((office_id, period), window.locks))
        stage = stage_on(window, day, schedule, last, working_day)
        if stage is None or stage.kind is not StageKind.OVERDUE:
            continue  # only an office with a lock exception has this project overdue today: its own digest
        reply = director_digest(window, day, offices.get(office_id, ""), items, last)
        for director in people.directors.get(office_id, []):
            due.append(DueReminder(director, people.names[director], ReminderKind.DIRECTOR_DIGEST, period.fiscal_year,
                                   period.quarter, f"o{office_id}{stage.subject}", reply,
                                   f"digest of {len(items)} outstanding, office {office_id} {period.label()}"))
    return due


async def _admin_summaries(day: date, week: str, windows: dict[FiscalQuarter, QuarterWindow], people: _People,
                           policy: ReportingPolicy) -> list[DueReminder]:
    """The weekly summary of the latest quarter whose window is open (or closed within a week), the same
    text for every admin."""
    current = [period for period, window in windows.items() if day <= window.locks + SUMMARY_AFTER_LOCK]
    if not people.admins or not current:
        return []
    period = max(current, key=lambda period: windows[period].opens)
    everything = User(name="", role=Role.ADMIN)  # the national picture, never saved
    picture = await quarter_picture(everything, period, day, policy, pending_limit=1)
    if not picture.total.projects:
        return []  # nothing to report on (a new fiscal year's first quarter has not ended)
    reply = admin_summary(picture, day, WORST_OFFICES)
    return [DueReminder(admin, people.names[admin], ReminderKind.ADMIN_WEEKLY, period.fiscal_year, period.quarter,
                        f"w{week}", reply, f"weekly summary {period.label()}") for admin in people.admins]


async def _notifications(now: datetime, people: _People) -> list[DueReminder]:
    """Submissions and decisions not yet seen by their recipient, to push."""
    rows = await Notification.filter(pushed_at__isnull=True, shown_at__isnull=True,
                                     created_at__gte=now - NOTIFICATION_AGE).order_by("-id").limit(
        NOTIFICATIONS_PER_RUN).values("id", "recipient_id", "kind", "key", "params", "project_id", "report_id")
    if not rows:
        return []
    report_ids = [row["report_id"] for row in rows if row["report_id"] is not None]
    reports = await QuarterReport.filter(id__in=report_ids).values("id", "fiscal_year", "quarter") if report_ids else []
    periods = {row["id"]: FiscalQuarter(row["fiscal_year"], row["quarter"]) for row in reports}
    project_ids = [row["project_id"] for row in rows if row["project_id"] is not None]
    years = {row["id"]: row["fiscal_year"] for row in
             await Project.filter(id__in=project_ids).values("id", "fiscal_year")} if project_ids else {}
    due = []
    for row in reversed(rows):  # the newest are looked at first (old unpushable ones cannot crowd them out),
        if row["recipient_id"] not in people.names:  # sent oldest first
            continue
        period = periods.get(row["report_id"])
        try:
            reply = notification(row["key"], row["params"], row["project_id"], row["report_id"], period)
            kind = ReminderKind(row["kind"])
        except (KeyError, ValueError, IndexError):  # written by another version: shown at the next turn instead
            log.exception("notification %s cannot be pushed", row["id"])
            continue
        fiscal_year = period.fiscal_year if period else years.get(row["project_id"], 0)
        due.append(DueReminder(row["recipient_id"], people.names[row["recipient_id"]], kind,
                               fiscal_year, period.quarter if period else 0, f"n{row['id']}", reply,
                               f"{row['key']} (notification {row['id']})", notification_id=row["id"]))
    return due
