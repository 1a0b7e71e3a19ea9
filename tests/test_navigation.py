"""Back, skip, keep, edit from review (with dependent checks), cancel, save and continue, stale buttons."""

from __future__ import annotations

from models.db import Database
from models.enums import ItemStatus
from models.project import Project
from tests.support.scenario import fill_m1, fill_m2, register_project_a, start_project
from tests.support.world import demo_world


async def test_back_shows_the_earlier_answer_and_keep_moves_on(database: Database) -> None:
    async with demo_world(database) as world:
        chat = world.chat("suda")
        await start_project(chat)
        await fill_m1(chat)
        await chat.tap("โครงการ")
        await chat.tap("แผนงานพื้นฐานด้านการพัฒนา")
        assert chat.screen.key == "reg.uses_budget"
        await chat.tap("ย้อนกลับ")
        assert chat.screen.key == "reg.budget_plan"
        assert "ค่าปัจจุบัน: แผนงานพื้นฐานด้านการพัฒนาและเสริมสร้างศักยภาพทรัพยากรมนุษย์" in chat.screen.text
        await chat.say("ย้อนกลับ")  # typed works like the button
        assert chat.screen.key == "reg.project_type"
        await chat.tap("ใช้ค่านี้")
        assert chat.screen.key == "reg.uses_budget"  # the walk resumes at the first unanswered question


async def test_skip_is_refused_on_required_questions_and_accepted_on_optional_ones(database: Database) -> None:
    async with demo_world(database) as world:
        chat = world.chat("suda")
        await start_project(chat)
        await fill_m1(chat)
        await fill_m2(chat)
        assert chat.screen.key == "reg.rationale"
        await chat.say("ข้าม")
        assert "จำเป็นต้องตอบ" in chat.text and chat.screen.key == "reg.rationale"
        assert all("ข้าม" not in label for label in chat.labels())
        await chat.say("เหตุผลโดยย่อ")
        await chat.say("เพื่อทดสอบ")  # one objective: taken at once, the output target is next
        for text in ("ผลผลิต", "ผลลัพธ์", "ตัวชี้วัดหนึ่ง"):
            await chat.say(text)
        await chat.tap("คน")
        await chat.say("10")
        await chat.tap("เสร็จ")
        await chat.say("ครู")  # the office's province is taken without asking
        assert chat.screen.key == "reg.area_detail"
        await chat.tap("ข้าม")
        assert "✔️ รับทราบ: ไม่ระบุ" in chat.text and chat.screen.key == "reg.start_date"


async def test_an_edit_from_review_rechecks_what_depends_on_it(database: Database) -> None:
    async with demo_world(database) as world:
        chat = world.chat("suda")
        await register_project_a(chat)
        await chat.tap("✏️ M3")
        assert chat.screen.key == "section.view"
        await chat.tap("วันสิ้นสุด")
        assert chat.screen.key == "reg.end_date" and "ค่าปัจจุบัน: 30 ก.ย. 2570" in chat.screen.text
        await chat.say("31 มี.ค. 2570")
        assert "การแก้ไขนี้กระทบ M4 กิจกรรม" in chat.text and "ไตรมาส 3" in chat.text
        assert chat.screen.key == "section.view"  # the edit returns where it started
        await chat.say("สารบัญ")
        assert "⚠️ M4 กิจกรรม" in chat.screen.text
        assert all("ส่งให้ผู้อำนวยการ" not in label for label in chat.labels())
        await chat.say("/submit")
        assert "ยังส่งไม่ได้" in chat.text and "M4 กิจกรรม" in chat.text
        await chat.tap("M3")
        await chat.tap("วันสิ้นสุด")
        await chat.say("30 ก.ย. 2570")
        await chat.say("ตรวจทาน")
        assert "ข้อมูลครบแล้ว" in chat.screen.text


