"""The people of the turn benchmark and what they say: owners with an approved copy of Project A each, their chat
accounts (half LINE, half Telegram), and the Q1 report they file turn by turn.

Apart from :mod:`bench.turns`, which drives them against the service and the baselines, so that the scenario can
be read (and reused, as :mod:`bench.memory` does with the accounts) without the machinery of the runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from decimal import Decimal
from typing import cast

from models.catalog import load_catalog
from models.clock import system_clock
from models.enums import ExpenseCategory, FundingSource, ItemStatus, Platform, ProjectType, Role
from models.fiscal import FiscalQuarter, fiscal_quarter_of, fiscal_year_bounds, local_day
from models.org import ChatAccount, Office, User
from models.plans import PlanNode
from models.project import Activity, BudgetLine, Kpi, Project, ProjectPlanLink
from models.report import ReportingWindow

PER_OFFICE = 20  # owners an office
BATCH = 1000
SHORTFALL = "เลื่อนการอบรมรุ่นที่ 2 ไปเดือนมกราคม เพราะตรงกับช่วงสอบกลางภาค"
LINKS = (("NS-03", ""), ("MP-12-01-Y1", ""), ("NESDP13-12", ""), ("GOV-2568-ANUTIN", ""),
         ("LAW", "พระราชบัญญัติการศึกษาแห่งชาติ พ.ศ. 2542"))


def report_script(period: FiscalQuarter) -> list[tuple[str, str]]:
    """The owner's side of the Q1 report of Project A (``tests/support/scenario.py``), as (say|tap, text)."""
    return [
        ("say", "รายงานผล"),
        ("tap", period.label()),
        ("say", "อบรมเชิงปฏิบัติการ 2 รุ่น ครูผ่านการอบรม 180 คน"),
        ("say", "ยังเร็วเกินไปที่จะวัดผลการอ่าน ทดสอบพื้นฐาน (baseline) แล้ว"),
        ("say", "62"),
        ("say", "180 คน"),
        ("say", "1 70%, 1.1 เสร็จ, 1.2 60%"),  # every activity of the quarter in one message
        ("say", "ครูภาษาไทยได้รับการพัฒนาทักษะการสอนอ่าน"),  # one text for every linked plan
        ("say", "98,500"),
        ("say", SHORTFALL),
        ("say", "โรงเรียนที่อยู่ไกลส่งครูมาอบรมในวันธรรมดาไม่ได้"),
        ("tap", "ส่งให้ผู้อำนวยการ"),  # from the review card, which is the confirmation
    ]


def open_period() -> FiscalQuarter:
    """The quarter of today: the benchmark opens its window (whatever the date, the flow is the same)."""
    return fiscal_quarter_of(local_day(system_clock()))


def account_of(number: int) -> tuple[Platform, str]:
    """Person ``number``'s chat account: even numbers on LINE, odd on Telegram."""
    if number % 2 == 0:
        return Platform.LINE, f"U{number:032x}"
    return Platform.TELEGRAM, str(8_000_000 + number)


