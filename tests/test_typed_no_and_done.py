"""Words typed where a button says the same are that button: "ไม่มีค่ะ" to "add a sub-activity?" adds nothing
(it once became an activity named "ไม่มีค่ะ"), and "เสร็จแล้ว" typed at an activity's state is the ✅ เสร็จแล้ว
button (it was read as the "done" command and refused)."""

from __future__ import annotations

from datetime import UTC, datetime

from models.db import Database
from models.enums import ActivityState
from models.project import Activity, BudgetLine, Project
from models.report import ActivityProgress, WindowException
from tests.support.scenario import open_report, up_to_m4
from tests.support.world import demo_world

JAN_5 = datetime(2027, 1, 5, 2, 0, tzinfo=UTC)  # Q1's window is open


async def test_no_typed_to_a_sub_activity_adds_none(database: Database) -> None:
    async with demo_world(database) as world:
        suda = world.chat("suda")
        await up_to_m4(suda)
        await suda.say("ประชุมเชิงปฏิบัติการพัฒนาครู")
        await suda.say("Q1-Q2")
        await suda.say("ไม่มีค่ะ")  # to "add a sub-activity?"
        assert "ไม่มีค่ะ" not in suda.text, suda.text
        await suda.say("นิเทศ ติดตามการจัดการเรียนรู้ในโรงเรียน")
        await suda.say("Q2")
        await suda.say("ใช่")  # yes, a sub-activity: its name is asked, "ใช่" is not one
        await suda.say("นิเทศโรงเรียนขนาดเล็ก")
        await suda.say("Q2")
        await suda.say("ไม่มีแล้วค่ะ")  # on the list: no more activities, the next section
        assert "M5 งบประมาณ" in suda.text and "ไม่มีแล้วค่ะ" not in suda.text, suda.text
        project = await Project.get(code="CMI1-2570-003")
        names = [(activity.name, activity.parent_id is None)
                 for activity in await Activity.filter(project=project).order_by("id")]
        assert names == [("ประชุมเชิงปฏิบัติการพัฒนาครู", True), ("นิเทศ ติดตามการจัดการเรียนรู้ในโรงเรียน", True),
                         ("นิเทศโรงเรียนขนาดเล็ก", False)], names


async def test_done_typed_at_an_activity_state_is_its_button(database: Database) -> None:
    async with demo_world(database) as world:
        world.clock.set(JAN_5)
        await WindowException.all().delete()
        suda = world.chat("suda")
        await open_report(suda)
        await suda.say("อบรมเชิงปฏิบัติการ 2 รุ่น ครูผ่านการอบรม 180 คน")
        await suda.say("ยังเร็วเกินไปที่จะวัดผลการอ่าน ทดสอบพื้นฐาน (baseline) แล้ว")
        await suda.say("62")
        await suda.say("180 คน")
        await suda.tap("กำลังดำเนินการ")  # 1 the workshops
        await suda.say("70")
        await suda.say("เสร็จแล้ว")  # 1.1, typed
        assert "ตอบด้วยข้อความหรือปุ่มเท่านั้น" not in suda.text, suda.text
        states = [row.state for row in await ActivityProgress.all().order_by("id")]
        assert states == [ActivityState.IN_PROGRESS, ActivityState.DONE], states


async def test_a_province_budget_line_takes_only_a_province(database: Database) -> None:
    async with demo_world(database) as world:
        suda = world.chat("suda")
        await up_to_m4(suda)
        await suda.say("ประชุมเชิงปฏิบัติการพัฒนาครู")
        await suda.say("Q1-Q2")
        await suda.tap("ไม่มี ไปต่อ")
        await suda.tap("เสร็จ")
        await suda.tap("งบจังหวัด")
        assert "✔️ ใช้ค่านี้" in suda.labels(), suda.labels()  # the office's province, offered
        await suda.say("งบดำเนินงาน")  # meant for the next question
        assert "ไม่ใช่ชื่อจังหวัด" in suda.text, suda.text
        await suda.say("จ.ลำปาง")
        assert "รับทราบ: ลำปาง" in suda.text and "งบรายจ่ายประเภทใด" in suda.text, suda.text
        await suda.tap("งบดำเนินงาน")
        await suda.say("ห้าหมื่นบาท")
        await suda.say("Q3 50000")
        line = await BudgetLine.get(project__code="CMI1-2570-003")
        assert line.source_agency == "ลำปาง"


async def test_the_lists_say_typing_adds_only_where_it_does(database: Database) -> None:
    async with demo_world(database) as world:
        suda = world.chat("suda")
        await up_to_m4(suda)
        await suda.say("ประชุมเชิงปฏิบัติการพัฒนาครู")
        await suda.say("Q1-Q2")
        await suda.tap("ไม่มี ไปต่อ")
        assert "พิมพ์ข้อความใหม่เพื่อเพิ่มได้เลย" in suda.text  # an activity starts with its name: typing adds one
        await suda.tap("เสร็จ")
        await suda.tap("งบของหน่วยงานเอง")
        await suda.tap("งบดำเนินงาน")
        await suda.say("3.5 แสน")
        await suda.say("150000, 100000, 60000, 40000")
        assert "รายการงบประมาณ" in suda.text and "พิมพ์ข้อความใหม่เพื่อเพิ่มได้เลย" not in suda.text, suda.text
