"""A report says which one it is: the quarter list names each project in full beside the numbers its buttons
carry (LINE cuts labels to 20 characters), the first question names the quarter and the project, and the review
card says what sending does."""

from __future__ import annotations

from datetime import UTC, datetime

from models.db import Database
from models.enums import ItemStatus
from models.project import Project
from models.report import WindowException
from tests.support.scenario import SHORTFALL, fill_q1_after_kpis, fill_q1_until_kpis
from tests.support.world import World, demo_world

JAN_5 = datetime(2027, 1, 5, 2, 0, tzinfo=UTC)  # Q1's window is open
TWIN = "โครงการยกระดับความสามารถด้านการคิดคำนวณของนักเรียนประถม"  # starts as the demo's project does


async def at_jan_5(world: World) -> None:
    """The clock in Q1's window, without the demo's early-reporting exception."""
    world.clock.set(JAN_5)
    await WindowException.all().delete()


async def test_the_quarter_list_names_each_project_in_full_numbered_as_its_buttons(database: Database) -> None:
    async with demo_world(database) as world:
        await at_jan_5(world)
        first = await Project.get(code="CMI1-2570-001")
        await Project.create(code="CMI1-2570-009", fiscal_year=2570, office_id=first.office_id, owner_id=first.owner_id,
                             name=TWIN, status=ItemStatus.APPROVED)
        owner = world.chat("suda")
        await owner.say("รายงานผล")
        listing = owner.screen.text
        assert f"CMI1-2570-001 {first.name}\n" in listing and f"CMI1-2570-009 {TWIN}\n" in listing  # in full
        numbered = [label.split(". ", 1)[0] for label in owner.labels() if ". Q" in label]
        assert numbered == [str(number) for number in range(1, len(numbered) + 1)], owner.labels()
        for number in numbered:  # each button's number is a line of the text, under its project
            assert f"\n  {number}. Q" in listing, (number, listing)
        number, period = listing.split(TWIN, 1)[1].split("\n  ", 1)[1].split(" ·", 1)[0].split(". ")
        assert f"{number}. {period} โครงการยกระ" in " ".join(owner.labels())  # the twin's quarter, by its number


async def test_the_first_question_names_the_quarter_and_project_and_the_card_says_what_sending_does(
        database: Database) -> None:
    async with demo_world(database) as world:
        await at_jan_5(world)
        project = await Project.get(code="CMI1-2570-001")
        owner = world.chat("suda")
        await owner.say("รายงานผล")
        await owner.tap("Q1/2570 โครงการยกระดับ")
        assert owner.screen.text.startswith(f"📝 รายงาน Q1/2570 · CMI1-2570-001 {project.name}\n"), owner.screen.text
        await fill_q1_until_kpis(owner)
        assert "ตัวชี้วัด" in owner.screen.text and "📝 รายงาน" not in owner.screen.text  # once, on the first
        await owner.say("62")
        await owner.say("180 คน")
        await fill_q1_after_kpis(owner)
        await owner.say("98,500")
        await owner.say(SHORTFALL)
        await owner.say("โรงเรียนที่อยู่ไกลส่งครูมาอบรมในวันธรรมดาไม่ได้")
        card = owner.screen.text
        assert "กด “ส่งให้ผู้อำนวยการ” แล้วรายงานไตรมาสนี้จะส่งทันที" in card, card
        assert "แก้ไขไม่ได้จนกว่าผู้อำนวยการจะส่งกลับมาให้แก้ไข" in card
