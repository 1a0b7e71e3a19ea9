"""Directors decide for their own office only; a returned registration comes back, an approved one locks."""

from __future__ import annotations

from models.db import Database
from models.enums import ItemStatus, Platform, Role
from models.org import ChatAccount, Office, User
from models.project import Project
from models.runtime import AuditEntry
from tests.support.scenario import register_project_a
from tests.support.world import World, demo_world


async def second_office(world: World) -> tuple[User, User]:
    """สพป.ลำพูน เขต 1 with its own director and owner, and a submitted project."""
    office = await Office.create(code="LPN1", name="สพป.ลำพูน เขต 1", province="ลำพูน")
    director = await User.create(name="นางวิไล ลำพูน", role=Role.DIRECTOR, office=office)
    owner = await User.create(name="นายเอก ลำพูน", role=Role.OWNER, office=office)
    for user, ref in ((director, "wilai"), (owner, "ek")):
        await ChatAccount.create(platform=Platform.CONSOLE, external_id=ref, user=user)
    await Project.create(code="LPN1-2570-001", fiscal_year=2570, office=office, owner=owner, name="โครงการของลำพูน",
                         status=ItemStatus.SUBMITTED)
    return director, owner


async def test_a_returned_registration_is_fixed_resubmitted_approved_and_locked(database: Database) -> None:
    async with demo_world(database) as world:
        owner, director = world.chat("suda"), world.chat("somchai")
        await register_project_a(owner)
        await owner.tap("ส่งให้ผู้อำนวยการ")
        await director.say("รออนุมัติ")
        assert "ทะเบียนโครงการ CMI1-2570-003" in director.screen.text
        assert "ส่งใหม่หลังแก้ไข" not in director.text  # a first submission
        await director.tap("1. ทะเบียนโครงการ")
        assert "M5 งบประมาณ" in director.screen.text
        await director.tap("ส่งกลับแก้ไข")
        await director.say("ตัวชี้วัดที่ 2 ควรวัดผลลัพธ์ ไม่ใช่จำนวนผู้เข้าอบรม")
        project = await Project.get(code="CMI1-2570-003")
        assert project.status is ItemStatus.RETURNED

        await owner.say("เมนู")
        assert "ส่งทะเบียนโครงการ CMI1-2570-003 กลับให้แก้ไข: “ตัวชี้วัดที่ 2 ควรวัดผลลัพธ์" in owner.text
        await owner.tap("โครงการของฉัน")
        await owner.tap("1. โครงการยกระดับ")
        assert "↩️ ส่งกลับให้แก้ไข" in owner.screen.text and "ตัวชี้วัดที่ 2 ควรวัดผลลัพธ์" in owner.screen.text
        await owner.tap("แก้ไข / ทำต่อ")
        await owner.tap("M3")
        await owner.tap("ตัวชี้วัด")
        await owner.tap("แก้ไข")
        await owner.say("2")
        await owner.say("ร้อยละครูที่นำเทคนิคการสอนอ่านไปใช้ในห้องเรียน")
        await owner.tap("ร้อยละ")
        await owner.say("80")
        await owner.tap("เสร็จ")
        await owner.say("/submit")
        await owner.say("ใช่")
        await project.refresh_from_db()
        assert project.status is ItemStatus.SUBMITTED

        await director.say("รออนุมัติ")  # sent again after being returned: said in the notice and the inbox
        assert "ส่งทะเบียนโครงการ CMI1-2570-003 โครงการยกระดับ" in director.text
        assert "ใหม่หลังแก้ไขตามที่ส่งกลับ" in director.text, director.text
        assert "CMI1-2570-003" in director.screen.text and "🔁 ส่งใหม่หลังแก้ไข" in director.screen.text
        await director.tap("1. ทะเบียนโครงการ")
        assert "ร้อยละครูที่นำเทคนิคการสอนอ่านไปใช้ในห้องเรียน" in director.screen.text
        await director.tap("✅ อนุมัติ")
        await director.tap("ยืนยันอนุมัติ")
        await project.refresh_from_db()
        assert project.status is ItemStatus.APPROVED

        await owner.say("โครงการของฉัน")
        await owner.tap("1. โครงการยกระดับ")
        assert "✅ อนุมัติแล้ว" in owner.screen.text
        assert "✏️ แก้ไข / ทำต่อ" not in owner.labels()  # approved: locked
        assert "Q1/2570 · 🟢 เปิดรายงานเป็นกรณีพิเศษ ส่งได้ถึง 31 ม.ค. 2570" in owner.screen.text  # the demo's exception
        assert "Q2/2570 · ○ ยังไม่เปิด" in owner.screen.text  # the quarters it will report
        fields = set(await AuditEntry.filter(project_id=project.id).values_list("field", flat=True))
        assert {"kpis", "status", "decision_comment"} <= fields

        await owner.tap("ขอแก้ไข")  # a change needs a new submission round
        await owner.say("ใช่")
        assert "เปิดทะเบียนโครงการ CMI1-2570-003 ให้แก้ไขแล้ว" in owner.text
        await project.refresh_from_db()
        assert project.status is ItemStatus.RETURNED
        await director.say("เมนู")
        assert "ขอแก้ไข CMI1-2570-003" in director.text


async def test_a_director_sees_and_decides_only_for_their_own_office(database: Database) -> None:
    async with demo_world(database) as world:
        await second_office(world)
        somchai = world.chat("somchai")
        await somchai.say("รออนุมัติ")
        assert "LPN1-2570-001" not in somchai.screen.text and "ไม่มีรายการ" in somchai.screen.text
        await somchai.say("/history LPN1-2570-001")
        assert "ไม่พบโครงการ LPN1-2570-001" in somchai.screen.text
        wilai = world.chat("wilai")
        await wilai.say("รออนุมัติ")
        assert "LPN1-2570-001" in wilai.screen.text and "CMI1" not in wilai.screen.text
        await wilai.say("/history CMI1-2570-001")
        assert "ไม่พบโครงการ CMI1-2570-001" in wilai.screen.text
        owner = world.chat("suda")
        await owner.say("รออนุมัติ")
        assert owner.last[0].key == "inbox.directors_only"


async def test_history_shows_who_changed_what_for_owner_and_director(database: Database) -> None:
    async with demo_world(database) as world:
        owner = world.chat("suda")
        await register_project_a(owner)
        await owner.tap("✏️ M3")
        await owner.tap("วันสิ้นสุด")
        await owner.say("31 ส.ค. 2570")
        world.clock.advance(hours=2)
        await owner.say("/history CMI1-2570-003")
        history = owner.screen.text
        assert "🕘 ประวัติการแก้ไข CMI1-2570-003" in history
        assert "23 พ.ย. 2569 09:00 · นางสาวสุดา ศรีสุข · วันสิ้นสุด: 30 ก.ย. 2570 → 31 ส.ค. 2570" in history
        assert "ตัวชี้วัด: — → จำนวนครูที่ผ่านการอบรม — เป้าหมาย 240 คน" in history
        director = world.chat("somchai")
        await director.say("ประวัติ CMI1-2570-003")  # the Thai word works too, with a code after it
        assert "วันสิ้นสุด: 30 ก.ย. 2570 → 31 ส.ค. 2570" in director.screen.text
        await director.say("เมนู")
        await director.say("/history cmi1-2570-003")
        assert "วันสิ้นสุด: 30 ก.ย. 2570 → 31 ส.ค. 2570" in director.screen.text
        await director.tap("ย้อนกลับ")
        assert director.screen.key == "menu.text"
