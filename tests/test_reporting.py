"""Quarterly reports on a stepping clock: windows, KPI shares, shortfall reasons, evidence, decisions."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from conversations.messages import Attachment, Inbound
from models.db import Database
from models.enums import ActivityState, ItemStatus, Platform
from models.project import Project
from models.report import ActivityProgress, KpiValue, QuarterReport, ReportAttachment, ReportingWindow, WindowException
from models.runtime import AuditEntry, Notification
from tests.support.scenario import fill_q1_report, submit_and_return_q1
from tests.support.world import World, demo_world

JAN_5 = datetime(2027, 1, 5, 2, 0, tzinfo=UTC)  # 09:00 in Bangkok: Q1's window is open, due 15 Jan
PHOTO = Attachment(kind="image", filename="workshop.jpg", content=b"\xff\xd8\xff\xe0 a workshop photo",
                   mime_type="image/jpeg")


async def at(world: World, moment: datetime) -> None:
    """Move the clock, and drop the demo's early-reporting exception so that real windows apply."""
    world.clock.set(moment)
    await WindowException.all().delete()


async def test_q1_is_reported_on_time_and_approved(database: Database) -> None:
    async with demo_world(database) as world:
        await at(world, JAN_5)
        owner = world.chat("suda")
        await owner.say("รายงานผล")
        listing = owner.screen.text
        assert "Q1/2570 · 🟢 เปิดรายงาน ครบกำหนด 15 ม.ค. 2570 (อีก 10 วัน)" in listing
        assert "Q2/2570 · ○ ยังไม่เปิด (เปิด 1 เม.ย. 2570)" in listing
        await owner.tap("Q1/2570 โครงการยกระดับ")
        await owner.say("อบรม 2 รุ่น")
        await owner.say("ทดสอบพื้นฐานแล้ว")
        assert "เป้าหมาย 85 ร้อยละ" in owner.screen.text  # known, shown, not asked
        await owner.say("62")
        assert "✔️ รับทราบ: 62 — คิดเป็น 72.9% ของเป้าหมาย 85 ร้อยละ" in owner.text
        await owner.say("180")
        assert "คิดเป็น 75% ของเป้าหมาย 240 คน" in owner.text
        await owner.tap("กำลังดำเนินการ")
        await owner.say("70")
        await owner.tap("เสร็จแล้ว")
        await owner.tap("กำลังดำเนินการ")
        await owner.say("ร้อยละ 60")
        await owner.tap("ตอบแยกรายแผน")
        for text in ("ก", "ข", "ค", "ง"):
            await owner.say(text)
        assert "แผนไตรมาสนี้ 150,000 บาท" in owner.screen.text
        await owner.say("98,500")
        assert "คิดเป็น 65.7% ของแผน 150,000 บาท" in owner.text and owner.screen.key == "rep.shortfall"
        await owner.say("ข้าม")
        assert owner.last[0].key == "nav.required"  # below plan: the reason cannot be skipped
        await owner.say("เลื่อนการอบรมรุ่นที่ 2 ไปเดือนมกราคม")
        assert "ส่งได้ที่หน้าตรวจทานท้ายรายงาน" in owner.screen.text  # where evidence goes, said with the problems
        await owner.say("โรงเรียนไกลส่งครูไม่ได้")
        assert owner.screen.key == "review"  # evidence is not asked on the way: sent on the card
        await owner.send(Inbound(Platform.CONSOLE, "suda", event_id="photo-1", attachment=PHOTO))
        assert "ได้รับ “workshop.jpg” แล้ว (1/5)" in owner.text
        assert owner.screen.key == "review" and "ข้อมูลครบแล้ว" in owner.screen.text
        assert "🖼 workshop.jpg" in owner.screen.text
        await owner.tap("ส่งให้ผู้อำนวยการ")  # the review card on show is the confirmation
        assert "ส่งรายงาน" in owner.text and "ให้ผู้อำนวยการแล้ว" in owner.text

        report = await QuarterReport.get(project__code="CMI1-2570-001", fiscal_year=2570, quarter=1)
        assert (report.status, report.late, report.submitted_at) == (ItemStatus.SUBMITTED, False, JAN_5)
        assert (report.planned_amount, report.disbursed_amount) == (Decimal(150000), Decimal(98500))
        assert report.shortfall_reason == "เลื่อนการอบรมรุ่นที่ 2 ไปเดือนมกราคม"
        assert set(report.plan_contributions) == {"NS-03", "MP-12-01-Y1", "NESDP13-12",
                                                  "LAW:พระราชบัญญัติการศึกษาแห่งชาติ พ.ศ. 2542"}
        assert report.law_contribution == "ง"
        values = {value.kpi.name: value.value for value in await KpiValue.filter(report=report).prefetch_related("kpi")}
        assert values == {"ร้อยละนักเรียนที่อ่านออกเขียนได้ตามเกณฑ์": Decimal(62), "จำนวนครูที่ผ่านการอบรม": Decimal(180)}
        progress = sorted((p.state, p.percent) for p in await ActivityProgress.filter(report=report))
        assert progress == [(ActivityState.DONE, 100), (ActivityState.IN_PROGRESS, 60), (ActivityState.IN_PROGRESS, 70)]
        photo = await ReportAttachment.get(report=report)
        assert (photo.filename, photo.content, photo.kind) == ("workshop.jpg", PHOTO.content, "image")

        director = world.chat("somchai")
        await director.say("สวัสดี")
        assert "ส่งรายงาน Q1/2570 ของ CMI1-2570-001" in director.text  # told on the next turn
        assert "📥 รออนุมัติ (1)" in director.labels()
        await director.tap("รออนุมัติ")
        await director.tap("1. รายงาน Q1/2570")
        assert "เบิกจ่ายจริง: 98,500 บาท" in director.screen.text and "🖼 workshop.jpg" in director.screen.text
        await director.tap("✅ อนุมัติ")
        assert "อนุมัติรายงาน Q1/2570 ของ CMI1-2570-001 ใช่ไหมคะ" in director.text  # a report, not the registration
        await director.say("ใช่")
        assert "อนุมัติรายงาน Q1/2570 ของ CMI1-2570-001 แล้ว" in director.text
        await report.refresh_from_db()
        assert report.status is ItemStatus.APPROVED and report.decided_at == JAN_5

        await owner.say("เมนู")
        assert "นายสมชาย ใจดี อนุมัติรายงาน Q1/2570 ของ CMI1-2570-001 แล้ว" in owner.text
        await owner.say("รายงานผล")
        assert "Q1/2570 · ✅ อนุมัติแล้ว" in owner.screen.text
        await owner.tap("Q1/2570 โครงการยกระดับ")  # approved: shown, locked
        assert owner.screen.key == "item.card" and "✅ อนุมัติ" not in owner.labels()
        assert "🔓 ขอแก้ไข (ส่งอนุมัติใหม่)" in owner.labels()  # changes need a new round
        assert await Notification.filter(shown_at__isnull=True).count() == 0


