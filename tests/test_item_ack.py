"""A list item whose last answer completes it is acknowledged once, as the item ("✔️ เพิ่มวัตถุประสงค์แล้ว: X"),
not first as the answer ("✔️ รับทราบ: X") and again as the item."""

from __future__ import annotations

from models.db import Database
from tests.support.scenario import up_to_objectives
from tests.support.transcript import Chat
from tests.support.world import demo_world

OBJECTIVE = "เพื่อพัฒนาครูผู้สอนภาษาไทย ป.1–3 จำนวน 240 คน"


async def second_objective(owner: Chat) -> None:
    """Project A up to its objectives: the first typed, a second added with ➕ and typed."""
    await up_to_objectives(owner)
    await owner.say(OBJECTIVE)
    await owner.tap("➕ เพิ่มวัตถุประสงค์")
    await owner.say("เพื่อยกระดับการอ่าน")


async def test_an_item_of_one_answer_is_acknowledged_once(database: Database) -> None:
    async with demo_world(database) as world:
        owner = world.chat("suda")
        await second_objective(owner)
        assert "✔️ เพิ่มวัตถุประสงค์แล้ว: เพื่อยกระดับการอ่าน" in owner.text
        assert "✔️ รับทราบ" not in owner.text


async def test_an_items_earlier_answers_are_still_acknowledged(database: Database) -> None:
    async with demo_world(database) as world:
        owner = world.chat("suda")
        await second_objective(owner)
        await owner.tap("เสร็จ")
        await owner.say("นักเรียน ป.1–3 จำนวน ๔,๒๐๐ คน ใน 120 โรงเรียนได้รับการพัฒนา")
        await owner.say("นักเรียนร้อยละ 85 อ่านออกเขียนได้ตามเกณฑ์")
        await owner.say("ร้อยละนักเรียนที่อ่านออกเขียนได้ตามเกณฑ์")
        await owner.tap("ร้อยละ")
        await owner.say("85")
        await owner.tap("➕ เพิ่มตัวชี้วัด")
        await owner.say("จำนวนครูที่ผ่านการอบรม")  # a KPI's first answer: more follow, so it is acknowledged
        assert "✔️ รับทราบ: จำนวนครูที่ผ่านการอบรม" in owner.text
        await owner.tap("คน")
        await owner.say("๒๔๐ คน")  # its last answer: the KPI alone is acknowledged
        assert "✔️ รับทราบ" not in owner.text and "✔️ เพิ่มตัวชี้วัดแล้ว" in owner.text
