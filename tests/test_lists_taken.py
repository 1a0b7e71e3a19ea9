"""An empty registration list typed in one message is taken at once (``conversations/engine/taken.py``), through the
service as an owner types it: stored, echoed, the next question asked in the same turn with ➕/✏️ under it; a wrong
line keeps the card and stores nothing; the buttons and the card survive a restart."""

from __future__ import annotations

import dataclasses
from datetime import date

from conversations.copy import render
from conversations.engine import taken
from conversations.engine.context import Context, Person
from conversations.engine.output import Output
from conversations.engine.state import State
from conversations.engine.substates import GroupCursor
from conversations.flows.flow import Group
from conversations.flows.registry import REGISTRATION_FLOW
from models.db import Database
from models.enums import Role
from models.project import Activity, Kpi, Project
from tests.support.database import empty_tables
from tests.support.scenario import up_to_m4, up_to_objectives
from tests.support.transcript import Chat
from tests.support.world import demo_world

CODE = "CMI1-2570-003"
OUTPUT = "เป้าหมายเชิงผลผลิต"
TWO_KPIS = "ร้อยละนักเรียนที่อ่านออกเขียนได้ตามเกณฑ์ 85 ร้อยละ\nจำนวนครูที่ผ่านการอบรม ๒๔๐ คน"



async def up_to_kpis(chat: Chat) -> None:
    await up_to_objectives(chat)
    await chat.say("เพื่อพัฒนาครูผู้สอนภาษาไทย ป.1–3 จำนวน 240 คน")
    await chat.say("นักเรียน ป.1–3 จำนวน ๔,๒๐๐ คน ใน 120 โรงเรียนได้รับการพัฒนา")
    await chat.say("นักเรียนร้อยละ 85 อ่านออกเขียนได้ตามเกณฑ์")


async def objectives() -> list[str]:
    project = await Project.get(code=CODE)
    return list(project.objectives)


async def kpis() -> list[str]:
    return [kpi.name for kpi in await Kpi.filter(project__code=CODE).order_by("id")]


async def test_one_line_is_taken_echoed_and_the_next_question_asked(database: Database) -> None:
    async with demo_world(database) as world:
        suda = world.chat("suda")
        await up_to_objectives(suda)
        assert "ทั้งหมดในข้อความเดียว บรรทัดละข้อ" in suda.text and "ไปข้อถัดไปเลย" in suda.text, suda.text
        assert "✍️ ทีละรายการ" in suda.labels(), suda.labels()  # the one-at-a-time way kept as a button
        await suda.say("เพื่อพัฒนาครูผู้สอนภาษาไทย ป.1–3 จำนวน 240 คน")
        echo, question = suda.last[0].text, suda.last[-1].text
        assert echo == "✔️ บันทึกวัตถุประสงค์ 1 รายการแล้วค่ะ:\n1. เพื่อพัฒนาครูผู้สอนภาษาไทย ป.1–3 จำนวน 240 คน", echo
        assert OUTPUT in question, question  # asked in the same turn: no card, no เสร็จ
        assert suda.labels()[:2] == ["➕ เพิ่มวัตถุประสงค์", "✏️ แก้ไขรายการ"], suda.labels()
        assert await objectives() == ["เพื่อพัฒนาครูผู้สอนภาษาไทย ป.1–3 จำนวน 240 คน"]
        await suda.say("นักเรียน 4,200 คนได้รับการพัฒนา")  # answering the next question: the buttons are gone
        assert "➕ เพิ่มวัตถุประสงค์" not in suda.labels(), suda.labels()


