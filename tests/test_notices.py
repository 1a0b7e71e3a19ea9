"""What people are told about others' changes, over Telegram: a lock exception opens the quarter in the owner's
list and is pushed to them once, within the sending hours; a director is told truthfully when the owner will
hear of a decision; a notice shown at the top of the next message carries the button the pushed one has."""

from __future__ import annotations

from api.keys import REMINDERS
from models.report import WindowException
from tests.support.reminders import bangkok
from tests.support.scenario import open_report
from tests.support.telegram_app import TelegramRig, assert_within_limits, telegram_app
from tests.support.telegram_user import TelegramUser, buttons
from tests.test_telegram_reporting import fill_q1

OPEN_REPORT = "📝 เปิดรายงาน"
EXCEPTION_NOTICE = "🔓 ผู้ดูแลระบบเปิดให้ส่งรายงาน Q1/2570 ของ CMI1-2570-001"


async def _people(rig: TelegramRig) -> tuple[TelegramUser, TelegramUser]:
    """Suda (owner) and the admin on Telegram; the demo's own exception removed, so that Q1 is not open yet."""
    await WindowException.all().delete()
    suda = await rig.link(rig.user(7001), "suda")
    admin = await rig.link(rig.user(7004, "แอดมิน"), "admin")
    return suda, admin


async def test_a_lock_exception_opens_the_quarter_and_tells_its_owners_once(empty_database_url: str) -> None:
    async with telegram_app(empty_database_url) as rig:
        rig.clock.set(bangkok(2026, 12, 9, 9))  # a working morning (10 Dec is a holiday), before Q1 opens on 1 Jan
        suda, admin = await _people(rig)
        await suda.say("รายงานผล")
        assert "Q1/2570 · ○ ยังไม่เปิด (เปิด 1 ม.ค. 2570)" in suda.text

        await admin.say("/except CMI1 Q1/2570 15 ม.ค. 2570")
        assert "ส่งรายงาน Q1/2570 ได้ถึง 15 ม.ค. 2570 แล้ว" in admin.text
        # suda is on Telegram; weera has only a terminal account, which this service cannot push to
        assert "ระบบกำลังส่งแจ้งเจ้าของโครงการ 1 คนทางแชต" in admin.text, admin.text
        assert "เจ้าของโครงการ 1 คนยังไม่มีแชตที่ระบบส่งข้อความถึงได้" in admin.text

        loop = rig.client.app[REMINDERS]
        before = len(suda.bot_messages)
        report = await loop.run_once()
        assert report.by_platform == {"telegram": 1} and report.no_channel == 1, report
        [notice] = suda.bot_messages[before:]
        assert EXCEPTION_NOTICE in notice["text"] and "ได้ถึง 15 ม.ค. 2570" in notice["text"]
        [(label, data)] = buttons(notice)
        assert label == OPEN_REPORT
        assert (await loop.run_once()).sent == 0  # once only
        assert len(suda.bot_messages) == before + 1

        await suda.press(notice, data)
        assert "ผลผลิต" in suda.text, suda.transcript()  # the report opens at its first question
        await suda.say("/menu")
        await suda.say("รายงานผล")
        assert "Q1/2570 · 🟢 เปิดรายงานเป็นกรณีพิเศษ ส่งได้ถึง 15 ม.ค. 2570" in suda.text, suda.text
        assert "ยังไม่เปิด (เปิด 1 ม.ค. 2570)" not in suda.text.split("Q2/2570")[0]
        assert_within_limits(rig.standin)


async def test_outside_sending_hours_the_admin_is_told_when_the_owners_will_hear(empty_database_url: str) -> None:
    async with telegram_app(empty_database_url) as rig:
        rig.clock.set(bangkok(2026, 12, 12, 10))  # a Saturday: nothing is pushed until Monday 08:00
        suda, admin = await _people(rig)
        await admin.say("/except CMI1 Q1/2570 15 ม.ค. 2570")
        assert "ตอนนี้อยู่นอกเวลาส่งข้อความ ระบบจะแจ้งเจ้าของโครงการ 1 คนทางแชต 14 ธ.ค. 2569 เวลา 08:00 น." \
            in admin.text, admin.text
        assert "แจ้งเจ้าของโครงการแล้ว" not in admin.text

        loop = rig.client.app[REMINDERS]
        before = len(suda.bot_messages)
        assert (await loop.run_once()).sent == 0
        assert len(suda.bot_messages) == before  # as the admin was told: not yet
        rig.clock.set(bangkok(2026, 12, 14, 8))
        assert (await loop.run_once()).by_platform == {"telegram": 1}
        assert EXCEPTION_NOTICE in suda.bot_messages[-1]["text"]


