"""The plan in chat, on both stand-ins: a director asks for the template and sends it back filled; the owners it
names find their drafts behind the notice's button; a file with errors comes back marked; other files are
explained in Thai."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime

from openpyxl import load_workbook

from conversations.copy import render
from conversations.oversight.export import XLSX
from models.project import Project
from tests.support.line_world import line_world
from tests.support.plan_files import plan_workbook, reading_plan
from tests.support.telegram_app import assert_within_limits, telegram_app
from tests.support.telegram_user import buttons

SEP_1 = datetime(2026, 9, 1, 3, 0, tzinfo=UTC)  # before fiscal year 2570 starts: the plan is imported now


def _with_a_bad_amount() -> bytes:
    rows = reading_plan()
    rows["xl.sheet.budget"][0]["จำนวนเงิน (บาท)"] = "ราวหนึ่งล้าน"
    return plan_workbook(rows)


async def test_telegram_a_director_imports_the_plan_and_the_owner_opens_her_draft(empty_database_url: str) -> None:
    async with telegram_app(empty_database_url) as rig:
        rig.clock.set(SEP_1)
        suda = await rig.link(rig.user(7001), "suda")
        somchai = await rig.link(rig.user(7003, "สมชาย", "ใจดี"), "somchai")

        await suda.say("/template")
        assert render("imp.deciders_only") in suda.text and not rig.standin.called("sendDocument")
        await somchai.say("/template")
        [template] = rig.standin.called("sendDocument")
        name, content = template.files["document"]
        assert name == "tidtam-template.xlsx" and "คำแนะนำ" in load_workbook(io.BytesIO(content)).sheetnames

        await somchai.send_document("แผนปฏิบัติการ 2570.xlsx", _with_a_bad_amount(), XLSX)
        assert "ได้รับไฟล์ แผนปฏิบัติการ 2570.xlsx" in somchai.text
        assert "ไฟล์มีข้อผิดพลาด 1 จุด ยังไม่ได้บันทึกอะไรเลย" in somchai.text
        assert "แผ่นงาน «งบประมาณ» แถว 2 คอลัมน์ «จำนวนเงิน (บาท)»: «ราวหนึ่งล้าน»" in somchai.text
        marked = rig.standin.called("sendDocument")[-1].files["document"]
        assert marked[0] == "แผนปฏิบัติการ 2570-errors.xlsx"
        assert load_workbook(io.BytesIO(marked[1])).sheetnames[0] == render("imp.sheet.errors")
        count = await Project.all().count()

        await somchai.send_document("แผนปฏิบัติการ 2570.xlsx", plan_workbook(reading_plan()), XLSX)
        assert "สร้างร่างใหม่ 2 โครงการ" in somchai.text and await Project.all().count() == count + 2
        assert "เติมจากข้อมูลบุคลากรปัจจุบัน (2 โครงการ)" in somchai.text
        said = [message.get("text", "") for message in somchai.last]
        progress = said.index(render("imp.progress", done=2, total=2))  # said while the import ran, in order
        assert said[0].startswith("📄 ได้รับไฟล์") and progress < next(
            index for index, text in enumerate(said) if "สร้างร่างใหม่" in text)

        await suda.say("เมนู")
        assert "นำเข้าโครงการ" in suda.text and "โครงการส่งเสริมการอ่าน" in suda.text
        [notice] = [message for message in suda.last if "นำเข้าโครงการ" in message.get("text", "")]
        [(label, data)] = buttons(notice)
        assert label == render("remind.open_project")
        await suda.press(notice, data)
        assert "โครงการส่งเสริมการอ่าน" in suda.text and "ร่าง" in suda.text
        assert "✅ M2 ข้อมูลทั่วไป" in suda.text  # the blank contacts came from the records: nothing to ask her
        assert "• ผู้อำนวยการ: นายสมชาย ใจดี" in suda.text and "• โทรศัพท์ผู้รับผิดชอบ: 081-234-5678" in suda.text

        admin = await rig.link(rig.user(7004, "ผู้ดูแล", "ระบบ"), "admin")
        await admin.send_document("plan.xlsx", plan_workbook(reading_plan()), XLSX)  # which office? the CLI says
        assert render("imp.no_office") in admin.text
        await somchai.send_document("big.xlsx", b"PK", XLSX, size=11 * 1024 * 1024)
        assert render("input.file_too_large", limit=10) in somchai.text
        assert_within_limits(rig.standin)


async def test_line_a_director_imports_the_plan_and_a_pdf_is_explained(empty_database_url: str) -> None:
    async with line_world(empty_database_url) as world:
        world.clock.set(SEP_1)
        owner = await world.linked("weera", "วีระ")
        director = await world.linked("somchai", "สมชาย")
        await director.send_file("plan.xlsx", plan_workbook(reading_plan()), XLSX)
        assert "สร้างร่างใหม่ 2 โครงการ" in director.text  # LINE answers once: no word of progress before
        await director.send_file("plan.xlsx", plan_workbook(reading_plan()), XLSX)
        assert "สร้างร่างใหม่ 0 โครงการ" in director.text and "ไม่เปลี่ยน 2 โครงการ" in director.text
        await director.send_file("แผน.pdf", b"%PDF-1.7 a scanned plan", "application/pdf")
        assert render("imp.not_workbook") in director.text

        await owner.say("เมนู")
        assert "นิเทศติดตามโรงเรียน" in owner.text
        assert render("remind.open_project") in json.dumps(owner.last, ensure_ascii=False)
        await owner.send_file("plan.xlsx", plan_workbook(reading_plan()), XLSX)  # an owner's file is no plan
        assert render("input.unsupported") in owner.text
        assert not world.standin.rejected
