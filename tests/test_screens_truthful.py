"""Screens say only what is true: no "กด ใช้ค่านี้" without that button, step counters that count the questions
that apply, a list item's questions that say which item, a picked parent said back, and a report that calls
activities by the registration's numbers (2 / 2.1), over LINE and Telegram."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from models.project import Activity
from models.report import WindowException
from tests.support.line_user import LineUser
from tests.support.line_world import line_world
from tests.support.scenario import fill_m1, fill_m2, start_project
from tests.support.telegram_app import telegram_app

JAN_5 = datetime(2027, 1, 5, 2, 0, tzinfo=UTC)  # Q1's reporting window is open
COUNTER = re.compile(r"\(ข้อ (\d+)/(\d+)\)")


def counter(text: str) -> tuple[int, int]:
    """The "(ข้อ n/m)" of a list item's question."""
    found = COUNTER.findall(text)
    assert found, text
    return int(found[-1][0]), int(found[-1][1])


async def _to_area(suda: LineUser) -> None:
    """A new project up to M3's area question (the office's province taken without asking before it)."""
    await start_project(suda)  # type: ignore[arg-type]
    await fill_m1(suda)  # type: ignore[arg-type]
    await fill_m2(suda)  # type: ignore[arg-type]
    await suda.say("ผลการทดสอบการอ่านปีการศึกษา 2568 ต่ำกว่าเกณฑ์")
    await suda.say("เพื่อพัฒนาครูผู้สอนภาษาไทย")  # taken at once
    await suda.say("ครู 240 คนได้รับการพัฒนา")
    await suda.say("นักเรียนร้อยละ 85 อ่านออกเขียนได้")
    await suda.say("ร้อยละนักเรียนที่อ่านออกเขียนได้")
    await suda.tap("ร้อยละ")
    await suda.say("85")
    await suda.tap("เสร็จ")
    await suda.say("นักเรียนชั้น ป.1–3 และครูผู้สอน")


async def test_registration_screens_over_line_say_only_what_is_true(empty_database_url: str) -> None:
    async with line_world(empty_database_url) as world:
        suda = await world.linked("suda")
        await _to_area(suda)
        assert "รายละเอียดพื้นที่" in suda.text, suda.text  # the province is not asked: nothing to confirm
        assert "ใช้ค่านี้" not in suda.text and not any("ใช้ค่านี้" in label for label in suda.labels())
        await suda.say("อ.เมือง")
        await suda.say("1 ต.ค. 2569")
        await suda.say("30/9/70")
        assert "• จังหวัด: เชียงใหม่" in suda.text, suda.text  # listed once M3 is done

        # M4: the questions of an item say which item, also when the owner comes back to them later
        await suda.say("ประชุมเชิงปฏิบัติการพัฒนาครู")
        assert "กิจกรรม ที่ 1: ประชุมเชิงปฏิบัติการพัฒนาครู (ข้อ 2/2)" in suda.text, suda.text
        await suda.tap("พักไว้ก่อน")
        await suda.say("ทำต่อ")
        assert "กิจกรรม ที่ 1: ประชุมเชิงปฏิบัติการพัฒนาครู (ข้อ 2/2)" in suda.text, suda.text
        await suda.say("Q1-Q2")
        await suda.tap("ไม่มี ไปต่อ")
        await suda.say("นิเทศ ติดตามการจัดการเรียนรู้ในโรงเรียน")
        await suda.say("2,3")
        await suda.tap("ไม่มี ไปต่อ")
        await suda.tap("➕ เพิ่มกิจกรรมย่อย")
        await suda.say("2")  # the parent typed by its number: said back
        assert "✔️ เพิ่มกิจกรรมย่อยภายใต้กิจกรรม 2: นิเทศ ติดตามการจัดการเรียนรู้ในโรงเรียน" in suda.text, suda.text
        assert "กิจกรรมย่อย ที่ 2.1 ภายใต้ “นิเทศ ติดตามการจัดการเรียนรู้ในโรงเรียน” (ข้อ 1/2)" in suda.text
        await suda.say("นิเทศโรงเรียนขนาดเล็ก")
        await suda.tap("พักไว้ก่อน")
        await suda.say("ทำต่อ")
        assert "กิจกรรมย่อย ที่ 2.1: นิเทศโรงเรียนขนาดเล็ก (ข้อ 2/2)" in suda.text, suda.text
        await suda.say("Q2")
        await suda.tap("เสร็จ")

        # M5: the counter counts only the questions that apply to this budget line
        assert counter(suda.text) == (1, 4), suda.text  # source unknown: no agency question counted yet
        await suda.tap("งบของหน่วยงานเอง")
        assert counter(suda.text) == (2, 4), suda.text  # not 4/6
        await suda.tap("งบดำเนินงาน")
        assert counter(suda.text) == (3, 4)
        await suda.say("350000")
        assert counter(suda.text) == (4, 4)
        await suda.say("150000, 100000, 60000, 40000")
        await suda.tap("➕ เพิ่มรายการงบประมาณ")
        await suda.tap("ผ่านหน่วยงานอื่น")
        assert counter(suda.text) == (2, 5), suda.text  # the agency is asked for this source
        assert "รายการงบประมาณ ที่ 2:" in suda.text  # and the line says what it is so far


async def test_a_report_calls_activities_by_the_registrations_numbers_over_telegram(empty_database_url: str) -> None:
    async with telegram_app(empty_database_url) as rig:
        rig.clock.set(JAN_5)
        await WindowException.all().delete()
        # Q1 of the demo's Project A without sub-activity 1.1: the quarter's activities are 1 and 1.2
        await Activity.filter(name="อบรมครูภาษาไทย ป.1", project__code="CMI1-2570-001").update(quarters=[2])
        suda = await rig.link(rig.user())
        await suda.say("รายงานผล")
        await suda.tap("Q1/2570 โครงการยกระดับ")
        await suda.say("อบรมเชิงปฏิบัติการ 2 รุ่น ครูผ่านการอบรม 180 คน")
        await suda.say("ยังเร็วเกินไปที่จะวัดผลการอ่าน")
        await suda.say("62")
        await suda.say("180 คน")
        assert "กิจกรรม ที่ 1: ประชุมเชิงปฏิบัติการพัฒนาครู (ข้อ 1/1)" in suda.text, suda.text
        await suda.tap("กำลังดำเนินการ")
        assert "(ข้อ 2/2)" in suda.text
        await suda.say("70")
        assert "กิจกรรม ที่ 1.2: ประชุมเชิงปฏิบัติการพัฒนาครู › อบรมครู ป.2–3" in suda.text, suda.text
        assert "กิจกรรม ที่ 2" not in suda.text
        await suda.tap("เสร็จแล้ว")
        await suda.tap("สารบัญ")
        await suda.tap("กิจกรรม")
        section = suda.screen["text"]
        assert "กิจกรรม 1.2" in section and "กิจกรรม 2" not in section, section
        await suda.tap("✏️ กิจกรรม")
        assert "1.2. ประชุมเชิงปฏิบัติการพัฒนาครู › อบรมครู ป.2–3" in suda.screen["text"], suda.screen["text"]
        await suda.tap("แก้ไข")
        await suda.say("1.2")  # picked by its registration number
        assert "✏️ แก้ไขกิจกรรม 1.2: ประชุมเชิงปฏิบัติการพัฒนาครู › อบรมครู ป.2–3" in suda.text, suda.text
