"""Defects a new-user trial found in lists typed in one message, each through the service as an owner types it:
a sub-activity typed again finds its parent on the card (or in the list), a second objective typed after a
list was taken is asked about rather than stored as the next answer, back after a taken list goes to the
question before, and the budget's quarterly plan is shown on the cards."""

from __future__ import annotations

from conversations.copy import render
from conversations.engine import taken_guard
from conversations.flows.flow import ITEM_HINT_STRUCTURED, Group
from conversations.flows.registry import REGISTRATION_FLOW
from models.db import Database
from models.project import Activity, Kpi, Project
from tests.support.scenario import up_to_m4, up_to_objectives
from tests.support.world import demo_world

CODE = "CMI1-2570-003"
OUTPUT, OUTCOME = "เป้าหมายเชิงผลผลิต", "เป้าหมายเชิงผลลัพธ์"
SECOND = "เพื่อให้นักเรียน ป.1–3 อ่านออกเขียนได้ตามเกณฑ์"


async def activities() -> list[tuple[str, list[int], str | None]]:
    """Each activity of the draft with its quarters and its parent's name."""
    rows = await Activity.filter(project__code=CODE).order_by("id")
    names = {row.id: row.name for row in rows}
    return sorted(((row.name, row.quarters, names.get(row.parent_id or 0)) for row in rows),  # type: ignore[attr-defined]
                  key=str)


async def test_a_sub_activity_typed_again_finds_its_parent_on_the_card(database: Database) -> None:
    async with demo_world(database) as world:
        suda = world.chat("suda")
        await up_to_m4(suda)
        await suda.say("1. ประชุมเชิงปฏิบัติการพัฒนาครู Q1-Q2\n1.1 อบรมครูภาษาไทย ป.1 Q1\n1.2 อบรมครู ป.2–3 Q1-Q3")
        assert "อ่านได้ 2 รายการ" in suda.text and "บรรทัดที่ 3 “1.2 อบรมครู ป.2–3 Q1-Q3”" in suda.text, suda.text
        world.restart()  # the card, with the outline numbers of its lines, read back from the stored state
        await suda.say("1.2 อบรมครู ป.2–3 Q1-Q2")
        assert "อ่านได้ 3 รายการ" in suda.text and "⚠️" not in suda.text, suda.text
        assert "ไม่พบกิจกรรมหลัก" not in suda.text, suda.text
        await suda.tap("ครบแล้ว ไปต่อ")
        assert await activities() == sorted([
            ("ประชุมเชิงปฏิบัติการพัฒนาครู", [1, 2], None),
            ("อบรมครูภาษาไทย ป.1", [1], "ประชุมเชิงปฏิบัติการพัฒนาครู"),
            ("อบรมครู ป.2–3", [1, 2], "ประชุมเชิงปฏิบัติการพัฒนาครู")], key=str)


async def test_a_sub_activity_typed_again_in_a_list_with_items(database: Database) -> None:
    async with demo_world(database) as world:
        suda = world.chat("suda")
        await up_to_m4(suda)
        await suda.say("1. ประชุมเชิงปฏิบัติการพัฒนาครู Q1-Q2\n2. นิเทศ ติดตามการจัดการเรียนรู้ในโรงเรียน Q2-Q3")
        await suda.tap("✏️ แก้ไขรายการ")  # the list's menu, two activities in it
        await suda.say("3. สรุปผลการนิเทศ Q4\n3.1 รวบรวมข้อมูลการนิเทศ Q1")
        assert "อ่านได้ 1 รายการ" in suda.text and "บรรทัดที่ 2" in suda.text, suda.text
        await suda.say("3.1 รวบรวมข้อมูลการนิเทศ Q4")
        assert "อ่านได้ 2 รายการ" in suda.text and "⚠️" not in suda.text, suda.text
        await suda.tap("ยืนยัน")
        assert ("รวบรวมข้อมูลการนิเทศ", [4], "สรุปผลการนิเทศ") in await activities(), await activities()



async def stored(column: str) -> object:
    """A column of the draft as stored."""
    return getattr(await Project.get(code=CODE), column)


async def test_a_second_objective_typed_at_the_next_question_is_asked_about(database: Database) -> None:
    async with demo_world(database) as world:
        suda = world.chat("suda")
        await up_to_objectives(suda)
        await suda.say("เพื่อพัฒนาครูผู้สอนภาษาไทย ป.1–3 จำนวน 240 คน")
        assert OUTPUT in suda.text, suda.text
        await suda.say(SECOND)  # another objective, typed where Output is asked
        assert "ดูเหมือนวัตถุประสงค์อีกข้อ" in suda.text and OUTPUT in suda.text, suda.text
        assert suda.labels()[:2] == ["➕ เป็นวัตถุประสงค์", "✔️ ใช้ตอบข้อนี้"], suda.labels()
        assert not await stored("output_target")  # held, not stored as the Output
        world.restart()  # the text held is kept in the state
        await suda.tap("➕ เป็นวัตถุประสงค์")
        assert "เพิ่มวัตถุประสงค์ 1 รายการแล้ว" in suda.text and OUTPUT in suda.text, suda.text
        assert "➕ เพิ่มวัตถุประสงค์" in suda.labels(), suda.labels()  # the list's ➕ still there
        assert await stored("objectives") == ["เพื่อพัฒนาครูผู้สอนภาษาไทย ป.1–3 จำนวน 240 คน", SECOND]
        await suda.say("เพื่อให้ได้ผลผลิตตามเป้า")  # asked again; this time it is the answer
        await suda.tap("✔️ ใช้ตอบข้อนี้")
        assert OUTCOME in suda.text, suda.text
        assert await stored("output_target") == "เพื่อให้ได้ผลผลิตตามเป้า"
        assert len(await stored("objectives")) == 2  # type: ignore[arg-type]


