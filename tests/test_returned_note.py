"""While a returned project or report is being fixed, the director's comment stays at the top of its hub and its
review card (short, quoted), not only on the project's card."""

from __future__ import annotations

from models.db import Database
from tests.support.scenario import open_returned_notice, project_a_before_the_director, submit_and_return_q1
from tests.support.world import demo_world
from tests.test_report_effort import JAN_5, at

NOTE = "↩️ ผู้อำนวยการส่งกลับให้แก้ไข: “{comment}”"


async def test_a_returned_projects_hub_and_review_show_the_comment_until_sent_again(database: Database) -> None:
    async with demo_world(database) as world:
        owner, director = world.chat("suda"), world.chat("somchai")
        await project_a_before_the_director(owner, director)
        await director.tap("ส่งกลับแก้ไข")
        await director.say("ขอให้ระบุกลุ่มเป้าหมายให้ชัดเจน")
        note = NOTE.format(comment="ขอให้ระบุกลุ่มเป้าหมายให้ชัดเจน")

        await owner.say("เมนู")
        await owner.tap("โครงการของฉัน")
        await owner.tap("1. โครงการยกระดับ")
        await owner.tap("แก้ไข / ทำต่อ")
        assert owner.screen.key == "hub.text" and owner.screen.text.startswith(note)
        await owner.tap("ตรวจทาน")
        assert owner.screen.key == "review" and owner.screen.card is not None
        assert owner.screen.card.sections[0].title == note  # the card's first block: LINE's bubble shows it too
        await owner.tap("ส่งให้ผู้อำนวยการ")
        await owner.say("เมนู")
        await owner.tap("โครงการของฉัน")
        await owner.tap("1. โครงการยกระดับ")
        assert note not in owner.screen.text  # sent again: no longer returned


async def test_a_returned_reports_review_shows_the_comment(database: Database) -> None:
    async with demo_world(database) as world:
        await at(world, JAN_5)
        owner, director = world.chat("suda"), world.chat("somchai")
        await submit_and_return_q1(owner, director, "ตัวชี้วัดที่ ๑ ยังไม่ตรงกับผลสอบ")
        await open_returned_notice(owner)
        await owner.say("64")
        assert owner.screen.key == "review" and owner.screen.card is not None
        assert owner.screen.card.sections[0].title == NOTE.format(comment="ตัวชี้วัดที่ ๑ ยังไม่ตรงกับผลสอบ")
        await owner.tap("สารบัญ")
        assert owner.screen.text.startswith(NOTE.format(comment="ตัวชี้วัดที่ ๑ ยังไม่ตรงกับผลสอบ"))
