"""The offices' kept counts (``quarter_tally``) always equal a count worked out by hand, whatever wrote the change:
a model's save, a bulk insert, a queryset update or delete, a project moved to another office or year."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from conversations.oversight import tallies
from models.db import Database
from models.enums import ExpenseCategory, FundingSource, ItemStatus, Role
from models.fiscal import FiscalQuarter
from models.org import Office, User
from models.project import BudgetLine, Project
from models.report import QuarterReport
from models.tallies import QuarterTally, TallyMark

YEAR = 2570
PERIODS = [FiscalQuarter(YEAR, quarter) for quarter in (1, 2, 3, 4)]
STATES = list(ItemStatus)


async def _seed(rng: random.Random) -> list[int]:
    """Three offices with eight projects each in various states, with budget lines and reports."""
    for number in range(3):
        office = await Office.create(code=f"T{number}", name=f"สพป.ทดสอบ {number}")
        owner = await User.create(name=f"เจ้าของ {number}", role=Role.OWNER, office=office)
        for serial in range(8):
            project = await Project.create(
                code=f"T{number}-{YEAR}-{serial:03d}", fiscal_year=YEAR, office=office, owner=owner,
                status=rng.choice(STATES), name=f"โครงการ {serial}",
                start_date=date(2026, 10, 1) if serial % 3 else date(2027, 4, 1), end_date=date(2027, 9, 30))
            await BudgetLine.create(project=project, source=FundingSource.DIRECT,
                                    expense_category=ExpenseCategory.OPERATING, amount=Decimal(400000),
                                    plan_q1=Decimal(100000), plan_q2=Decimal(50000), plan_q3=Decimal(0),
                                    plan_q4=Decimal(250000))
            for quarter in (1, 2):
                await QuarterReport.create(project=project, fiscal_year=YEAR, quarter=quarter,
                                           status=rng.choice(STATES), late=rng.random() < 0.3,
                                           disbursed_amount=Decimal(rng.randrange(0, 120000)))
    return list(await Project.all().values_list("id", flat=True))


async def _mutate(rng: random.Random, ids: list[int]) -> str:
    """One change, by one of the ways the code base (or an operator) writes; returns what it was."""
    project_id = rng.choice(ids)
    match rng.randrange(10):
        case 0:
            project = await Project.get(id=project_id)
            project.status = rng.choice(STATES)
            await project.save()
            return f"project {project_id} saved as {project.status}"
        case 1:
            state = rng.choice(STATES)
            await QuarterReport.filter(project_id=project_id).update(status=state)
            return f"reports of {project_id} updated to {state}"
        case 2:
            report = await QuarterReport.filter(project_id=project_id).first()
            if report is None:
                await QuarterReport.bulk_create([QuarterReport(project_id=project_id, fiscal_year=YEAR, quarter=1,
                                                               status=ItemStatus.SUBMITTED,
                                                               disbursed_amount=Decimal(5000))])
                return f"report of {project_id} bulk-created"
            report.late, report.disbursed_amount = not report.late, Decimal(rng.randrange(0, 90000))
            await report.save()
            return f"report {report.id} late and money changed"
        case 3:
            await QuarterReport.filter(project_id=project_id, quarter=2).delete()
            return f"Q2 report of {project_id} deleted"
        case 4:
            office = rng.choice(await Office.all())
            await Project.filter(id=project_id).update(office_id=office.id)
            return f"project {project_id} moved to {office.code}"
        case 5:
            await Project.filter(id=project_id).update(fiscal_year=rng.choice((YEAR, YEAR + 1)))
            return f"project {project_id} moved to another year (or back)"
        case 6:
            await BudgetLine.filter(project_id=project_id).update(plan_q1=Decimal(rng.randrange(0, 300000)))
            return f"budget of {project_id} changed"
        case 7:
            await Project.filter(id=project_id).update(start_date=rng.choice((date(2026, 10, 1), date(2027, 7, 1))))
            return f"dates of {project_id} changed"
        case 8:
            other = rng.choice(ids)
            await BudgetLine.filter(project_id=project_id).update(project_id=other)
            return f"budget lines of {project_id} moved to {other}"
        case _:
            await Project.filter(id=project_id).delete()
            ids.remove(project_id)
            return f"project {project_id} deleted"


async def _by_hand(period: FiscalQuarter) -> dict[int, tuple[object, ...]]:
    """The counts worked out in Python from every row, as the status screen defines them: approved projects of
    the year whose dates overlap the quarter (or are unknown); a returned report still counts as not sent."""
    figures: dict[int, list[Decimal]] = {}
    for project in await Project.filter(status=ItemStatus.APPROVED, fiscal_year=period.fiscal_year):
        if project.start_date and project.end_date and (project.start_date > period.last_day
                                                        or project.end_date < period.first_day):
            continue
        row = figures.setdefault(project.office_id, [Decimal(0)] * len(tallies.TALLY_FIELDS))
        row[0] += 1
        for line in await BudgetLine.filter(project=project):
            row[6] += getattr(line, f"plan_q{period.quarter}")
        report = await QuarterReport.get_or_none(project=project, fiscal_year=period.fiscal_year,
                                                 quarter=period.quarter)
        if report is None or report.status is ItemStatus.DRAFT:
            continue
        if report.status is ItemStatus.RETURNED:
            row[5] += 1
            continue
        row[2 if report.late else 1] += 1
        row[4 if report.status is ItemStatus.APPROVED else 3] += 1
        row[7] += report.disbursed_amount or 0
    return {office: tuple(values) for office, values in figures.items()}


def _figures(counted: dict[int, QuarterTally]) -> dict[int, tuple[object, ...]]:
    return {office: tuple(Decimal(getattr(tally, name)) for name in tallies.TALLY_FIELDS)
            for office, tally in counted.items()}


async def test_kept_counts_equal_counts_worked_out_by_hand_after_every_kind_of_change(database: Database) -> None:
    rng = random.Random(9)
    ids = await _seed(rng)
    for step in range(60):
        change = await _mutate(rng, ids)
        for period in PERIODS if step % 10 == 0 else rng.sample(PERIODS, 1):
            kept = _figures(await tallies.read(period))
            assert kept == await _by_hand(period), f"after step {step}: {change}"
        assert not await TallyMark.filter(fiscal_year=YEAR).exists()


async def test_only_the_changed_office_is_counted_again_and_drafts_mark_nothing(database: Database) -> None:
    await _seed(random.Random(3))
    await tallies.read(PERIODS[0])
    project = await Project.filter(status=ItemStatus.APPROVED).first()
    assert project is not None
    report = await QuarterReport.create(project=project, fiscal_year=YEAR, quarter=3, status=ItemStatus.DRAFT)
    report.output_progress = "อบรมครูแล้ว 1 รุ่น"  # answers saved into a draft report, one by one
    await report.save()
    assert await tallies.refresh(YEAR) == 0
    report.status = ItemStatus.SUBMITTED
    await report.save()
    assert await tallies.refresh(YEAR) == 1
    assert (await tallies.read(FiscalQuarter(YEAR, 3), project.office_id))[project.office_id].waiting >= 1


async def test_offices_with_projects_before_the_tallies_existed_are_counted(database: Database) -> None:
    """The migration marks every office that already had approved projects; here, the same by hand after the
    marks were lost, as after a restore of the projects alone."""
    await _seed(random.Random(5))
    await TallyMark.all().delete()
    await QuarterTally.all().delete()
    assert await tallies.read(PERIODS[0]) == {}
    offices = await Project.filter(status=ItemStatus.APPROVED).distinct().values_list("office_id", flat=True)
    await TallyMark.bulk_create([TallyMark(office_id=office, fiscal_year=YEAR) for office in set(offices)])
    assert _figures(await tallies.read(PERIODS[0])) == _figures(await tallies.count_quarter(PERIODS[0], {}))