async def test_a_kpi_line_at_the_next_question_is_asked_about_and_a_plain_answer_is_not(database: Database) -> None:
    async with demo_world(database) as world:
        suda = world.chat("suda")
        await up_to_objectives(suda)
        await suda.say("เพื่อพัฒนาครูผู้สอนภาษาไทย ป.1–3 จำนวน 240 คน")
        await suda.say("นักเรียน ป.1–3 จำนวน ๔,๒๐๐ คน ใน 120 โรงเรียนได้รับการพัฒนา")
        await suda.say("นักเรียนร้อยละ 85 อ่านออกเขียนได้ตามเกณฑ์")
        await suda.say("ร้อยละนักเรียนที่อ่านออกเขียนได้ตามเกณฑ์ 85 ร้อยละ")
        assert "กลุ่มเป้าหมาย" in suda.text, suda.text
        await suda.say("จำนวนครูที่ผ่านการอบรม 240 คน")
        assert "ดูเหมือนตัวชี้วัดอีกข้อ" in suda.text, suda.text
        await suda.tap("➕ เพิ่มเป็นตัวชี้วัด")
        assert [kpi.name for kpi in await Kpi.filter(project__code=CODE).order_by("id")] == [
            "ร้อยละนักเรียนที่อ่านออกเขียนได้ตามเกณฑ์", "จำนวนครูที่ผ่านการอบรม"]
        await suda.say("นักเรียนชั้น ป.1–3 และครูผู้สอน")  # a plain answer is stored at once
        assert "ดูเหมือน" not in suda.text and await stored("target_groups") == "นักเรียนชั้น ป.1–3 และครูผู้สอน"


async def test_back_after_a_taken_list_goes_to_the_question_before_then_the_list(database: Database) -> None:
    async with demo_world(database) as world:
        suda = world.chat("suda")
        await up_to_objectives(suda)
        await suda.say("เพื่อพัฒนาครูผู้สอนภาษาไทย ป.1–3 จำนวน 240 คน\n" + SECOND)
        await suda.say("นักเรียน 4,200 คนได้รับการพัฒนา")
        assert OUTCOME in suda.text, suda.text
        await suda.tap("ย้อนกลับ")  # from Outcome: the question before it, Output
        assert OUTPUT in suda.text and OUTCOME not in suda.text, suda.text
        await suda.tap("ย้อนกลับ")  # from the first question after the list: the list's menu
        assert {"✏️ แก้ไข", "🗑 ลบ", "✅ เสร็จ"} <= set(suda.labels()), (suda.text, suda.labels())
        await suda.tap("เสร็จ")  # and its เสร็จ returns to that question
        assert OUTPUT in suda.text and OUTCOME not in suda.text, suda.text
        assert "➕ เพิ่มวัตถุประสงค์" in suda.labels(), suda.labels()  # the list's buttons under it again
        world.restart()
        await suda.say("นักเรียน 4,200 คนได้รับการพัฒนาครบทุกคน")
        assert OUTCOME in suda.text, suda.text
        assert await stored("output_target") == "นักเรียน 4,200 คนได้รับการพัฒนาครบทุกคน"
        await suda.tap("ย้อนกลับ")  # and from Outcome, Output again: never the list
        assert OUTPUT in suda.text and OUTCOME not in suda.text, suda.text


async def test_the_budget_cards_and_the_review_card_show_each_lines_quarterly_plan(database: Database) -> None:
    async with demo_world(database) as world:
        suda = world.chat("suda")
        await up_to_m4(suda)
        await suda.say("1. ประชุมเชิงปฏิบัติการพัฒนาครู Q1-Q2\n2. สรุปและรายงานผล Q4")
        await suda.say("งบดำเนินงาน 350,000 Q1 150000 Q2 100000 Q3 60000 Q4 40000")  # taken: the echo
        assert "350,000 บาท (Q1 150,000 · Q2 100,000 · Q3 60,000 · Q4 40,000)" in suda.text, suda.text
        await suda.tap("➕ เพิ่มรายการงบ")
        await suda.say("สพฐ. งบดำเนินงาน ๑๒๐,๐๐๐ Q2\nงบลงทุน 1.5 ล้าน Q1 100000")  # the card, a wrong line
        assert "120,000 บาท (ทั้งหมดใน Q2)" in suda.text and "⚠️" in suda.text, suda.text
        await suda.tap("ครบแล้ว ไปต่อ")
        review = suda.screen.text  # the registration review card
        assert "📤 ส่งให้ผู้อำนวยการ" in suda.labels(), suda.labels()
        assert "(Q1 150,000 · Q2 100,000 · Q3 60,000 · Q4 40,000)" in review, review
        assert "(ทั้งหมดใน Q2)" in review, review


def test_the_which_buttons_fit_a_line_quick_reply_and_each_taken_list_declares_its_hint() -> None:
    """LINE shows 20 characters of a quick reply's label; every taken list says what another item looks like."""
    groups = [item for section in REGISTRATION_FLOW.sections for item in section.steps
              if isinstance(item, Group) and item.taken]
    assert {group.key: group.item_hint for group in groups} == {
        "objectives": "เพื่อ", "kpis": ITEM_HINT_STRUCTURED, "activities": ITEM_HINT_STRUCTURED,
        "budget_lines": ITEM_HINT_STRUCTURED}
    for label in [render(f"taken.{group.bulk}.another") for group in groups] + [render("taken.answer_here")]:
        assert len(label) <= 20, (label, len(label))
    objectives = next(group for group in groups if group.key == "objectives")
    assert taken_guard.looks_like_item(objectives, SECOND)
    assert not taken_guard.looks_like_item(objectives, "นักเรียน 4,200 คนได้รับการพัฒนา")
