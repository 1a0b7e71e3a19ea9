"""Directors' and admins' questions in chat (status, pending, project, find, export), scoped by role and
office; the Excel export read back with openpyxl."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from PIL import Image

from conversations.messages import Attachment, Inbound, Reply
from models.db import Database
from models.enums import ItemStatus, Platform
from models.project import Kpi, Project
from models.report import QuarterReport, WindowException
from tests.support.reminders import second_office
from tests.support.scenario import fill_q1_report, open_report, send_back_submitted
from tests.support.transcript import Chat
from tests.support.world import World, demo_world

JAN_18 = datetime(2027, 1, 18, 2, 0, tzinfo=UTC)  # Q1's window: due 15 January, so three days late


async def _world_with_two_offices(world: World) -> None:
    await WindowException.all().delete()
    await second_office()  # LPN1 with director krit, owner dao, project LPN1-2570-001
    world.clock.set(JAN_18)


def _file(replies: list[Reply]) -> bytes:
    [content] = [reply.attachment.content for reply in replies if reply.attachment is not None]
    return content


async def test_a_director_asks_status_pending_project_find_and_export(database: Database) -> None:
    async with demo_world(database) as world:
        await _world_with_two_offices(world)
        owner = world.chat("suda")
        await open_report(owner)
        await fill_q1_report(owner)
        await owner.say("/submit")

        director = world.chat("somchai")
        await director.say("สถานะ")
        status = director.text
        assert "สถานะรายงานไตรมาส Q1/2570 (กำหนดส่ง 15 ม.ค. 2570)" in status
        assert "โครงการ 2 · ส่งตรงเวลา 0 · ส่งช้า 1 · ยังไม่ส่ง 1" in status
        assert "รออนุมัติ 1" in status and "เบิกจ่าย 98,500 บาท จากแผน 150,000 บาท (65.7%)" in status
        assert "LPN1" not in status  # another office
        assert director.screen.key == "menu.text"  # the screen the director was on stays

        await director.say("/pending Q1/2570")
        assert "ยังไม่ส่งรายงานไตรมาส Q1/2570 (1 โครงการ)" in director.text
        assert "CMI1-2570-002" in director.text and "นายวีระ แก้วมณี" in director.text
        assert "เลยกำหนด 3 วัน" in director.text and "CMI1-2570-001" not in director.text

        await director.say("โครงการ cmi1-2570-001")
        assert "งบประมาณ 520,000 บาท" in director.text and "Q1/2570: " in director.text
        assert "(ส่งช้า)" in director.text

        await director.say("ค้นหา การอ่าน")
        assert "CMI1-2570-001" in director.text and "CMI1-2570-002" not in director.text

        replies = await director.say("/export 2570")
        workbook = load_workbook(io.BytesIO(_file(replies)))
        assert "tidtam-CMI1-2570.xlsx" in director.text
        assert [row[0] for row in workbook["โครงการ"].iter_rows(min_row=2, values_only=True)] == [
            "CMI1-2570-001", "CMI1-2570-002"]


async def test_bad_arguments_are_explained(database: Database) -> None:
    async with demo_world(database) as world:
        director = world.chat("somchai")
        await director.say("/status Q5/2570")
        assert "ไตรมาส" in director.text and "/status Q1/2570" in director.text
        await director.say("/project")
        assert "พิมพ์ /project ตามด้วยรหัสโครงการ" in director.text
        await director.say("/find")
        assert "พิมพ์ /find ตามด้วยคำค้น" in director.text
        await director.say("/export ปีหน้า")
        assert "ไม่ใช่ปีงบประมาณ" in director.text
        await director.say("/project CMI9-2570-999")
        assert "ไม่พบโครงการ CMI9-2570-999" in director.text


CODES = {"CMI1-2570-001", "CMI1-2570-002", "LPN1-2570-001"}
SEES = {  # who sees which projects, whatever the command
    "suda": {"CMI1-2570-001"},
    "weera": {"CMI1-2570-002"},
    "somchai": {"CMI1-2570-001", "CMI1-2570-002"},
    "krit": {"LPN1-2570-001"},
    "dao": {"LPN1-2570-001"},
    "admin": CODES,
}


@pytest.mark.parametrize("person", sorted(SEES))
async def test_every_command_is_scoped_to_role_and_office(database: Database, person: str) -> None:
    async with demo_world(database) as world:
        await _world_with_two_offices(world)
        chat: Chat = world.chat(person)
        allowed = SEES[person]
        await chat.say("/pending")
        assert {code for code in CODES if code in chat.text} == allowed
        await chat.say("/status")
        named = {"CMI1" if "CMI1" in chat.text else "", "LPN1" if "LPN1" in chat.text else ""} - {""}
        assert named == {code.split("-")[0] for code in allowed}
        for code in sorted(CODES):
            await chat.say(f"/project {code}")
            assert ("ไม่พบโครงการ" not in chat.text) is (code in allowed), (person, code, chat.text)
        await chat.say("/find 2570")
        assert {code for code in CODES if code in chat.text} == allowed
        workbook = load_workbook(io.BytesIO(_file(await chat.say("/export"))))
        exported = {row[0] for row in workbook["โครงการ"].iter_rows(min_row=2, values_only=True)}
        assert exported == allowed


CODES_NOT_LABELS = {"draft", "submitted", "approved", "returned", "project", "routine", "direct", "via_agency",
                    "province", "personnel", "operating", "investment", "subsidy", "other", "central", "done",
                    "in_progress", "not_started", "image", "document"}
PHOTO = Attachment(kind="image", filename="workshop.jpg", content=b"\xff\xd8\xff\xe0 a workshop photo" * 100,
                   mime_type="image/jpeg")


async def test_the_export_rejoins_and_formats_money(database: Database) -> None:
    async with demo_world(database) as world:
        await _world_with_two_offices(world)
        owner = world.chat("suda")
        await open_report(owner)
        await fill_q1_report(owner)
        await owner.send(Inbound(Platform.CONSOLE, "suda", event_id="export-photo", attachment=PHOTO))
        await owner.say("/submit")
        workbook = load_workbook(io.BytesIO(_file(await world.chat("admin").say("/export"))))
        assert workbook.sheetnames == ["โครงการ", "ความสอดคล้องแผน", "ตัวชี้วัด", "กิจกรรม", "งบประมาณ",
                                       "รายงานรายไตรมาส", "ผลตัวชี้วัด", "ความก้าวหน้ากิจกรรม", "การขับเคลื่อนแผน",
                                       "หลักฐาน"]
        for sheet in workbook.worksheets:  # Thai labels, never the stored codes
            cells = {cell for row in sheet.iter_rows(values_only=True) for cell in row if isinstance(cell, str)}
            assert not cells & CODES_NOT_LABELS, (sheet.title, cells & CODES_NOT_LABELS)
        _check_labels_and_new_sheets(workbook)
        projects = {row[0]: row for row in workbook["โครงการ"].iter_rows(min_row=2, values_only=True)}
        assert set(projects) == CODES
        header = [cell.value for cell in workbook["โครงการ"][1]]
        assert header[:3] == ["รหัสโครงการ", "รหัส eMENSCR", "ปีงบประมาณ"]
        assert projects["CMI1-2570-001"][header.index("วันเริ่มต้น")].endswith("2569")  # BE dates
        for sheet in ("ความสอดคล้องแผน", "ตัวชี้วัด", "กิจกรรม", "งบประมาณ", "รายงานรายไตรมาส", "ผลตัวชี้วัด"):
            codes = {row[0] for row in workbook[sheet].iter_rows(min_row=2, values_only=True)}
            assert codes and codes <= set(projects), sheet  # every row joins back to a project
        kpi_ids = {row[1] for row in workbook["ตัวชี้วัด"].iter_rows(min_row=2, values_only=True)}
        assert kpi_ids == set(await Kpi.all().values_list("id", flat=True))
        values = list(workbook["ผลตัวชี้วัด"].iter_rows(min_row=2, values_only=True))
        assert {row[3] for row in values} <= kpi_ids and values[0][:3] == ("CMI1-2570-001", 2570, 1)
        activities = list(workbook["กิจกรรม"].iter_rows(min_row=2, values_only=True))
        ids = {row[1] for row in activities}
        assert any(row[2] is not None for row in activities) and {row[2] for row in activities} - {None} <= ids
        report = workbook["รายงานรายไตรมาส"]
        [row] = list(report.iter_rows(min_row=2))
        assert row[9].value == 98500 and row[9].number_format == "#,##0.00"
        assert (await QuarterReport.get(project__code="CMI1-2570-001")).status is ItemStatus.SUBMITTED
        budget = workbook["งบประมาณ"]
        assert all(row[5].number_format == "#,##0.00" for row in budget.iter_rows(min_row=2))
        assert await Project.all().count() == 3


def _rows(workbook: Workbook, sheet: str, code: str = "CMI1-2570-001") -> list[dict[str, Any]]:
    """A sheet's rows of one project, by Thai header."""
    rows = list(workbook[sheet].iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:] if row[0] == code]


