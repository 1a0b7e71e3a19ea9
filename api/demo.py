"""Demo data from the scenarios: one education service area office, its people and two projects.

``tidtam demo`` seeds it once; the console accounts let ``tidtam chat --as suda`` start at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from tortoise.transactions import in_transaction

from conversations.engine.status import sections_done
from conversations.flows.registry import REGISTRATION_FLOW
from conversations.service.store import load_answers
from models.catalog import load_catalog
from models.enums import ExpenseCategory, FundingSource, ItemStatus, Platform, ProjectType, Role
from models.numbering import allocate_project_code
from models.org import ChatAccount, Office, User
from models.plans import PlanNode
from models.project import Activity, BudgetLine, Kpi, Project, ProjectPlanLink
from models.report import WindowException

DEMO_OFFICE_CODE = "CMI1"
DEMO_FISCAL_YEAR = 2570
DEMO_EXCEPTION_REASON = "demo: Q1 may be reported early, to try the reporting flow"


@dataclass(frozen=True, slots=True)
class DemoPerson:
    """A demo person and the console name that chats as them."""

    console_name: str
    name: str
    role: Role
    email: str
    phone: str
    position: str = ""


DEMO_PEOPLE = (
    DemoPerson("somchai", "นายสมชาย ใจดี", Role.DIRECTOR, "somchai.j@example.go.th", "053-112-233",
               "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา"),
    DemoPerson("suda", "นางสาวสุดา ศรีสุข", Role.OWNER, "suda.s@example.go.th", "081-234-5678",
               "กลุ่มนิเทศ ติดตามและประเมินผล"),
    DemoPerson("weera", "นายวีระ แก้วมณี", Role.OWNER, "weera.k@example.go.th", "089-765-4321",
               "กลุ่มนโยบายและแผน"),
    DemoPerson("admin", "เจ้าหน้าที่ติดตามผล สพฐ.", Role.ADMIN, "monitor@example.go.th", "02-288-5555",
               "ส่วนกลาง สพฐ."),
)


async def demo_present() -> bool:
    """Whether the demo office already exists."""
    return await Office.filter(code=DEMO_OFFICE_CODE).exists()


async def seed_demo() -> dict[str, User]:
    """Create the demo office, people, console accounts and projects A and B; return people by console name."""
    if not await PlanNode.exists():
        await load_catalog()
    async with in_transaction():
        office = await Office.create(
            code=DEMO_OFFICE_CODE,
            name="สำนักงานเขตพื้นที่การศึกษาประถมศึกษาเชียงใหม่ เขต 1",
            province="เชียงใหม่",
            department="สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน (สพฐ.)",
            ministry="กระทรวงศึกษาธิการ",
        )
        people: dict[str, User] = {}
        for person in DEMO_PEOPLE:
            user = await User.create(
                name=person.name,
                role=person.role,
                email=person.email,
                phone=person.phone,
                position=person.position,
                office=None if person.role is Role.ADMIN else office,
            )
            await ChatAccount.create(
                platform=Platform.CONSOLE, external_id=person.console_name, user=user, display_name=person.name
            )
            people[person.console_name] = user
        # So that Q1 can be tried today, before its window opens on 1 Jan 2570 (demo data only).
        await WindowException.create(fiscal_year=DEMO_FISCAL_YEAR, quarter=1, office=office, until=date(2027, 1, 31),
                                     reason=DEMO_EXCEPTION_REASON, granted_by=people["admin"])
        for project in (await _project_a(office, people["suda"], people["somchai"]),
                        await _project_b(office, people["weera"], people["somchai"])):
            answers = await load_answers(REGISTRATION_FLOW, project)
            project.sections_done, project.sections_total = sections_done(REGISTRATION_FLOW, answers)
            await project.save(update_fields=["sections_done", "sections_total"])
    return people


async def _node(code: str) -> PlanNode:
    return await PlanNode.get(code=code)


async def _project_a(office: Office, owner: User, director: User) -> Project:
    project = await Project.create(
        code=await allocate_project_code(office, DEMO_FISCAL_YEAR),
        fiscal_year=DEMO_FISCAL_YEAR,
        office=office,
        owner=owner,
        status=ItemStatus.APPROVED,
        name="โครงการยกระดับความสามารถด้านการอ่านออกเขียนได้ของนักเรียนชั้นประถมศึกษาปีที่ 1–3",
        project_type=ProjectType.PROJECT,
        budget_plan="แผนงานพื้นฐานด้านการพัฒนาและเสริมสร้างศักยภาพทรัพยากรมนุษย์",
        uses_budget=True,
        method_self=True,
        method_contract=True,
        director_name=director.name,
        director_email=director.email,
        director_phone=director.phone,
        owner_name=owner.name,
        owner_email=owner.email,
        owner_phone=owner.phone,
        rationale=(
            "ผลการประเมินความสามารถด้านการอ่านของนักเรียนชั้นประถมศึกษาปีที่ 1 ปีการศึกษาที่ผ่านมา พบว่านักเรียน"
            "ร้อยละ 31 ยังอ่านออกเขียนได้ไม่ตามเกณฑ์ โดยเฉพาะโรงเรียนขนาดเล็กในพื้นที่ห่างไกล"
        ),
        objectives=[
            "เพื่อพัฒนาครูผู้สอนภาษาไทยชั้น ป.1–3 จำนวน 240 คน ให้จัดการเรียนรู้การอ่านเขียนได้อย่างมีประสิทธิภาพ",
            "เพื่อยกระดับความสามารถด้านการอ่านและการเขียนของนักเรียนชั้น ป.1–3",
        ],
        output_target="นักเรียนชั้น ป.1–3 จำนวน 4,200 คน ในโรงเรียน 120 แห่ง ได้รับการพัฒนา",
        outcome_target="นักเรียนร้อยละ 85 อ่านออกเขียนได้ตามเกณฑ์ระดับชั้น",
        target_groups="นักเรียนชั้นประถมศึกษาปีที่ 1–3 และครูผู้สอน",
        provinces=["เชียงใหม่"],
        area_detail="อ.เมืองเชียงใหม่ อ.สารภี อ.สันทราย",
        start_date=date(2026, 10, 1),
        end_date=date(2027, 9, 30),
    )
    links = [("NS-03", ""), ("MP-12-01-Y1", ""), ("NESDP13-12", ""), ("GOV-2568-ANUTIN", ""),
             ("LAW", "พระราชบัญญัติการศึกษาแห่งชาติ พ.ศ. 2542")]
    for position, (code, reference) in enumerate(links):
        await ProjectPlanLink.create(project=project, plan_node=await _node(code), reference_text=reference,
                                     position=position)
    await Kpi.create(project=project, name="ร้อยละนักเรียนที่อ่านออกเขียนได้ตามเกณฑ์", unit="ร้อยละ",
                     target_value=Decimal(85), position=0)
    await Kpi.create(project=project, name="จำนวนครูที่ผ่านการอบรม", unit="คน", target_value=Decimal(240), position=1)
    workshop = await Activity.create(project=project, name="ประชุมเชิงปฏิบัติการพัฒนาครู", quarters=[1, 2], position=0)
    await Activity.create(project=project, parent=workshop, name="อบรมครูภาษาไทย ป.1", quarters=[1], position=0)
    await Activity.create(project=project, parent=workshop, name="อบรมครู ป.2–3", quarters=[1, 2], position=1)
    await Activity.create(project=project, name="นิเทศ ติดตามการจัดการเรียนรู้ในโรงเรียน", quarters=[2, 3], position=1)
    await Activity.create(project=project, name="ประเมินการอ่านการเขียน", quarters=[3, 4], position=2)
    await Activity.create(project=project, name="สรุปและรายงานผล", quarters=[4], position=3)
    await BudgetLine.create(project=project, source=FundingSource.DIRECT, expense_category=ExpenseCategory.OPERATING,
                            amount=Decimal(350000), plan_q1=Decimal(150000), plan_q2=Decimal(100000),
                            plan_q3=Decimal(60000), plan_q4=Decimal(40000), position=0)
    await BudgetLine.create(project=project, source=FundingSource.VIA_AGENCY, source_agency="สพฐ.",
                            expense_category=ExpenseCategory.OPERATING, amount=Decimal(120000),
                            plan_q2=Decimal(120000), position=1)
    await BudgetLine.create(project=project, source=FundingSource.PROVINCE, source_agency="จังหวัดเชียงใหม่",
                            expense_category=ExpenseCategory.OPERATING, amount=Decimal(50000),
                            plan_q3=Decimal(50000), position=2)
    return project


async def _project_b(office: Office, owner: User, director: User) -> Project:
    project = await Project.create(
        code=await allocate_project_code(office, DEMO_FISCAL_YEAR),
        fiscal_year=DEMO_FISCAL_YEAR,
        office=office,
        owner=owner,
        status=ItemStatus.APPROVED,
        name="การดำเนินงานนิเทศ ติดตามการจัดการเรียนรู้ประจำปี",
        project_type=ProjectType.ROUTINE,
        budget_plan="แผนงานพื้นฐานด้านการพัฒนาและเสริมสร้างศักยภาพทรัพยากรมนุษย์",
        uses_budget=False,
        method_self=True,
        director_name=director.name,
        director_email=director.email,
        director_phone=director.phone,
        owner_name=owner.name,
        owner_email=owner.email,
        owner_phone=owner.phone,
        rationale="การนิเทศ ติดตามการจัดการเรียนรู้เป็นภารกิจประจำของสำนักงานเขตพื้นที่การศึกษา",
        objectives=["เพื่อนิเทศ ติดตามการจัดการเรียนรู้ของโรงเรียนในสังกัดอย่างต่อเนื่อง"],
        output_target="โรงเรียนในสังกัดทุกแห่งได้รับการนิเทศอย่างน้อยภาคเรียนละ 1 ครั้ง",
        outcome_target="โรงเรียนจัดการเรียนรู้ได้ตามมาตรฐานหลักสูตร",
        target_groups="ผู้บริหารและครูในโรงเรียนสังกัด",
        provinces=["เชียงใหม่"],
        start_date=date(2026, 10, 1),
        end_date=date(2027, 9, 30),
    )
    await ProjectPlanLink.create(project=project, plan_node=await _node("NS-03"), position=0)
    await ProjectPlanLink.create(project=project, plan_node=await _node("MP-12-01-Y1"), position=1)
    await Kpi.create(project=project, name="ร้อยละโรงเรียนที่ได้รับการนิเทศ", unit="ร้อยละ",
                     target_value=Decimal(100), position=0)
    await Activity.create(project=project, name="นิเทศ ติดตามโรงเรียนภาคเรียนที่ 1", quarters=[1, 2, 3, 4], position=0)
    await Activity.create(project=project, name="สรุปผลการนิเทศ", quarters=[1, 2, 3, 4], position=1)
    return project
