"""Sub-activities typed in one message give their parent's progress: it is said back as derived, not asked."""

from __future__ import annotations

from models.db import Database
from models.enums import ActivityState
from tests.support.world import demo_world
from tests.test_report_effort import JAN_5, _progress, _to_activities, at


async def test_sub_activities_give_their_parent_in_progress_at_their_mean(database: Database) -> None:
    async with demo_world(database) as world:
        await at(world, JAN_5)
        owner = await _to_activities(world)
        assert "เช่น “1.1 เสร็จ, 1.2 60%”" in owner.screen.text  # the example never contradicts itself
        await owner.say("1.1 เสร็จ, 1.2 60%")
        assert "• 1 ประชุมเชิงปฏิบัติการพัฒนาครู: ⏳ กำลังดำเนินการ 80% (คิดจากกิจกรรมย่อย" in owner.text
        assert owner.screen.key == "rep.contribution.all"  # the parent is not asked
        assert await _progress() == [(ActivityState.DONE, 100), (ActivityState.IN_PROGRESS, 60),
                                     (ActivityState.IN_PROGRESS, 80)]


async def test_sub_activities_all_done_give_a_done_parent_and_its_own_value_wins(database: Database) -> None:
    async with demo_world(database) as world:
        await at(world, JAN_5)
        owner = await _to_activities(world)
        await owner.say("1.1 เสร็จ, 1.2 เสร็จแล้ว")
        assert "• 1 ประชุมเชิงปฏิบัติการพัฒนาครู: ✅ เสร็จแล้ว" in owner.text
        assert owner.screen.key == "rep.contribution.all"
        assert await _progress() == [(ActivityState.DONE, 100)] * 3


async def test_a_parent_typed_with_its_subs_keeps_its_own_value(database: Database) -> None:
    async with demo_world(database) as world:
        await at(world, JAN_5)
        owner = await _to_activities(world)
        await owner.say("1 70%, 1.1 เสร็จ, 1.2 60%")
        assert "คิดจากกิจกรรมย่อย" not in owner.text
        assert await _progress() == [(ActivityState.DONE, 100), (ActivityState.IN_PROGRESS, 60),
                                     (ActivityState.IN_PROGRESS, 70)]


async def test_one_sub_activity_alone_leaves_the_parent_to_ask(database: Database) -> None:
    async with demo_world(database) as world:
        await at(world, JAN_5)
        owner = await _to_activities(world)
        await owner.say("1.1 เสร็จ")
        assert "คิดจากกิจกรรมย่อย" not in owner.text
        assert owner.screen.key != "rep.contribution.all"
