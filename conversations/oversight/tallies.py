"""Counting a quarter per office, and keeping those counts (``QuarterTally``) up to date.

One way of counting serves everybody: an owner's picture is counted on the spot over their few projects; the
offices' pictures are the same counts kept in ``quarter_tally``, recounted office by office when the database's
triggers have marked them (``models/tallies.py``). So ``/status`` reads a row per office, whatever the number of
projects, and a change is counted again only for the office it belongs to.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tortoise.expressions import Q
from tortoise.functions import Count, Sum
from tortoise.transactions import in_transaction

from conversations.service.locks import advisory_key, lock_across_processes
from models.enums import ItemStatus
from models.fiscal import FiscalQuarter
from models.project import BudgetLine, Project
from models.report import QuarterReport
from models.tallies import QuarterTally, TallyMark

QUARTERS = (1, 2, 3, 4)
IDS_AT_ONCE = 900  # ids in one query (SQLite allows 999 parameters)
OFFICES_AT_ONCE = 500  # offices recounted by one query (SQLite allows 999 parameters)
TALLY_FIELDS = ("projects", "on_time", "late", "waiting", "approved", "returned", "planned", "disbursed")


def covers(period: FiscalQuarter, prefix: str = "") -> Q:
    """Projects whose dates overlap the quarter (or are not known yet), as a filter the database applies."""
    unknown: dict[str, Any] = {f"{prefix}start_date__isnull": True}
    open_end: dict[str, Any] = {f"{prefix}end_date__isnull": True}
    overlap: dict[str, Any] = {f"{prefix}start_date__lte": period.last_day, f"{prefix}end_date__gte": period.first_day}
    return Q(**unknown) | Q(**open_end) | Q(**overlap)


async def count_quarter(period: FiscalQuarter, within: dict[str, Any]) -> dict[int, QuarterTally]:
    """Each office's counts for the quarter over the approved projects matching ``within`` (filter arguments on
    ``Project``), aggregated by the database: unsaved tallies, keyed by office id, only offices with projects.

    The projects are read first and their reports and budget lines looked up by project id, a few hundred at a
    time, so each lookup goes through the project's own index whatever the size of the country.
    """
    projects = await Project.filter(covers(period), status=ItemStatus.APPROVED, fiscal_year=period.fiscal_year,
                                    **within).values_list("id", "office_id")
    tallies: dict[int, QuarterTally] = {}
    for _, office_id in projects:
        if office_id not in tallies:
            tallies[office_id] = QuarterTally(office_id=office_id, fiscal_year=period.fiscal_year,
                                              quarter=period.quarter, projects=0)
        tallies[office_id].projects += 1
    ids = [project_id for project_id, _ in projects]
    for start in range(0, len(ids), IDS_AT_ONCE):
        chunk = ids[start:start + IDS_AT_ONCE]
        await _count_reports(tallies, period, chunk)
        await _count_plans(tallies, period, chunk)
    return tallies


async def _count_reports(tallies: dict[int, QuarterTally], period: FiscalQuarter, project_ids: list[int]) -> None:
    """Add these projects' sent and returned reports of the quarter to their offices' tallies."""
    for row in await QuarterReport.filter(
            project_id__in=project_ids, fiscal_year=period.fiscal_year, quarter=period.quarter,
            status__not=ItemStatus.DRAFT).annotate(n=Count("id"), disbursed=Sum("disbursed_amount")).group_by(
            "project__office_id", "status", "late").values("project__office_id", "status", "late", "n", "disbursed"):
        tally = tallies.get(row["project__office_id"])
        if tally is None:  # moved to another office since the projects were read: that move left a mark
            continue
        state, number = ItemStatus(row["status"]), int(row["n"])
        if state is ItemStatus.RETURNED:
            tally.returned += number  # still to be sent again: counted as not sent too
            continue
        tally.late += number if row["late"] else 0
        tally.on_time += 0 if row["late"] else number
        tally.approved += number if state is ItemStatus.APPROVED else 0
        tally.waiting += number if state is ItemStatus.SUBMITTED else 0
        tally.disbursed += Decimal(row["disbursed"] or 0)


async def _count_plans(tallies: dict[int, QuarterTally], period: FiscalQuarter, project_ids: list[int]) -> None:
    """Add these projects' budget plans for the quarter (that quarter's column) to their offices' tallies."""
    for row in await BudgetLine.filter(project_id__in=project_ids).annotate(
            total=Sum(f"plan_q{period.quarter}")).group_by("project__office_id").values("project__office_id", "total"):
        if row["project__office_id"] in tallies:  # as above
            tallies[row["project__office_id"]].planned += Decimal(row["total"] or 0)


async def refresh(fiscal_year: int) -> int:
    """Recount the offices marked for ``fiscal_year``; returns how many were recounted.

    One recount at a time (SQLite takes transactions one at a time; on PostgreSQL an advisory lock), in one
    transaction: the marks read are deleted and their offices recounted from what is committed. A change committed
    meanwhile left a mark of its own, so it is recounted next time; a recount that fails rolls back with its marks.
    """
    if not await TallyMark.filter(fiscal_year=fiscal_year).exists():
        return 0
    async with in_transaction() as connection:
        if connection.capabilities.dialect == "postgres":
            await lock_across_processes(connection, advisory_key("tally"))
        # exactly the marks this statement removes, whoever committed them last (an int, so inlined safely)
        marks = await connection.execute_query_dict(
            f"DELETE FROM tally_mark WHERE fiscal_year = {int(fiscal_year)} RETURNING office_id")
        offices = sorted({int(mark["office_id"]) for mark in marks})
        if not offices:
            return 0
        for start in range(0, len(offices), OFFICES_AT_ONCE):
            chunk = offices[start:start + OFFICES_AT_ONCE]
            await QuarterTally.filter(fiscal_year=fiscal_year, office_id__in=chunk).using_db(connection).delete()
            for quarter in QUARTERS:
                counted = await count_quarter(FiscalQuarter(fiscal_year, quarter), {"office_id__in": chunk})
                await QuarterTally.bulk_create(list(counted.values()), batch_size=500, using_db=connection)
        return len(offices)


async def read(period: FiscalQuarter, office_id: int | None = None) -> dict[int, QuarterTally]:
    """The quarter's tallies, recounted first where marked: every office's, or one office's."""
    await refresh(period.fiscal_year)
    rows = QuarterTally.filter(fiscal_year=period.fiscal_year, quarter=period.quarter, projects__gt=0)
    if office_id is not None:
        rows = rows.filter(office_id=office_id)
    return {tally.office_id: tally for tally in await rows}
