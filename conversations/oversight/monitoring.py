"""The monitoring picture of a quarter, within what a person may see: per-office status, pending reports,
project search. Used by the chat commands and the HTTP API alike, so both answer the same."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from pythainlp.util import arabic_digit_to_thai_digit, thai_digit_to_arabic_digit
from tortoise.expressions import Q

from conversations.oversight import tallies
from models.enums import ItemStatus, Role
from models.fiscal import FiscalQuarter, fiscal_quarter_of
from models.org import Office, User
from models.project import BudgetLine, Project
from models.report import QuarterReport
from models.tallies import QuarterTally
from models.windows import QuarterWindow, ReportingPolicy, quarter_windows

PERIODS_BACK = 4
FIND_LIMIT = 20
PENDING_LIMIT = 1000  # pending projects read for one answer (the counts cover all of them)
FIND_CANDIDATES = 500  # ids fetched to sort by code (a search that broad is refined, not read)
MAX_WORDS = 6


def scope(user: User, prefix: str = "") -> dict[str, Any]:
    """Filter arguments for what ``user`` may see (``prefix`` e.g. ``project__`` for child rows).

    Owners see their own projects, directors their office's, admins everything; anyone else nothing.
    """
    if user.role is Role.ADMIN:
        return {}
    if user.role is Role.DIRECTOR and user.office_id is not None:
        return {f"{prefix}office_id": user.office_id}
    if user.role is Role.OWNER:
        return {f"{prefix}owner_id": user.id}
    return {f"{prefix}id": -1}


async def opened_windows(today: date, policy: ReportingPolicy) -> dict[FiscalQuarter, QuarterWindow]:
    """The windows of this and recent quarters that have opened by ``today`` (an override may keep one open long
    or open the current quarter early)."""
    period, periods = fiscal_quarter_of(today), [fiscal_quarter_of(today)]
    for _ in range(PERIODS_BACK):
        period = period.previous()
        periods.append(period)
    windows = await quarter_windows(set(periods), policy)
    return {period: window for period, window in windows.items() if window.opens <= today}


async def current_period(today: date, policy: ReportingPolicy) -> FiscalQuarter:
    """The quarter being reported now (the latest whose window is open ``today``, late days included), or else the
    next one whose window opens (in December: Q1, not the quarter closed in October)."""
    period, periods = fiscal_quarter_of(today), [fiscal_quarter_of(today).next()]
    for _ in range(PERIODS_BACK + 1):
        periods.append(period)
        period = period.previous()
    windows = await quarter_windows(set(periods), policy)
    open_now = [period for period, window in windows.items() if window.opens <= today <= window.locks]
    if open_now:
        return max(open_now, key=lambda period: windows[period].opens)
    upcoming = [period for period, window in windows.items() if window.opens > today]
    return min(upcoming, key=lambda period: windows[period].opens) if upcoming else fiscal_quarter_of(today)


@dataclass(slots=True)
class OfficeStatus:
    """One office's quarter: how many projects, where their reports stand, money disbursed against plan."""

    office_id: int
    code: str
    name: str
    projects: int = 0
    on_time: int = 0
    late: int = 0
    pending: int = 0  # not submitted: none, a draft, or returned and not yet resubmitted
    waiting: int = 0  # submitted, awaiting the director
    approved: int = 0
    returned: int = 0
    planned: Decimal = Decimal(0)
    disbursed: Decimal = Decimal(0)

    @property
    def percent(self) -> Decimal | None:
        """Disbursed as a share of planned (None without a plan)."""
        return (self.disbursed * 100 / self.planned).quantize(Decimal("0.1")) if self.planned else None


@dataclass(frozen=True, slots=True)
class PendingItem:
    """A project whose report for the quarter is not in: who owns it and how long is left (negative: late)."""

    project_id: int
    code: str
    name: str
    owner: str
    office_code: str
    status: ItemStatus | None
    days_left: int


@dataclass(slots=True)
class QuarterPicture:
    """Everything the status and pending commands show for one quarter (``pending``: the first ones only;
    ``total.pending`` counts them all)."""

    period: FiscalQuarter
    window: QuarterWindow
    offices: list[OfficeStatus] = field(default_factory=list)
    pending: list[PendingItem] = field(default_factory=list)

    @property
    def total(self) -> OfficeStatus:
        """All offices together."""
        total = OfficeStatus(0, "", "")
        for office in self.offices:
            for name in ("projects", "on_time", "late", "pending", "waiting", "approved", "returned", "planned",
                         "disbursed"):
                setattr(total, name, getattr(total, name) + getattr(office, name))
        return total


def _status(tally: QuarterTally, office: dict[str, Any]) -> OfficeStatus:
    """An office's counts as the picture shows them."""
    sent = tally.on_time + tally.late
    return OfficeStatus(tally.office_id, office["code"], office["name"], projects=tally.projects,
                        on_time=tally.on_time, late=tally.late, pending=tally.projects - sent, waiting=tally.waiting,
                        approved=tally.approved, returned=tally.returned, planned=Decimal(tally.planned),
                        disbursed=Decimal(tally.disbursed))


