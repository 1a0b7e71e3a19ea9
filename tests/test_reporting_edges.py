"""Reporting at its edges: lock day, midnight in Bangkok, evidence limits, returned reports, inbox order."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from conversations.messages import Attachment, Inbound
from conversations.service.workflow import DecisionRefused, decide
from models.db import Database
from models.enums import ItemStatus, Platform, Role
from models.org import Office, User
from models.project import Activity, Project
from models.report import QuarterReport, ReportAttachment, WindowException
from models.runtime import AuditEntry
from tests.support.scenario import fill_q1_report, open_report
from tests.support.transcript import Chat
from tests.support.world import World, demo_world

JAN_5 = datetime(2027, 1, 5, 2, 0, tzinfo=UTC)


async def at(world: World, moment: datetime, *, keep_exception: bool = False) -> None:
    world.clock.set(moment)
    if not keep_exception:
        await WindowException.all().delete()


async def submit_q1(owner: Chat) -> None:
    await open_report(owner)
    await fill_q1_report(owner)
    await owner.say("/submit")  # on the review card: the card is the confirmation


@pytest.mark.parametrize(("moment", "late"), [
    (datetime(2027, 1, 15, 16, 59, tzinfo=UTC), False),  # 23:59 on the due day in Bangkok
    (datetime(2027, 1, 15, 17, 0, tzinfo=UTC), True),  # 00:00 the next day in Bangkok
])
async def test_the_due_day_ends_at_midnight_in_bangkok(database: Database, moment: datetime, late: bool) -> None:
    async with demo_world(database) as world:
        await at(world, JAN_5)
        owner = world.chat("suda")
        await open_report(owner)
        await fill_q1_report(owner)
        world.clock.set(moment)
        await owner.say("/submit")
        report = await QuarterReport.get(fiscal_year=2570, quarter=1)
        assert (report.status, report.late) == (ItemStatus.SUBMITTED, late)


async def test_a_submission_after_the_lock_day_is_refused_and_said_so(database: Database) -> None:
    async with demo_world(database) as world:
        await at(world, datetime(2027, 1, 29, 2, 0, tzinfo=UTC))
        owner = world.chat("suda")
        await open_report(owner)
        await fill_q1_report(owner)
        world.clock.set(datetime(2027, 1, 31, 2, 0, tzinfo=UTC))  # the lock day passed meanwhile
        await owner.say("/submit")
        keys = [reply.key for reply in owner.last]
        assert "report.closed_now" in keys and "submit.report_done" not in keys
        report = await QuarterReport.get(fiscal_year=2570, quarter=1)
        assert report.status is ItemStatus.DRAFT
        await owner.say("รายงานผล")
        assert "Q1/2570 · 🔒 ปิดรับแล้ว" in owner.screen.text


async def test_evidence_is_limited_to_five_files_of_ten_megabytes_and_can_be_removed(database: Database) -> None:
    async with demo_world(database) as world:
        await at(world, JAN_5)
        owner = world.chat("suda")
        await open_report(owner)
        await fill_q1_report(owner)
        big = Attachment("document", "scan.pdf", b"x" * (10 * 1024 * 1024 + 1), "application/pdf")
        await owner.send(Inbound(Platform.CONSOLE, "suda", event_id="big", attachment=big))
        assert owner.last[0].key == "evidence.too_big"
        for number in range(1, 7):
            photo = Attachment("image", f"photo{number}.jpg", f"photo {number}".encode(), "image/jpeg")
            await owner.send(Inbound(Platform.CONSOLE, "suda", event_id=f"p{number}", attachment=photo))
        assert owner.last[0].key == "evidence.full"
        await owner.tap("✏️ ปัญหาและหลักฐาน")  # sent on the review card; removed on the evidence step
        await owner.tap("หลักฐาน")
        await owner.tap("ลบ")
        await owner.tap("2. photo2.jpg")
        assert "ลบ “photo2.jpg” แล้ว" in owner.text
        await owner.tap("เสร็จ")
        report = await QuarterReport.get(fiscal_year=2570, quarter=1)
        names = await ReportAttachment.filter(report=report).order_by("id").values_list("filename", flat=True)
        assert names == ["photo1.jpg", "photo3.jpg", "photo4.jpg", "photo5.jpg"]
        audits = await AuditEntry.filter(entity="report", field="attachments").order_by("id")
        assert json.loads(audits[-1].before) == "photo2.jpg" and audits[-1].after == "null"


async def test_a_report_returned_after_the_lock_day_can_still_be_fixed_and_keeps_its_lateness(
        database: Database) -> None:
    async with demo_world(database) as world:
        await at(world, datetime(2027, 1, 10, 2, 0, tzinfo=UTC))
        owner, director = world.chat("suda"), world.chat("somchai")
        await submit_q1(owner)
        world.clock.set(datetime(2027, 2, 2, 2, 0, tzinfo=UTC))  # after the lock day
        await director.say("รออนุมัติ")
        await director.tap("1. รายงาน")
        await director.tap("ส่งกลับแก้ไข")
        await director.say("ตัวชี้วัดที่ 1 ยังไม่ตรงกับผลสอบ")
        await owner.say("รายงานผล")
        assert "Q1/2570 · ↩️ ส่งกลับให้แก้ไข" in owner.screen.text
        await owner.tap("Q1/2570 โครงการยกระดับ")
        assert "ผลสอบ" in owner.text and owner.screen.key == "rep.kpi.value"  # opened on the KPI named
        await owner.say("64")
        await owner.say("/submit")
        report = await QuarterReport.get(fiscal_year=2570, quarter=1)
        assert report.status is ItemStatus.SUBMITTED and not report.late  # first sent on time
        history = [(e.field, e.before, e.after) for e in await AuditEntry.filter(entity="report").order_by("id")]
        assert ("decision_comment", "null", json.dumps("ตัวชี้วัดที่ 1 ยังไม่ตรงกับผลสอบ", ensure_ascii=False)) in history
        assert any(field == "kpi_values" and "62" in before and "64" in after for field, before, after in history)


async def test_a_returned_report_can_be_fixed_before_its_window_opens(database: Database) -> None:
    async with demo_world(database) as world:  # the demo lets Q1 be reported in November, before it ends
        owner, director = world.chat("suda"), world.chat("somchai")
        await submit_q1(owner)
        await director.say("รออนุมัติ")
        await director.tap("1. รายงาน")
        await director.tap("ส่งกลับแก้ไข")
        await director.say("เพิ่มรายละเอียดผลผลิต")
        await owner.say("รายงานผล")
        assert "Q1/2570 · ↩️ ส่งกลับให้แก้ไข" in owner.screen.text
        await owner.tap("Q1/2570 โครงการยกระดับ")
        assert owner.screen.key in ("review", "hub.text", "rep.output")


async def test_the_inbox_names_items_not_positions_and_forgets_what_was_just_decided(database: Database) -> None:
    async with demo_world(database) as world:
        await at(world, JAN_5)
        owner, director = world.chat("suda"), world.chat("somchai")
        await submit_q1(owner)
        await director.say("รออนุมัติ")
        first_button = director.choice("1. รายงาน").token
        b = await Project.get(code="CMI1-2570-002")
        b.status = ItemStatus.SUBMITTED
        await b.save()  # another item arrives before the director taps
        await director.press(first_button)
        assert director.screen.key == "item.card" and "Q1/2570" in director.screen.text
        await director.tap("✅ อนุมัติ")
        await director.say("ใช่")
        assert "อนุมัติรายงาน Q1/2570 ของ CMI1-2570-001 แล้ว" in director.text
        assert "CMI1-2570-001" not in director.screen.text and "CMI1-2570-002" in director.screen.text
        await director.tap("1. ทะเบียนโครงการ")
        assert "การดำเนินงานนิเทศ" in director.screen.text


async def test_decisions_are_refused_outside_the_office_and_off_a_submitted_item(database: Database) -> None:
    async with demo_world(database) as world:
        await at(world, JAN_5)
        await submit_q1(world.chat("suda"))
        report = await QuarterReport.get(fiscal_year=2570, quarter=1)
        other = await Office.create(code="LPN1", name="สพป.ลำพูน เขต 1")
        stranger = await User.create(name="ผอ.ต่างเขต", role=Role.DIRECTOR, office=other)
        with pytest.raises(DecisionRefused):
            await decide("report", report.id, True, "", stranger, world.clock())
        with pytest.raises(DecisionRefused):
            await decide("report", report.id, True, "", world.people["suda"], world.clock())  # an owner
        await decide("report", report.id, True, "", world.people["somchai"], world.clock())
        with pytest.raises(DecisionRefused):  # decided already: a second press changes nothing
            await decide("report", report.id, False, "ช้าไป", world.people["admin"], world.clock())
        await report.refresh_from_db()
        assert report.status is ItemStatus.APPROVED and report.decision_comment == ""


async def test_a_project_without_budget_or_activities_in_the_quarter_skips_those_sections(database: Database) -> None:
    async with demo_world(database) as world:
        await at(world, datetime(2027, 4, 3, 2, 0, tzinfo=UTC))  # Q2 open
        await Activity.filter(project__code="CMI1-2570-002").update(quarters=[1])
        owner = world.chat("weera")
        await owner.say("รายงานผล")
        await owner.tap("Q2/2570 การดำเนินงานนิเทศ")
        await owner.say("นิเทศครบทุกโรงเรียน")
        await owner.say("ครูปรับการสอน")
        await owner.say("100")
        await owner.tap("ตอบแยกรายแผน")
        for text in ("ก", "ข"):
            await owner.say(text)
        assert owner.screen.key == "rep.problems"  # no activities this quarter, no budget: R3 and R5 skipped
        await owner.tap("ข้าม")
        assert "➖ ความก้าวหน้ากิจกรรม" in owner.screen.text and "➖ การเบิกจ่าย" in owner.screen.text
        await owner.say("เมนู")
        await owner.say("รายงานผล")
        await owner.tap("Q2/2570 การดำเนินงานนิเทศ")
        assert owner.screen.key == "review"  # the skipped answers were kept: nothing is asked again
