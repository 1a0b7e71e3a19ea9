"""Scale of queries: ``status``/``pending`` (one quarter's picture) and the Excel export at 5,000 and 50,000
projects, each with four quarters of reports, KPI values, activities and budget lines (generated).

The figure is the time ratio 50k/5k: 10 would be linear. Goals (issue #9): at most 2 for status and pending,
near-linear for the export. The offices' counts are kept up to date by the database
(``conversations/oversight/tallies.py``), so the first picture after seeding counts every office once; the figure
that matters is the next one, and the one after a report changes, which counts its office again.
"""

from __future__ import annotations

import asyncio
import os
import resource
import tempfile
import time
from collections.abc import Awaitable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from api.log_setup import redact
from api.settings import load_settings
from conversations.oversight.export import export_workbook
from conversations.oversight.monitoring import quarter_picture
from models.db import Database
from models.enums import ExpenseCategory, FundingSource, ItemStatus, Role
from models.fiscal import FiscalQuarter
from models.org import Office, User
from models.project import Activity, BudgetLine, Kpi, Project
from models.report import KpiValue, QuarterReport
from models.windows import ReportingPolicy

SIZES = tuple(int(size) for size in os.environ.get("BENCH_QUERY_SIZES", "5000,50000").split(","))
EXPORT = os.environ.get("BENCH_QUERY_EXPORT", "1") != "0"  # 0: status and pending only (a quick look)
PROJECTS_PER_OFFICE = 200
BATCH = 2000
STATUSES = (ItemStatus.APPROVED, ItemStatus.APPROVED, ItemStatus.SUBMITTED, ItemStatus.RETURNED, ItemStatus.DRAFT)
TODAY = date(2027, 1, 20)
PERIOD = FiscalQuarter(2570, 1)


@dataclass(frozen=True, slots=True)
class Timing:
    """One query at one size."""

    name: str
    projects: int
    seconds: float
    peak_mb: float