async def test_a_late_report_is_taken_and_flagged(database: Database) -> None:
    async with demo_world(database) as world:
        await at(world, datetime(2027, 1, 20, 2, 0, tzinfo=UTC))
        owner = world.chat("suda")
        await owner.say("รายงานผล")
        assert "🔴 เลยกำหนด 15 ม.ค. 2570 มา 5 วัน ยังส่งได้ถึง 30 ม.ค. 2570" in owner.screen.text
        await owner.tap("Q1/2570 โครงการยกระดับ")
        assert "จะถูกบันทึกว่าส่งช้า" in owner.text
        await fill_q1_report(owner)
        await owner.say("/submit")
        report = await QuarterReport.get(fiscal_year=2570, quarter=1)
        assert report.status is ItemStatus.SUBMITTED and report.late
        director = world.chat("somchai")
        await director.say("รออนุมัติ")
        assert "(ส่งช้า)" in director.screen.text
        await owner.say("รายงานผล")
        assert "📤 ส่งแล้ว (ช้ากว่ากำหนด) รออนุมัติ" in owner.screen.text


async def test_a_future_quarter_is_refused_with_the_day_it_opens(database: Database) -> None:
    async with demo_world(database) as world:
        await at(world, JAN_5)
        owner = world.chat("suda")
        await owner.say("รายงานผล")
        await owner.tap("Q2/2570 โครงการยกระดับ")
        assert owner.last[0].text == "Q2/2570 ยังไม่เปิดให้รายงานค่ะ จะเปิดวันที่ 1 เม.ย. 2570"
        assert owner.screen.key == "reports.text"
        assert not await QuarterReport.exists()


