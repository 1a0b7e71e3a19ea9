"""A take-back (↩️ ดึงกลับมาแก้ไข) that cannot happen says truly why and changes nothing: the project is no longer
waiting for reasons other than the director's decision (taken back from another chat), or the person pressing is no
longer its owner (a stale card after the project changed hands)."""

from __future__ import annotations

from conversations.engine.actions import DEFAULT_FLOW
from conversations.engine.state import State
from models.db import Database
from models.enums import ItemStatus
from models.project import Project
from tests.support.scenario import fill_m4, register_project_a, up_to_m4
from tests.support.world import demo_world

WITHDRAW = "↩️ ดึงกลับมาแก้ไข"
CODE = "CMI1-2570-003"
ADD_BUDGET = "➕ เพิ่มรายการงบ"


async def _card_on_screen(owner: object) -> None:
    await register_project_a(owner)  # type: ignore[arg-type]
    await owner.tap("ส่งให้ผู้อำนวยการ")  # type: ignore[attr-defined]
    await owner.tap("โครงการของฉัน")  # type: ignore[attr-defined]
    await owner.tap("1. โครงการยกระดับ")  # type: ignore[attr-defined]
    assert WITHDRAW in owner.labels()  # type: ignore[attr-defined]


async def test_a_project_already_taken_back_is_not_said_to_be_decided(database: Database) -> None:
    async with demo_world(database) as world:
        owner = world.chat("suda")
        await _card_on_screen(owner)
        # taken back meanwhile (the owner's other chat): a draft again, the director never decided it
        await Project.filter(code=CODE).update(status=ItemStatus.DRAFT)

        await owner.tap(WITHDRAW)
        assert f"ดึงโครงการ {CODE} กลับไม่ได้ค่ะ" in owner.text
        assert "ผู้อำนวยการพิจารณาไปแล้ว" not in owner.text  # untrue: nobody decided
        assert "📝 ร่าง" in owner.text  # what it is now
        assert (await Project.get(code=CODE)).status is ItemStatus.DRAFT


async def test_a_stale_card_of_a_project_now_someone_elses_is_refused_without_a_crash(database: Database) -> None:
    async with demo_world(database) as world:
        owner = world.chat("suda")
        await _card_on_screen(owner)
        other = world.people["weera"]
        await Project.filter(code=CODE).update(owner_id=other.id)  # changed hands while the card was on screen

        await owner.tap(WITHDRAW)
        assert f"ดึงโครงการ {CODE} กลับไม่ได้ค่ะ" in owner.text
        assert "ผู้รับผิดชอบโครงการ" in owner.text
        assert (await Project.get(code=CODE)).status is ItemStatus.SUBMITTED
        await owner.say("เมนู")  # the conversation goes on
        assert owner.labels()


async def test_a_taken_back_project_is_not_deleted_by_cancel_and_says_so(database: Database) -> None:
    async with demo_world(database) as world:
        owner = world.chat("suda")
        await _card_on_screen(owner)
        await owner.tap(WITHDRAW)  # its hub, ready to change
        await owner.say("/cancel")
        # it was sent once (audited, coded): it is kept, so deleting it is not offered, and the person is told so
        assert not any("ลบ" in label for label in owner.labels()), owner.labels()
        assert "เคยส่งให้ผู้อำนวยการแล้ว จึงไม่ลบค่ะ พักร่างไว้ให้แล้ว" in owner.text, owner.text
        assert (await Project.get(code=CODE)).status is ItemStatus.DRAFT
        await owner.tap("ทำต่อ")  # left where it was, as after 💾
        assert f"รหัส {CODE} · สถานะ 📝 ร่าง" in owner.text, owner.text
        await owner.say("/cancel")
        assert "จึงไม่ลบค่ะ" in owner.text


async def test_a_draft_never_sent_is_still_offered_deletion_on_cancel(database: Database) -> None:
    async with demo_world(database) as world:
        owner = world.chat("suda")
        await up_to_m4(owner)
        await owner.say("/cancel")
        assert "🗑 ใช่ ลบร่าง" in owner.labels()
        await owner.tap("🗑 ใช่ ลบร่าง")
        assert "ลบโครงการร่างแล้วค่ะ" in owner.text
        assert not await Project.filter(code=CODE).exists()


async def test_a_taken_list_s_buttons_do_not_come_back_on_the_review_card_after_a_take_back(
        database: Database) -> None:
    async with demo_world(database) as world:
        owner = world.chat("suda")
        await up_to_m4(owner)
        await fill_m4(owner)
        await owner.say("งบดำเนินงาน 350,000 Q1 150000 Q2 100000 Q3 60000 Q4 40000")  # the last list, taken at once
        assert ADD_BUDGET in owner.labels()  # under the review card, for now
        await owner.tap("ส่งให้ผู้อำนวยการ")
        await owner.tap("โครงการของฉัน")
        await owner.tap("1. โครงการยกระดับ")
        await owner.tap(WITHDRAW)  # its hub, ready to change
        await owner.tap("ตรวจทาน")
        assert "ส่งให้ผู้อำนวยการ" in " ".join(owner.labels())  # the review card of the draft again
        assert ADD_BUDGET not in owner.labels() and "✏️ แก้ไขรายการ" not in owner.labels()


def test_a_state_saved_before_the_mark_loads_as_never_sent() -> None:
    saved = State(flow=DEFAULT_FLOW, project_id=7, project_status="draft").dump()
    del saved["sent_before"]  # a conversation saved by the version before the mark
    assert State.load(saved, {DEFAULT_FLOW}, DEFAULT_FLOW).sent_before is False
    assert State.load({**saved, "sent_before": True}, {DEFAULT_FLOW}, DEFAULT_FLOW).sent_before is True
