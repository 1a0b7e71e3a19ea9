"""A quarterly report filed over Telegram, with a photo and a PDF sent as evidence, then approved there too."""

from __future__ import annotations

from datetime import UTC, datetime

from models.enums import ItemStatus
from models.report import QuarterReport, ReportAttachment, WindowException
from tests.support.scenario import open_report
from tests.support.telegram_app import assert_within_limits, telegram_app
from tests.support.telegram_user import TelegramUser

JAN_5 = datetime(2027, 1, 5, 2, 0, tzinfo=UTC)  # Q1's reporting window is open


async def fill_q1(user: TelegramUser) -> None:
    """The scenarios' Q1 report of Project A (``scenario.fill_q1_report``, which reads copy keys Telegram lacks)."""
    await user.say("อบรมเชิงปฏิบัติการ 2 รุ่น ครูผ่านการอบรม 180 คน")
    await user.say("ยังเร็วเกินไปที่จะวัดผลการอ่าน ทดสอบพื้นฐาน (baseline) แล้ว")
    await user.say("62")
    assert "คิดเป็น 72.9% ของเป้าหมาย 85 ร้อยละ" in user.text
    await user.say("180 คน")
    await user.tap("กำลังดำเนินการ")  # 1 the workshops
    await user.say("70")
    await user.tap("เสร็จแล้ว")  # 1.1 grade 1 teachers
    await user.tap("กำลังดำเนินการ")  # 1.2 grades 2-3
    await user.say("60%")
    await user.tap("ตอบแยกรายแผน")
    for text in ("ครูภาษาไทยได้รับการพัฒนาทักษะการสอนอ่าน", "นักเรียนได้รับการสอนอ่านตามแนวทางใหม่",
                 "กำลังคนมีทักษะการเรียนรู้", "ดำเนินการตาม พ.ร.บ.การศึกษาแห่งชาติ มาตรา 22"):
        await user.say(text)
    await user.say("98,500")
    assert "คิดเป็น 65.7% ของแผน 150,000 บาท" in user.text  # below plan: the reason is asked next
    await user.say("เลื่อนการอบรมรุ่นที่ 2 ไปเดือนมกราคม เพราะตรงกับช่วงสอบกลางภาค")
    await user.say("โรงเรียนที่อยู่ไกลส่งครูมาอบรมในวันธรรมดาไม่ได้")


async def test_q1_is_reported_with_evidence_and_approved_over_telegram(empty_database_url: str) -> None:
    async with telegram_app(empty_database_url) as rig:
        rig.clock.set(JAN_5)
        await WindowException.all().delete()  # the demo's early-reporting exception: real windows apply
        suda = await rig.link(rig.user())
        somchai = await rig.link(rig.user(7003, "สมชาย", "ใจดี"), "somchai")

        await open_report(suda)  # type: ignore[arg-type]
        await fill_q1(suda)
        assert "ข้อมูลครบแล้ว" in suda.screen["text"]  # the review card: evidence is sent here, not asked
        photo = b"\xff\xd8\xff\xe0" + b"workshop photo" * 100
        await suda.send_photo(photo)
        assert "(1/5)" in suda.text
        pdf = b"%PDF-1.7 " + b"attendance list " * 200
        await suda.send_document("รายชื่อผู้เข้าอบรม.pdf", pdf, "application/pdf")
        assert "ได้รับ “รายชื่อผู้เข้าอบรม.pdf” แล้ว (2/5)" in suda.text
        assert "ข้อมูลครบแล้ว" in suda.screen["text"] and "📄 รายชื่อผู้เข้าอบรม.pdf" in suda.screen["text"]
        await suda.tap("ส่งให้ผู้อำนวยการ")
        assert "ส่งรายงาน" in suda.text and "ให้ผู้อำนวยการแล้ว" in suda.text

        report = await QuarterReport.get(project__code="CMI1-2570-001", fiscal_year=2570, quarter=1)
        assert report.status is ItemStatus.SUBMITTED and not report.late
        files = {(item.kind, item.content) for item in await ReportAttachment.filter(report=report)}
        assert files == {("image", photo), ("document", pdf)}  # the bytes Telegram holds, fetched with getFile

        await somchai.say("รออนุมัติ")
        await somchai.tap("1. รายงาน Q1/2570")
        await somchai.tap("✅ อนุมัติ")
        await somchai.say("ใช่")
        assert "อนุมัติรายงาน Q1/2570 ของ CMI1-2570-001 แล้ว" in somchai.text
        await report.refresh_from_db()
        assert report.status is ItemStatus.APPROVED
        assert_within_limits(rig.standin)


async def test_a_file_too_big_or_not_downloadable_is_explained_and_the_question_stays(empty_database_url: str) -> None:
    async with telegram_app(empty_database_url) as rig:
        rig.clock.set(JAN_5)
        await WindowException.all().delete()
        suda = await rig.link(rig.user())
        await open_report(suda)  # type: ignore[arg-type]
        await fill_q1(suda)
        asked = suda.screen["text"].splitlines()[-1]  # what the review card asks, below any acknowledgement
        assert "• หลักฐาน: (ยังไม่มี)" in suda.screen["text"]

        downloads = len(rig.standin.called("getFile"))
        await suda.send_document("วิดีโอการอบรม.pdf", b"%PDF-1.7 small stand-in", "application/pdf",
                                 size=15 * 1024 * 1024)
        assert "ใหญ่เกินไป" in suda.text and "ไม่เกิน 10 MB" in suda.text, suda.transcript()
        assert len(rig.standin.called("getFile")) == downloads  # refused by its size, never fetched

        rig.standin.fail("getFile", 400, "Bad Request: file is temporarily unavailable")
        await suda.send_document("รายชื่อ.pdf", b"%PDF-1.7 list", "application/pdf")
        assert "รับไฟล์นี้ไม่สำเร็จ" in suda.text, suda.transcript()
        again = suda.screen["text"]
        assert "• หลักฐาน: (ยังไม่มี)" in again and again.endswith(asked)  # asked again, nothing kept

        await suda.send_document("รายชื่อ.pdf", b"%PDF-1.7 list", "application/pdf")
        assert "ได้รับ “รายชื่อ.pdf” แล้ว (1/5)" in suda.text
        report = await QuarterReport.get(project__code="CMI1-2570-001", fiscal_year=2570, quarter=1)
        assert [item.filename for item in await ReportAttachment.filter(report=report)] == ["รายชื่อ.pdf"]