async def test_a_locked_quarter_opens_only_with_an_exception(database: Database) -> None:
    async with demo_world(database) as world:
        await at(world, datetime(2027, 2, 5, 2, 0, tzinfo=UTC))
        owner = world.chat("suda")
        await owner.say("รายงานผล")
        assert "Q1/2570 · 🔒 ปิดรับแล้ว" in owner.screen.text
        await owner.tap("Q1/2570 โครงการยกระดับ")
        assert "ปิดรับรายงานแล้วเมื่อ 30 ม.ค. 2570" in owner.last[0].text
        project = await Project.get(code="CMI1-2570-001")
        await WindowException.create(fiscal_year=2570, quarter=1, office_id=project.office_id, until=date(2027, 2, 10),
                                     reason="ระบบ GFMIS ขัดข้อง", granted_by=world.people["admin"])
        await owner.say("รายงานผล")
        await owner.tap("Q1/2570 โครงการยกระดับ")
        assert owner.screen.key == "rep.output"
        await fill_q1_report(owner)
        await owner.tap("ส่งให้ผู้อำนวยการ")
        report = await QuarterReport.get(fiscal_year=2570, quarter=1)
        assert report.status is ItemStatus.SUBMITTED and report.late


async def test_a_window_override_moves_the_due_date(database: Database) -> None:
    async with demo_world(database) as world:
        await at(world, datetime(2027, 1, 20, 2, 0, tzinfo=UTC))
        await ReportingWindow.create(fiscal_year=2570, quarter=1, opens_on=date(2027, 1, 4), due_on=date(2027, 1, 29),
                                     note="หนังสือ ศธ 04001/ว 123")
        owner = world.chat("suda")
        await owner.say("รายงานผล")
        assert "Q1/2570 · 🟢 เปิดรายงาน ครบกำหนด 29 ม.ค. 2570 (อีก 9 วัน)" in owner.screen.text


async def test_a_returned_report_is_fixed_resubmitted_and_approved(database: Database) -> None:
    async with demo_world(database) as world:
        await at(world, JAN_5)
        owner, director = world.chat("suda"), world.chat("somchai")
        await submit_and_return_q1(owner, director, "ยอดเบิกจ่ายไม่ตรงกับ GFMIS กรุณาตรวจสอบ")
        assert "ส่งรายงาน Q1/2570 ของ CMI1-2570-001 กลับให้แก้ไขพร้อมความเห็นแล้ว" in director.text
        # nothing pushes in this world: the owner sees it at her next message, and the director is told so
        assert "เจ้าของโครงการยังไม่มีแชตที่ระบบส่งข้อความถึงได้ จะเห็นเรื่องนี้เมื่อส่งข้อความมาครั้งถัดไป" \
            in director.text
        report = await QuarterReport.get(fiscal_year=2570, quarter=1)
        assert report.status is ItemStatus.RETURNED and "GFMIS" in report.decision_comment

        await owner.say("รายงานผล")
        assert "ส่งรายงาน Q1/2570 ของ CMI1-2570-001 กลับให้แก้ไข: “ยอดเบิกจ่ายไม่ตรงกับ GFMIS กรุณาตรวจสอบ”" in owner.text
        assert "Q1/2570 · ↩️ ส่งกลับให้แก้ไข" in owner.screen.text
        await owner.tap("Q1/2570 โครงการยกระดับ")
        assert "GFMIS" in owner.text  # the comment is shown again with the report
        await owner.say("ตรวจทาน")
        await owner.tap("✏️ การเบิกจ่าย")
        await owner.tap("เบิกจ่ายจริง")
        await owner.say("150,000")  # on plan now: the shortfall reason no longer applies
        assert owner.screen.key == "section.view" and "เหตุผลที่เบิกจ่ายต่ำกว่าแผน" not in owner.screen.text
        await owner.say("/submit")
        await owner.say("ใช่")
        await director.say("รออนุมัติ")
        await director.tap("1. รายงาน Q1/2570")
        await director.tap("✅ อนุมัติ")
        await director.tap("ยืนยันอนุมัติ")
        await report.refresh_from_db()
        assert report.status is ItemStatus.APPROVED and report.disbursed_amount == Decimal(150000)
        assert report.shortfall_reason == ""
        statuses = await AuditEntry.filter(entity="report", field="status").order_by("id").values_list(
            "after", flat=True)
        assert statuses == ['"submitted"', '"returned"', '"submitted"', '"approved"']