async def test_a_list_item_can_be_edited_and_removed(database: Database) -> None:
    async with demo_world(database) as world:
        chat = world.chat("suda")
        await register_project_a(chat)
        await chat.tap("✏️ M4")
        await chat.tap("กิจกรรม")
        await chat.tap("แก้ไข")
        await chat.say("1.2")
        await chat.say("อบรมครู ป.2–3 (รุ่นที่ 2)")
        assert chat.screen.multi and [c.label for c in chat.screen.choices if c.selected] == ["Q1", "Q2"]
        await chat.tap("เสร็จ")  # the quarters stay ticked as they were
        assert "แก้ไขกิจกรรมย่อยแล้ว: อบรมครู ป.2–3 (รุ่นที่ 2)" in chat.text
        await chat.tap("ลบ")
        await chat.say("1")
        assert "พร้อมรายการย่อยอีก 2 รายการใช่ไหม" in chat.screen.text  # sub-items go too: asked first
        await chat.say("ไม่")
        assert "ไม่มีการเปลี่ยนแปลง" in chat.text
        await chat.tap("ลบ")
        await chat.say("1")
        await chat.tap("ใช่ ลบทั้งหมด")
        assert "ลบกิจกรรมแล้ว" in chat.text and "ลบรายการย่อยภายใต้รายการนี้ 2 รายการด้วย" in chat.text
        await chat.tap("เสร็จ")
        project = await Project.get(code="CMI1-2570-003").prefetch_related("activities")
        names = sorted(activity.name for activity in project.activities)
        assert names == sorted(["นิเทศ ติดตามการจัดการเรียนรู้ในโรงเรียน", "ประเมินการอ่านการเขียน", "สรุปและรายงานผล"])


async def test_cancel_asks_first_then_deletes_the_draft(database: Database) -> None:
    async with demo_world(database) as world:
        chat = world.chat("suda")
        await start_project(chat)
        assert await Project.filter(code="CMI1-2570-003").exists()
        await chat.say("ยกเลิก")
        assert chat.screen.key == "confirm.cancel_draft"
        await chat.tap("ไม่ ทำต่อ")
        assert "ไม่มีการเปลี่ยนแปลง" in chat.text and "M1" in chat.screen.text
        await chat.say("/cancel")
        await chat.tap("ใช่ ลบร่าง")
        assert "ลบโครงการร่างแล้ว" in chat.text and chat.screen.key == "menu.text"
        assert not await Project.filter(code="CMI1-2570-003").exists()


async def test_cancel_before_the_project_exists_loses_nothing_stored(database: Database) -> None:
    async with demo_world(database) as world:
        chat = world.chat("suda")
        await chat.say("โครงการใหม่")
        await chat.say("โครงการที่ยังไม่แน่ใจ")
        await chat.tap("ยกเลิก")
        await chat.tap("ใช่ ยกเลิก")
        assert chat.screen.key == "menu.text"
        assert await Project.filter(owner=world.people["suda"]).count() == 1  # only the demo project


async def test_save_and_continue_returns_to_the_half_filled_list_item(database: Database) -> None:
    async with demo_world(database) as world:
        chat = world.chat("suda")
        await start_project(chat)
        await fill_m1(chat)
        await fill_m2(chat)
        await chat.say("เหตุผล")
        await chat.say("วัตถุประสงค์")  # taken at once
        await chat.say("ผลผลิต")
        await chat.say("ผลลัพธ์")
        await chat.say("ร้อยละครูที่ผ่านการอบรม")
        assert chat.screen.key == "reg.kpi.unit"
        await chat.tap("พักไว้ก่อน")
        assert "บันทึกไว้แล้ว" in chat.text and chat.screen.key == "menu.text"
        await chat.tap("ทำต่อ")
        assert chat.screen.key == "reg.kpi.unit"
        await chat.tap("ร้อยละ")
        await chat.say("90")
        assert "เพิ่มตัวชี้วัดแล้ว: ร้อยละครูที่ผ่านการอบรม — เป้าหมาย 90 ร้อยละ" in chat.text