def _check_labels_and_new_sheets(workbook: Workbook) -> None:
    [project] = _rows(workbook, "โครงการ")
    assert (project["สถานะ"], project["ประเภท"]) == ("อนุมัติแล้ว", "โครงการ")
    assert _rows(workbook, "โครงการ", "CMI1-2570-002")[0]["ประเภท"] == "การดำเนินงาน (งานประจำ)"
    budget = _rows(workbook, "งบประมาณ")
    assert [(row["แหล่งงบประมาณ"], row["ประเภทงบรายจ่าย"]) for row in budget] == [
        ("งบของหน่วยงานเอง", "งบดำเนินงาน"), ("ผ่านหน่วยงานอื่น", "งบดำเนินงาน"), ("งบจังหวัด", "งบดำเนินงาน")]
    [report] = _rows(workbook, "รายงานรายไตรมาส")
    assert (report["สถานะ"], report["ส่งช้า"]) == ("ส่งแล้ว รออนุมัติ", "ใช่")

    activities = _rows(workbook, "กิจกรรม")  # parents first, each followed by its sub-activities
    assert [(row["ลำดับ"], row["กิจกรรม"]) for row in activities] == [
        ("1", "ประชุมเชิงปฏิบัติการพัฒนาครู"), ("1.1", "อบรมครูภาษาไทย ป.1"), ("1.2", "อบรมครู ป.2–3"),
        ("2", "นิเทศ ติดตามการจัดการเรียนรู้ในโรงเรียน"), ("3", "ประเมินการอ่านการเขียน"), ("4", "สรุปและรายงานผล")]
    seen: set[int] = set()
    for row in activities:
        assert row["รหัสกิจกรรมหลัก"] is None or row["รหัสกิจกรรมหลัก"] in seen
        seen.add(row["รหัสกิจกรรม"])

    progress = _rows(workbook, "ความก้าวหน้ากิจกรรม")
    assert [(row["ปีงบประมาณ"], row["ไตรมาส"], row["ลำดับ"], row["สถานะกิจกรรม"], row["ความคืบหน้า (ร้อยละ)"])
            for row in progress] == [(2570, 1, "1", "กำลังดำเนินการ", 70), (2570, 1, "1.1", "เสร็จแล้ว", 100),
                                     (2570, 1, "1.2", "กำลังดำเนินการ", 60)]
    assert {row["รหัสกิจกรรม"] for row in progress} <= seen  # joins back to the activities

    contributions = _rows(workbook, "การขับเคลื่อนแผน")
    assert [(row["ไตรมาส"], row["การขับเคลื่อนในไตรมาสนี้"]) for row in contributions] == [
        (1, "ครูภาษาไทยได้รับการพัฒนาทักษะการสอนอ่าน"), (1, "นักเรียนได้รับการสอนอ่านตามแนวทางใหม่"),
        (1, "กำลังคนมีทักษะการเรียนรู้"), (1, "ดำเนินการตาม พ.ร.บ.การศึกษาแห่งชาติ มาตรา 22")]
    assert contributions[0]["รหัสแผน"] == "NS-03" and "ยุทธศาสตร์ชาติ" in contributions[0]["ชื่อแผน"]
    assert contributions[-1]["รหัสแผน"] == "LAW" and "พระราชบัญญัติการศึกษาแห่งชาติ" in contributions[-1]["ชื่อแผน"]

    [evidence] = _rows(workbook, "หลักฐาน")
    assert (evidence["ปีงบประมาณ"], evidence["ไตรมาส"], evidence["ชนิด"], evidence["ชื่อไฟล์"]) == (
        2570, 1, "รูปภาพ", "workshop.jpg")
    assert evidence["ประเภทไฟล์"] == "image/jpeg" and evidence["วันที่ได้รับ"].split()[-1].startswith("25")  # BE