async def _counts(user: User, period: FiscalQuarter) -> dict[int, QuarterTally]:
    """The quarter's counts per office within the user's scope: an office's are kept up to date (read, not
    counted), an owner's few projects are counted on the spot."""
    if user.role is Role.ADMIN:
        return await tallies.read(period)
    if user.role is Role.DIRECTOR and user.office_id is not None:
        return await tallies.read(period, user.office_id)
    return await tallies.count_quarter(period, scope(user))


async def quarter_picture(user: User, period: FiscalQuarter, today: date, policy: ReportingPolicy, *,
                          pending_limit: int | None = PENDING_LIMIT) -> QuarterPicture:
    """The status per office and the pending reports of a quarter, within the user's scope.

    The counts are kept per office (``conversations/oversight/tallies.py``), so the time grows with the number
    of offices, not of projects; the pending projects are read office by office, in code order, only as far as
    ``pending_limit``.
    """
    window = (await quarter_windows({period}, policy))[period]
    counts = await _counts(user, period)
    offices = {row["id"]: row for row in await Office.filter(id__in=list(counts) or [-1]).values("id", "code",
                                                                                                "name")}
    picture = QuarterPicture(period, window, sorted((_status(tally, offices[office_id])
                                                     for office_id, tally in counts.items()),
                                                    key=lambda office: office.code))
    for office in picture.offices:
        wanted = None if pending_limit is None else pending_limit - len(picture.pending)
        if wanted is not None and wanted <= 0:
            break
        if office.pending:
            picture.pending += await _pending(user, period, office.office_id, wanted, (window.due - today).days)
    return picture


async def _pending(user: User, period: FiscalQuarter, office_id: int, limit: int | None,
                   days_left: int) -> list[PendingItem]:
    """An office's projects (within the user's scope) whose report for the quarter is not in, by code.

    The office's projects are read through their office index and their reports by project id, so the time
    grows with the office, not with the country."""
    rows = await Project.filter(tallies.covers(period), status=ItemStatus.APPROVED, fiscal_year=period.fiscal_year,
                                **scope(user)).filter(office_id=office_id).order_by("code").values(
        "id", "code", "name", "owner__name", "office__code")
    states: dict[int, ItemStatus] = {}
    for start in range(0, len(rows), tallies.IDS_AT_ONCE):
        states |= {row["project_id"]: ItemStatus(row["status"]) for row in await QuarterReport.filter(
            fiscal_year=period.fiscal_year, quarter=period.quarter,
            project_id__in=[row["id"] for row in rows[start:start + tallies.IDS_AT_ONCE]]).values("project_id",
                                                                                               "status")}
    waiting = [row for row in rows if states.get(row["id"]) not in (ItemStatus.SUBMITTED, ItemStatus.APPROVED)]
    return [PendingItem(row["id"], row["code"], row["name"], row["owner__name"], row["office__code"],
                        states.get(row["id"]), days_left) for row in waiting[:limit]]


async def find_projects(user: User, words: str, limit: int = FIND_LIMIT) -> list[dict[str, Any]]:
    """Projects within the user's scope whose code, name, owner or linked plan matches every word."""
    ids: set[int] | None = None
    for word in words.split()[:MAX_WORDS]:  # each word on its own: one may match a plan, another the name
        arabic = thai_digit_to_arabic_digit(word)
        matching = Q(code__icontains=arabic) | Q(plan_links__plan_node__code__icontains=arabic)
        for spelling in {word, arabic, arabic_digit_to_thai_digit(word)}:
            # names keep the digits they were typed with: "2570" finds "ปี ๒๕๗๐" and the other way round
            matching |= Q(name__icontains=spelling) | Q(owner__name__icontains=spelling) \
                | Q(plan_links__plan_node__title_th__icontains=spelling)
        found = {int(str(pk)) for pk in await Project.filter(matching, **scope(user)).distinct().values_list(
            "id", flat=True)}
        ids = found if ids is None else ids & found
    if not ids:
        return []
    first = sorted(ids)[:FIND_CANDIDATES]
    return list(await Project.filter(id__in=first).order_by("code").limit(limit).values(
        "id", "code", "name", "status", "fiscal_year", "owner__name", "office__code"))


async def disbursement_by_quarter(user: User, fiscal_year: int) -> list[tuple[int, Decimal, Decimal]]:
    """(quarter, planned, disbursed) for each quarter of a fiscal year, over the projects in scope."""
    planned: dict[int, Decimal] = defaultdict(Decimal)
    for row in await BudgetLine.filter(project__status=ItemStatus.APPROVED, project__fiscal_year=fiscal_year,
                                       **scope(user, "project__")).values("plan_q1", "plan_q2", "plan_q3",
                                                                          "plan_q4"):
        for quarter in (1, 2, 3, 4):
            planned[quarter] += Decimal(row[f"plan_q{quarter}"] or 0)
    disbursed: dict[int, Decimal] = defaultdict(Decimal)
    for row in await QuarterReport.filter(fiscal_year=fiscal_year, project__status=ItemStatus.APPROVED,
                                          status__in=[ItemStatus.SUBMITTED, ItemStatus.APPROVED],
                                          **scope(user, "project__")).values("quarter", "disbursed_amount"):
        disbursed[row["quarter"]] += Decimal(row["disbursed_amount"] or 0)
    return [(quarter, planned[quarter], disbursed[quarter]) for quarter in (1, 2, 3, 4)]