async def test_stale_double_tapped_and_forged_buttons_get_the_live_question(database: Database) -> None:
    async with demo_world(database) as world:
        chat = world.chat("suda")
        await start_project(chat)
        level1 = chat.choice("ระดับ 1 ยุทธศาสตร์ชาติ").token
        await chat.press(level1)
        strategy = chat.choice("NS-03").token
        await chat.press(strategy)
        assert "เชื่อมโยงกับแผนระดับ 1: NS-03" in chat.text
        await chat.press(strategy)  # the double tap
        assert chat.last[0].text.startswith("ขั้นตอนนั้นผ่านไปแล้ว")
        assert chat.screen.choices and "แผนที่เชื่อมโยงแล้ว" in chat.screen.text
        await chat.press(level1)  # a button from an older message
        assert chat.last[0].text.startswith("ขั้นตอนนั้นผ่านไปแล้ว")
        for forged in ("garbage", "zzzzzz.NS-03", "9999.~submit", ""):
            await chat.press(forged)
            assert chat.last[0].text.startswith("ขั้นตอนนั้นผ่านไปแล้ว")
        project = await Project.get(code="CMI1-2570-003").prefetch_related("plan_links")
        assert len(project.plan_links) == 1 and project.status is ItemStatus.DRAFT


async def test_m1_explains_missing_levels_and_links_can_be_removed(database: Database) -> None:
    async with demo_world(database) as world:
        chat = world.chat("suda")
        await start_project(chat)
        await chat.tap("เสร็จ")
        assert "ขาดแผนระดับ 1, 2" in chat.last[0].text and "เป้าหมายของประเทศ" in chat.last[0].text
        await chat.tap("ระดับ 1 ยุทธศาสตร์ชาติ")
        await chat.tap("NS-03")
        await chat.tap("ระดับ 1 ยุทธศาสตร์ชาติ")
        await chat.tap("NS-04")
        await chat.tap("เสร็จ")
        assert "ขาดแผนระดับ 2" in chat.last[0].text
        await chat.tap("ลบ")
        await chat.tap("NS-04")
        assert "ยกเลิกการเชื่อมโยง NS-04" in chat.text
        await chat.tap("ระดับ 3 นโยบาย")
        await chat.tap("CAB ")
        await chat.say("มติ ครม. 4 ธ.ค. 2560 เรื่อง แผนสามระดับ")
        assert "เชื่อมโยงกับแผนระดับ 3: CAB" in chat.text
        links = (await Project.get(code="CMI1-2570-003").prefetch_related("plan_links__plan_node")).plan_links
        assert [(link.plan_node.code, link.reference_text) for link in links] == [
            ("NS-03", ""), ("CAB", "มติ ครม. 4 ธ.ค. 2560 เรื่อง แผนสามระดับ")]


async def test_admins_see_every_office_and_decide_but_do_not_register(database: Database) -> None:
    async with demo_world(database) as world:
        admin = world.chat("admin")
        await admin.say("เมนู")  # the menu itself greets with the office (after a refusal it is only its buttons)
        assert "(ส่วนกลาง)" in admin.screen.text and "📥 รออนุมัติ (0)" in admin.labels()
        await admin.tap("โครงการของหน่วยงาน")
        assert "CMI1-2570-001" in admin.screen.text and "CMI1-2570-002" in admin.screen.text
        await admin.say("โครงการใหม่")
        assert admin.last[0].key == "menu.owners_only"
        await admin.say("/history CMI1-2570-002")
        assert "CMI1-2570-002" in admin.screen.text


async def test_a_button_of_any_screen_can_be_typed_by_its_label_or_number(database: Database) -> None:
    async with demo_world(database) as world:
        chat = world.chat("suda")
        await chat.say("เมนู")
        await chat.say("ลงทะเบียนโครงการใหม่")  # the menu's button, typed (as a channel that cannot draw buttons asks)
        assert chat.screen.key == "reg.name"
        await chat.say("เมนู")
        await chat.say("โครงการของ")  # the start of a label is enough when only one label starts so
        assert chat.screen.key == "projects.text"
        await chat.say("1")  # the first button, by its number
        assert chat.screen.key == "project.card" and "โครงการยกระดับ" in chat.screen.text
        await chat.say("ข้อความที่ไม่ใช่ปุ่มใด")
        assert "กรุณาเลือกจากปุ่ม" in chat.text and chat.screen.key == "project.card"  # anything else: as before