async def test_the_chart_is_a_png_of_the_offices_and_quarters(database: Database) -> None:
    async with demo_world(database) as world:
        await _world_with_two_offices(world)
        replies = await world.chat("admin").say("กราฟ Q1/2570")
        [picture] = [reply.attachment for reply in replies if reply.attachment is not None]
        assert picture.kind == "image" and picture.mime_type == "image/png"
        assert picture.filename == "tidtam-2570-Q1.png" and picture.content.startswith(b"\x89PNG\r\n\x1a\n")
        image = Image.open(io.BytesIO(picture.content)).convert("RGB")
        assert image.size == (1200, 900)
        colors = {color for _, color in image.getcolors(maxcolors=1_000_000) or []}
        assert (0xC6, 0x28, 0x28) in colors  # the "not sent" bars: every report is outstanding
        assert (0x90, 0xA4, 0xAE) in colors  # the plan bars
        assert len(colors) > 50  # text and axes drawn, not a blank canvas


async def test_a_command_word_typed_as_an_answer_stays_an_answer(database: Database) -> None:
    async with demo_world(database) as world:
        chat = world.chat("suda")
        await chat.say("/new")
        await chat.say("โครงการ ห้องเรียนคุณภาพ")  # the project's name, which starts like /project
        assert "ห้องเรียนคุณภาพ" in chat.text and "ไม่พบโครงการ" not in chat.text