async def test_several_lines_are_taken_with_sub_activities(database: Database) -> None:
    async with demo_world(database) as world:
        suda = world.chat("suda")
        await up_to_kpis(suda)
        await suda.say(TWO_KPIS)
        assert "บันทึกตัวชี้วัด 2 รายการแล้ว" in suda.text and "กลุ่มเป้าหมาย" in suda.text, suda.text
        assert await kpis() == ["ร้อยละนักเรียนที่อ่านออกเขียนได้ตามเกณฑ์", "จำนวนครูที่ผ่านการอบรม"]
    await empty_tables(database)  # a second draft, on a fresh world
    async with demo_world(database) as world:
        suda = world.chat("suda")
        await up_to_m4(suda)
        await suda.say("1. ประชุมเชิงปฏิบัติการพัฒนาครู Q1-Q2\n1.1 อบรมครูภาษาไทย ป.1 ไตรมาส ๑\n2. สรุปและรายงานผล Q4")
        text = suda.text
        assert "บันทึกกิจกรรม 3 รายการแล้ว" in text and "1.1 อบรมครูภาษาไทย ป.1 (ไตรมาส 1)" in text, text
        assert "M5" in text, text  # M4 is done: the budget is asked next
        rows = await Activity.filter(project__code=CODE).order_by("id")
        names = {row.id: row.name for row in rows}
        assert sorted((row.name, names.get(row.parent_id or 0)) for row in rows) == sorted([  # type: ignore[attr-defined]
            ("ประชุมเชิงปฏิบัติการพัฒนาครู", None), ("อบรมครูภาษาไทย ป.1", "ประชุมเชิงปฏิบัติการพัฒนาครู"),
            ("สรุปและรายงานผล", None)], key=str)


async def test_a_wrong_line_keeps_the_card_and_stores_nothing(database: Database) -> None:
    async with demo_world(database) as world:
        suda = world.chat("suda")
        await up_to_kpis(suda)
        await suda.say("ร้อยละนักเรียนที่อ่านออกเขียนได้ตามเกณฑ์ 85 ร้อยละ\nจำนวนครูที่ผ่านการอบรม 240")
        text = suda.text
        assert "อ่านได้ 1 รายการ" in text and "บรรทัดที่ 2 “จำนวนครูที่ผ่านการอบรม 240”: ไม่มีหน่วยนับ" in text, text
        assert "รูปแบบที่รับ: ชื่อตัวชี้วัด ค่าเป้าหมาย หน่วยนับ" in text, text
        assert await kpis() == []  # nothing stored until the card is confirmed
        await suda.say("จำนวนครูที่ผ่านการอบรม 240 คน")  # the wrong line again joins the line kept
        assert "อ่านได้ 2 รายการ" in suda.text and "⚠️" not in suda.text, suda.text
        await suda.tap("ครบแล้ว ไปต่อ")
        assert "กลุ่มเป้าหมาย" in suda.text, suda.text
        assert await kpis() == ["ร้อยละนักเรียนที่อ่านออกเขียนได้ตามเกณฑ์", "จำนวนครูที่ผ่านการอบรม"]


async def test_add_more_after_taking_returns_to_the_next_question(database: Database) -> None:
    async with demo_world(database) as world:
        suda = world.chat("suda")
        await up_to_objectives(suda)
        await suda.say("เพื่อพัฒนาครูผู้สอนภาษาไทย ป.1–3 จำนวน 240 คน")
        await suda.tap("➕ เพิ่มวัตถุประสงค์")
        assert "วัตถุประสงค์ ที่ 2" in suda.text and "ไปข้อถัดไปเลย" not in suda.text, suda.text
        await suda.say("เพื่อยกระดับความสามารถด้านการอ่านและการเขียนของนักเรียน")  # one at a time: the list
        assert "2. เพื่อยกระดับความสามารถด้านการอ่านและการเขียนของนักเรียน" in suda.text, suda.text
        await suda.tap("เสร็จ")
        assert OUTPUT in suda.text and "➕ เพิ่มวัตถุประสงค์" not in suda.labels(), suda.text
        assert len(await objectives()) == 2


async def test_edit_after_taking_opens_the_list_and_back_returns(database: Database) -> None:
    async with demo_world(database) as world:
        suda = world.chat("suda")
        await up_to_objectives(suda)
        await suda.say("เพื่อพัฒนาครู\nเพื่อนักเรียน")
        await suda.tap("✏️ แก้ไขรายการ")
        assert {"✏️ แก้ไข", "🗑 ลบ", "✅ เสร็จ"} <= set(suda.labels()), suda.labels()
        await suda.tap("ลบ")
        await suda.tap("2")
        assert "ลบ" in suda.text and await objectives() == ["เพื่อพัฒนาครู"], suda.text
        await suda.tap("ย้อนกลับ")  # back from the list: the question it was opened from
        assert OUTPUT in suda.text, suda.text