async def seed_reporters(count: int, period: FiscalQuarter) -> list[tuple[Platform, str]]:
    """``count`` owners (20 an office, each office with a director), each with a chat account and an approved
    copy of Project A of ``period``'s fiscal year; the quarter's window is open today. Their accounts."""
    if not await PlanNode.exists():
        await load_catalog()
    today = local_day(system_clock())
    await ReportingWindow.create(fiscal_year=period.fiscal_year, quarter=period.quarter, opens_on=today - timedelta(1),
                                 due_on=today + timedelta(14), locks_on=today + timedelta(29), note="bench")
    offices = [Office(code=f"T{number:04d}", name=f"สพป.ทดสอบ เขต {number}", province="เชียงใหม่")
               for number in range((count + PER_OFFICE - 1) // PER_OFFICE)]
    await Office.bulk_create(offices, batch_size=BATCH)
    office_ids = list(await Office.filter(code__startswith="T").order_by("id").values_list("id", flat=True))
    await User.bulk_create([User(name=f"ผอ.ทดสอบ {number}", role=Role.DIRECTOR, office_id=office_id,
                                 email="director@example.go.th", phone="053-112-233")
                            for number, office_id in enumerate(office_ids)], batch_size=BATCH)
    await User.bulk_create([User(name=f"เจ้าของ {number}", role=Role.OWNER, office_id=office_ids[number // PER_OFFICE],
                                 email="owner@example.go.th", phone="081-234-5678") for number in range(count)],
                           batch_size=BATCH)
    owners = list(await User.filter(role=Role.OWNER).order_by("id").values_list("id", "office_id"))
    accounts = [account_of(number) for number in range(count)]
    await ChatAccount.bulk_create([ChatAccount(platform=platform, external_id=external, user_id=owner_id)
                                   for (platform, external), (owner_id, _) in zip(accounts, owners, strict=True)],
                                  batch_size=BATCH)
    start, end = fiscal_year_bounds(period.fiscal_year)
    await Project.bulk_create([Project(
        code=f"T-{period.fiscal_year}-{number:05d}", fiscal_year=period.fiscal_year, office_id=office_id,
        owner_id=owner_id, status=ItemStatus.APPROVED, project_type=ProjectType.PROJECT, uses_budget=True,
        name=f"โครงการยกระดับความสามารถด้านการอ่านออกเขียนได้ {number}", budget_plan="แผนงานพื้นฐาน",
        method_self=True, output_target="นักเรียนชั้น ป.1–3 จำนวน 4,200 คน ได้รับการพัฒนา",
        outcome_target="นักเรียนร้อยละ 85 อ่านออกเขียนได้ตามเกณฑ์", provinces=["เชียงใหม่"],
        start_date=start, end_date=end, sections_done=5, sections_total=5)
        for number, (owner_id, office_id) in enumerate(owners)], batch_size=BATCH)
    ids = cast(list[int], await Project.filter(code__startswith="T-").order_by("id").values_list("id", flat=True))
    await _project_a_children(ids, period.quarter)
    return accounts


async def _project_a_children(ids: Sequence[int], quarter: int) -> None:
    """Project A's plan links, KPIs, activities and budget, its Q1 moved to ``quarter``."""
    nodes = dict(await PlanNode.filter(code__in=[code for code, _ in LINKS]).values_list("code", "id"))
    later = quarter % 4 + 1
    await ProjectPlanLink.bulk_create([ProjectPlanLink(project_id=pid, plan_node_id=nodes[code], reference_text=text,
                                                       position=position)
                                       for pid in ids for position, (code, text) in enumerate(LINKS)],
                                      batch_size=BATCH)
    await Kpi.bulk_create([kpi for pid in ids for kpi in (
        Kpi(project_id=pid, name="ร้อยละนักเรียนที่อ่านออกเขียนได้ตามเกณฑ์", unit="ร้อยละ", target_value=Decimal(85),
            position=0),
        Kpi(project_id=pid, name="จำนวนครูที่ผ่านการอบรม", unit="คน", target_value=Decimal(240), position=1))],
        batch_size=BATCH)
    await Activity.bulk_create([activity for pid in ids for activity in (
        Activity(project_id=pid, name="ประชุมเชิงปฏิบัติการพัฒนาครู", quarters=[quarter], position=0),
        Activity(project_id=pid, name="นิเทศ ติดตามการจัดการเรียนรู้ในโรงเรียน", quarters=[later], position=1),
        Activity(project_id=pid, name="สรุปและรายงานผล", quarters=[later], position=2))], batch_size=BATCH)
    parents = dict(await Activity.filter(project_id__in=ids, position=0).values_list("project_id", "id"))
    await Activity.bulk_create([activity for pid in ids for activity in (
        Activity(project_id=pid, parent_id=parents[pid], name="อบรมครูภาษาไทย ป.1", quarters=[quarter], position=0),
        Activity(project_id=pid, parent_id=parents[pid], name="อบรมครู ป.2–3", quarters=[quarter], position=1))],
        batch_size=BATCH)
    plans = {f"plan_q{q}": Decimal(150000 if q == quarter else 100000) for q in (1, 2, 3, 4)}
    await BudgetLine.bulk_create([line for pid in ids for line in (
        BudgetLine(project_id=pid, source=FundingSource.DIRECT, expense_category=ExpenseCategory.OPERATING,
                   amount=Decimal(450000), position=0, **plans),
        BudgetLine(project_id=pid, source=FundingSource.VIA_AGENCY, source_agency="สพฐ.",
                   expense_category=ExpenseCategory.OPERATING, amount=Decimal(120000),
                   **{f"plan_q{later}": Decimal(120000)}, position=1))], batch_size=BATCH)