async def seed(count: int) -> User:
    """``count`` approved projects of FY2570 in offices of 200, each with a KPI, two activities, a budget line
    and four quarters of reports with KPI values; returns an admin (who sees everything)."""
    offices = [Office(code=f"B{number:04d}", name=f"สพป.ทดสอบ เขต {number}") for number in
               range(max(1, count // PROJECTS_PER_OFFICE))]
    await Office.bulk_create(offices, batch_size=BATCH)
    office_ids = list(await Office.all().order_by("id").values_list("id", flat=True))
    owners = [User(name=f"เจ้าของ {number}", role=Role.OWNER, office_id=office_ids[number % len(office_ids)])
              for number in range(count // 5 or 1)]
    await User.bulk_create(owners, batch_size=BATCH)
    owner_rows = await User.filter(role=Role.OWNER).order_by("id").values("id", "office_id")
    projects = [Project(code=f"B-2570-{number:06d}", fiscal_year=2570, status=ItemStatus.APPROVED,
                        name=f"โครงการพัฒนาคุณภาพการศึกษา {number}", office_id=owner_rows[number % len(owner_rows)][
                            "office_id"], owner_id=owner_rows[number % len(owner_rows)]["id"],
                        start_date=date(2026, 10, 1), end_date=date(2027, 9, 30), rationale="เหตุผล " * 20)
                for number in range(count)]
    await Project.bulk_create(projects, batch_size=BATCH)
    ids = list(await Project.all().order_by("id").values_list("id", flat=True))
    await Kpi.bulk_create([Kpi(project_id=pid, name="ร้อยละของนักเรียนที่อ่านออก", unit="ร้อยละ",
                               target_value=Decimal(80)) for pid in ids], batch_size=BATCH)
    await Activity.bulk_create([Activity(project_id=pid, name=f"กิจกรรม {part}", quarters=[1, 2, 3, 4],
                                         position=part) for pid in ids for part in (1, 2)], batch_size=BATCH)
    await BudgetLine.bulk_create([BudgetLine(project_id=pid, source=FundingSource.DIRECT,
                                             expense_category=ExpenseCategory.OPERATING, amount=Decimal(400000),
                                             plan_q1=Decimal(100000), plan_q2=Decimal(100000),
                                             plan_q3=Decimal(100000), plan_q4=Decimal(100000)) for pid in ids],
                                 batch_size=BATCH)
    await QuarterReport.bulk_create([
        QuarterReport(project_id=pid, fiscal_year=2570, quarter=quarter, status=STATUSES[(pid + quarter) % 5],
                      late=pid % 7 == 0, output_progress="อบรมครู 2 รุ่น", planned_amount=Decimal(100000),
                      disbursed_amount=Decimal(90000 + pid % 10000))
        for pid in ids for quarter in (1, 2, 3, 4)], batch_size=BATCH)
    kpis = dict(await Kpi.all().values_list("project_id", "id"))
    reports = await QuarterReport.all().values("id", "project_id")
    await KpiValue.bulk_create([KpiValue(report_id=row["id"], kpi_id=kpis[row["project_id"]], value=Decimal(75))
                                for row in reports], batch_size=BATCH)
    return await User.create(name="ผู้ดูแล", role=Role.ADMIN)


async def _timed(name: str, count: int, work: Awaitable[object]) -> Timing:
    """Wall time, and the process's peak resident memory so far (tracemalloc would slow it several times)."""
    started = time.perf_counter()
    await work
    seconds = time.perf_counter() - started
    return Timing(name, count, seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


async def _after_a_report(admin: User) -> None:
    """A report submitted, then the national picture: its office is counted again, no other."""
    report = await QuarterReport.filter(fiscal_year=2570, quarter=PERIOD.quarter, status=ItemStatus.DRAFT).first()
    assert report is not None
    report.status = ItemStatus.SUBMITTED
    await report.save()
    await quarter_picture(admin, PERIOD, TODAY, ReportingPolicy())


async def measure(count: int) -> list[Timing]:
    """Seed a fresh database with ``count`` projects and time the three queries."""
    with tempfile.TemporaryDirectory() as folder:
        database = Database(f"sqlite://{Path(folder) / 'scale.sqlite3'}")
        await database.open()
        try:
            await database.migrate()
            admin = await seed(count)
            policy = ReportingPolicy()
            timings = [await _timed("first count of every office (once)", count,
                                    quarter_picture(admin, PERIOD, TODAY, policy))]
            picture = await quarter_picture(admin, PERIOD, TODAY, policy)
            assert picture.total.projects == count
            timings.append(await _timed("status + pending", count, quarter_picture(admin, PERIOD, TODAY, policy)))
            timings.append(await _timed("status + pending, a report just sent", count, _after_a_report(admin)))
            if EXPORT:
                timings.append(await _timed("export (xlsx)", count, export_workbook(admin, fiscal_year=2570)))
            return timings
        finally:
            await database.close()


async def run() -> list[Timing]:
    """Every size, smallest first."""
    timings: list[Timing] = []
    for size in SIZES:
        timings += await measure(size)
    return timings


def table(timings: list[Timing]) -> str:
    """Each query's time at each size, and the ratio of the largest to the smallest."""
    lines = [f"{'query':40} {'projects':>9} {'seconds':>8} {'RSS MB':>8} {'ratio':>6}"]
    smallest = {timing.name: timing for timing in timings if timing.projects == min(SIZES)}
    for timing in timings:
        base = smallest[timing.name]
        ratio = timing.seconds / base.seconds if timing is not base and base.seconds else None
        lines.append(f"{timing.name:40} {timing.projects:>9} {timing.seconds:>8.2f} {timing.peak_mb:>8.0f} "
                     + (f"{ratio:>6.1f}" if ratio is not None else f"{'-':>6}"))
    return "\n".join(lines)


if __name__ == "__main__":
    redact(load_settings())  # the log filter of every entry point (levels left as they are)
    print(table(asyncio.run(run())))
