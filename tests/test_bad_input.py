"""Bad input at every kind of question: a clear Thai message, the same question again, nothing lost."""

from __future__ import annotations

from conversations.messages import Inbound
from models.db import Database
from models.enums import Platform
from models.project import Project
from tests.support.scenario import fill_m1, start_project
from tests.support.transcript import Chat
from tests.support.world import demo_world


async def refused(chat: Chat, text: str, reason: str) -> None:
    """Type ``text``; the bot must explain ``reason`` and ask the very same question again."""
    question = chat.screen.key
    await chat.say(text)
    assert chat.last[0].key == reason, (text, [reply.key for reply in chat.last])
    assert chat.screen.key == question
    assert len(chat.last) == 2


async def test_every_kind_of_question_refuses_bad_input_kindly(database: Database) -> None:
    async with demo_world(database) as world:
        chat = world.chat("suda")
        await chat.say("โครงการใหม่")
        await refused(chat, "ก" * 3000, "invalid.text.too_long")
        assert "500" in chat.last[0].text and "3,000" in chat.last[0].text
        await chat.say("โครงการทดสอบข้อมูลผิด")
        await refused(chat, "2027", "invalid.fiscal_year.ce")
        assert "2570" in chat.last[0].text
        await chat.say("๒๕๗๐")
        await fill_m1(chat)
        await refused(chat, "ไม่แน่ใจ", "invalid.choice.unknown")  # project type
        await chat.tap("โครงการ")
        await chat.say("แผนงานพื้นฐาน")
        await chat.say("ใช่")  # the official name it starts: confirmed
        await refused(chat, "อาจจะ", "invalid.yes_no")
        await chat.say("ใช่")
        await refused(chat, "ทั้งสองอย่างเลย", "invalid.choice.unknown")
        await chat.tap("เสร็จ")
        assert chat.last[0].key == "invalid.multi.empty"
        await chat.say("ดำเนินการเอง")  # the contacts are taken from the records: changed from M2's view
        await chat.tap("สารบัญ")
        await chat.tap("M2")
        await chat.tap("✏️ อีเมลผู้อำนวยการ")
        await refused(chat, "somchai at example", "invalid.email.format")
        await chat.tap("ใช้ค่านี้")
        await chat.tap("✏️ โทรศัพท์ผู้อำนวยการ")
        await refused(chat, "โทรหาได้เลย", "invalid.phone.format")
        await refused(chat, "081-234", "invalid.phone.length")
        await chat.tap("ใช้ค่านี้")
        await chat.tap("สารบัญ")
        await chat.tap("M3")
        await chat.say("เหตุผล")
        await chat.say("วัตถุประสงค์")  # taken at once
        await chat.say("ผลผลิต")
        await chat.say("ผลลัพธ์")
        await chat.say("ตัวชี้วัด")
        await chat.tap("คน")
        await refused(chat, "🙂", "invalid.number.format")
        await refused(chat, "-5", "invalid.number.negative")
        await chat.say("สองร้อยสี่สิบคน")  # a count in words, as amounts in words are taken
        assert "240" in chat.text and "ไม่เข้าใจ" not in chat.text, chat.text
        await chat.tap("เสร็จ")
        await chat.say("ครู")  # the office's province is taken: changed from M3's view once M3 is done
        await chat.tap("ข้าม")
        await refused(chat, "31 ก.พ. 2570", "invalid.date.no_such_day")
        assert "28" in chat.last[0].text
        await refused(chat, "เมื่อวาน", "invalid.date.format")
        await chat.say("1/10/69")
        await refused(chat, "1 ก.ย. 2569", "check.end_before_start")
        await chat.say("30 ก.ย. 2570")
        await chat.tap("สารบัญ")
        await chat.tap("M3")
        await chat.tap("✏️ จังหวัด")
        await refused(chat, "เชียง", "invalid.choice.ambiguous")
        assert "เชียงราย" in chat.last[0].text and "เชียงใหม่" in chat.last[0].text
        await chat.say("เชียงใหม่, ลำพูน")
        await chat.tap("สารบัญ")
        await chat.tap("M4")
        await chat.say("อบรมครู")
        await refused(chat, "5", "invalid.quarters")
        await chat.say("1")
        await chat.tap("ไม่มี ไปต่อ")
        await chat.tap("เสร็จ")
        await chat.tap("งบของหน่วยงานเอง")
        await chat.tap("งบดำเนินงาน")
        await refused(chat, "-5000", "invalid.money.negative_line")  # a line takes more than 0, not "0 and up"
        assert "ตั้งแต่ 0" not in chat.text and "มากกว่า 0 บาท" in chat.text
        await refused(chat, "ห้าสิบบาทค่ะ🙂", "invalid.money.format")
        await refused(chat, "0", "check.amount_zero")
        await chat.say("100,000")
        await refused(chat, "50000, 40000, 0, 0", "invalid.plan.sum")
        await refused(chat, "50000, 50000", "invalid.plan.count")
        await chat.say("Q1 50000 Q2 50000")
        assert "เพิ่มรายการงบประมาณแล้ว" in chat.text

        sticker = Inbound(Platform.CONSOLE, "suda", event_id="sticker-1", unsupported="sticker")
        question = chat.screen.key
        await chat.send(sticker)
        assert chat.last[0].key == "input.unsupported" and chat.screen.key == question

        project = await Project.get(name="โครงการทดสอบข้อมูลผิด")
        assert project.provinces == ["เชียงใหม่", "ลำพูน"] and project.owner_phone == "081-234-5678"
        assert (project.sections_done, project.sections_total) == (5, 5)


async def test_a_sub_activity_must_run_inside_its_activitys_quarters(database: Database) -> None:
    async with demo_world(database) as world:
        chat = world.chat("suda")
        await start_project(chat)
        await fill_m1(chat)
        await chat.say("/hub")
        await chat.tap("M4")
        await chat.say("อบรมครู")
        await chat.say("Q1-Q2")
        await chat.tap("➕ เพิ่มกิจกรรมย่อย")
        await chat.say("อบรมรุ่นที่ 2")
        assert [c.label for c in chat.screen.choices if c.selected is not None] == ["Q1", "Q2"]
        await refused(chat, "ไตรมาส 3", "check.quarters_outside_parent")
        assert "“อบรมครู”" in chat.last[0].text and "ไตรมาส 1–2" in chat.last[0].text
        await chat.say("2")
        assert "เพิ่มกิจกรรมย่อยแล้ว: อบรมรุ่นที่ 2 (ไตรมาส 2)" in chat.text
