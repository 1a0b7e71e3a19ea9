"""Defects a new-user trial found in lists typed in one message, each through the service as an owner types it:
a sub-activity typed again finds its parent on the card (or in the list), a second objective typed after a
list was taken is asked about rather than stored as the next answer, back after a taken list goes to the
question before, and the budget's quarterly plan is shown on the cards."""

from __future__ import annotations

from models.db import Database
from models.project import Activity
from tests.support.scenario import up_to_m4
from tests.support.world import demo_world

CODE = "CMI1-2570-003"


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