async def test_review_fixes_in_chat(database: Database) -> None:
    """A return comment that starts like a command, a draft's money, formula text, odd digits, two-word search."""
    async with demo_world(database) as world:
        await _world_with_two_offices(world)
        owner = world.chat("suda")
        await open_report(owner)
        await fill_q1_report(owner)  # a draft with 98,500 disbursed, not yet submitted
        director = world.chat("somchai")
        await director.say("สถานะ Q1/2570")
        assert "เบิกจ่าย 0 บาท จากแผน 150,000 บาท (0%)" in director.text  # a draft is not reported money

        await send_back_submitted(owner, director, "โครงการ ยังไม่แนบหลักฐานการเบิกจ่าย")  # a comment, not /project
        report = await QuarterReport.get(project__code="CMI1-2570-001")
        assert report.status is ItemStatus.RETURNED and report.decision_comment.startswith("โครงการ ยังไม่แนบ")

        await Project.filter(code="CMI1-2570-002").update(name='=HYPERLINK("http://evil.example","คลิก")')
        workbook = load_workbook(io.BytesIO(_file(await director.say("/export"))))
        [cell] = [row[6] for row in workbook["โครงการ"].iter_rows(min_row=2) if row[0].value == "CMI1-2570-002"]
        assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")  # text, never a formula

        await director.say("/export ๒๕๗๐x")
        assert "ไม่ใช่ปีงบประมาณ" in director.text
        await director.say("/export ²")
        assert "ไม่ใช่ปีงบประมาณ" in director.text
        await director.say("ส่งออก ๒๕๗๐")  # Thai digits are a year like any other
        assert "tidtam-CMI1-2570.xlsx" in director.text
        await director.say("ค้นหา การอ่าน CMI1")  # one word in the name, the other in the code
        assert "CMI1-2570-001" in director.text


async def test_find_matches_digits_however_they_were_typed(database: Database) -> None:
    async with demo_world(database) as world:
        project = await Project.get(code="CMI1-2570-001")
        project.name = "อบรมครูภาษาไทย รุ่น ๗๗๓๑"  # free text keeps the Thai digits it was typed with
        await project.save()
        director = world.chat("somchai")
        for words in ("7731", "๗๗๓๑", "รุ่น 7731", "๒๕๗๐-๐๐๑"):
            await director.say(f"/find {words}")
            assert "CMI1-2570-001" in director.text, (words, director.text)