async def _returned(rig: TelegramRig, at: tuple[int, int, int, int]) -> tuple[TelegramUser, TelegramUser]:
    """Suda files Q1 on 5 Jan 2027 and the director returns it at ``at`` (both on Telegram)."""
    rig.clock.set(bangkok(2027, 1, 5, 9))  # Q1's window is open
    await WindowException.all().delete()
    suda = await rig.link(rig.user(7001), "suda")
    somchai = await rig.link(rig.user(7003, "สมชาย", "ใจดี"), "somchai")
    await open_report(suda)  # type: ignore[arg-type]
    await fill_q1(suda)
    await suda.tap("ส่งให้ผู้อำนวยการ")
    rig.clock.set(bangkok(*at))
    await somchai.say("รออนุมัติ")
    await somchai.tap("1. รายงาน Q1/2570")
    await somchai.tap("ส่งกลับแก้ไข")
    await somchai.say("ยอดเบิกจ่ายไม่ตรงกับ GFMIS")
    assert "ส่งรายงาน Q1/2570 ของ CMI1-2570-001 กลับ" in somchai.text, somchai.transcript()
    return suda, somchai


async def test_a_decision_outside_sending_hours_says_when_the_owner_will_hear(empty_database_url: str) -> None:
    async with telegram_app(empty_database_url) as rig:
        suda, somchai = await _returned(rig, (2027, 1, 5, 21))  # after the sending hours
        assert "ตอนนี้อยู่นอกเวลาส่งข้อความ ระบบจะแจ้งเจ้าของโครงการทางแชต 6 ม.ค. 2570 เวลา 08:00 น." \
            in somchai.text, somchai.text
        assert "แจ้งเจ้าของโครงการแล้ว" not in somchai.text

        loop = rig.client.app[REMINDERS]
        before = len(suda.bot_messages)
        assert (await loop.run_once()).sent == 0  # not pushed at 21:00, as the director was told
        assert len(suda.bot_messages) == before
        rig.clock.set(bangkok(2027, 1, 6, 8))
        await loop.run_once()  # at the time the director was told
        assert any("กลับให้แก้ไข: “ยอดเบิกจ่าย" in message["text"] for message in suda.bot_messages[before:])


async def test_a_decision_in_sending_hours_is_being_pushed(empty_database_url: str) -> None:
    async with telegram_app(empty_database_url) as rig:
        _, somchai = await _returned(rig, (2027, 1, 5, 10))
        assert "ระบบกำลังส่งแจ้งเจ้าของโครงการทางแชตค่ะ" in somchai.text, somchai.text


async def test_a_returned_reports_notice_at_the_next_message_has_the_pushed_button(empty_database_url: str) -> None:
    async with telegram_app(empty_database_url) as rig:
        suda, _ = await _returned(rig, (2027, 1, 5, 21))
        await suda.say("สวัสดี")  # before the notice is pushed: it comes first, with its button
        notice = suda.last[0]
        assert "ส่งรายงาน Q1/2570 ของ CMI1-2570-001 กลับให้แก้ไข" in notice["text"], suda.transcript()
        [(label, data)] = buttons(notice)
        assert label == OPEN_REPORT  # as on the pushed notice (reminder_messages.notification)
        await suda.press(notice, data)
        assert "ยอดเบิกจ่ายไม่ตรงกับ GFMIS" in suda.text, suda.transcript()  # the returned report, opened
        assert "เบิกจ่ายจริงในไตรมาสนี้เท่าไรคะ" in suda.text  # opened on what the comment names, to fix

        rig.clock.set(bangkok(2027, 1, 6, 8))
        await rig.client.app[REMINDERS].run_once()  # the quarter's own reminder may go out; the notice does not
        returned = [message for message in suda.bot_messages if "กลับให้แก้ไข: “ยอดเบิกจ่าย" in message["text"]]
        assert len(returned) == 1, suda.transcript()
        assert_within_limits(rig.standin)


async def test_the_history_of_a_returned_report_reads_in_thai_only(empty_database_url: str) -> None:
    async with telegram_app(empty_database_url) as rig:
        _, somchai = await _returned(rig, (2027, 1, 5, 10))
        await somchai.say("/history CMI1-2570-001")
        history = somchai.screen["text"]
        assert "Q1 ความเห็นผู้อำนวยการ: — → ยอดเบิกจ่ายไม่ตรงกับ GFMIS" in history, history
        assert "Q1 สถานะ: 📤 ส่งแล้ว รออนุมัติ → ↩️ ส่งกลับให้แก้ไข" in history
        assert "decision_comment" not in history and "_" not in history