async def test_the_card_and_the_buttons_survive_a_restart(database: Database) -> None:
    async with demo_world(database) as world:
        suda = world.chat("suda")
        await up_to_kpis(suda)
        await suda.say("ร้อยละนักเรียนที่อ่านออกเขียนได้ตามเกณฑ์ 85 ร้อยละ\nจำนวนครูที่ผ่านการอบรม 240")
        world.restart()  # mid-way: the card with its wrong line, read back from the stored state
        await suda.say("จำนวนครูที่ผ่านการอบรม 240 คน")
        assert "อ่านได้ 2 รายการ" in suda.text, suda.text
        world.restart()
        await suda.tap("ครบแล้ว ไปต่อ")
        assert await kpis() == ["ร้อยละนักเรียนที่อ่านออกเขียนได้ตามเกณฑ์", "จำนวนครูที่ผ่านการอบรม"]
    await empty_tables(database)  # a second draft, on a fresh world
    async with demo_world(database) as world:
        suda = world.chat("suda")
        await up_to_objectives(suda)
        await suda.say("เพื่อพัฒนาครู")
        world.restart()  # the echo's buttons are kept in the stored state
        await suda.tap("✏️ แก้ไขรายการ")
        assert "1. เพื่อพัฒนาครู" in suda.text, suda.text
        await suda.tap("เสร็จ")
        assert OUTPUT in suda.text, suda.text


async def test_one_at_a_time_by_its_button(database: Database) -> None:
    async with demo_world(database) as world:
        suda = world.chat("suda")
        await up_to_objectives(suda)
        await suda.tap("ทีละรายการ")
        assert "ไปข้อถัดไปเลย" not in suda.text, suda.text
        await suda.say("เพื่อพัฒนาครู")  # the item-by-item way: added, the list stays for more
        assert "เพิ่มวัตถุประสงค์แล้ว" in suda.text and "✅ เสร็จ" in suda.labels(), suda.text


def test_a_list_short_of_its_minimum_is_kept_and_stays_on_screen() -> None:
    """A list declared with two items at least: one line is stored and echoed, but the list stays (no move on)."""
    objectives = next(step for step in REGISTRATION_FLOW.section("m3").steps if step.key == "objectives")
    assert isinstance(objectives, Group)
    group = dataclasses.replace(objectives, min_items=2)
    state = State(section="m3", step="objectives", sub=GroupCursor(view="item", question="text"))
    out = Output()
    owner = Person(id=1, name="นางสาวสุดา ศรีสุข", email="suda.s@example.go.th", phone="081-234-5678", role=Role.OWNER)
    ctx = Context(user=owner, office_name="", office_province="เชียงใหม่", today=date(2026, 11, 23))
    assert taken.take(group, state, "เพื่อพัฒนาครู", ctx, out) is False
    assert state.answers["objectives"] == [{"text": "เพื่อพัฒนาครู"}]
    assert [reply.key for reply in out.replies] == ["taken.echo_short"] and "อย่างน้อย 2" in out.replies[0].text
    assert state.taken == {} and isinstance(state.sub, GroupCursor) and state.sub.view == "menu"


def test_each_taken_lists_add_button_fits_a_line_quick_reply() -> None:
    """LINE shows 20 characters of a quick reply's label; a cut ➕ label would not say which list it adds to."""
    groups = [item for section in REGISTRATION_FLOW.sections for item in section.steps
              if isinstance(item, Group) and item.taken]
    assert {group.bulk for group in groups} == {"objective", "kpi", "activity", "budget"}
    for group in groups:
        label = render(f"taken.{group.bulk}.add")
        assert label.startswith("➕ เพิ่ม") and len(label) <= 20, (group.key, label, len(label))
