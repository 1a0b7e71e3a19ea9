"""The report asks only what changed: every activity in one message, one text for every plan, a returned
report opened on what the director commented on, last quarter's values one tap away."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from models.db import Database
from models.enums import ActivityState, ItemStatus
from models.report import ActivityProgress, KpiValue, QuarterReport, WindowException
from tests.support.scenario import fill_q1_report, open_report, open_returned_notice, submit_and_return_q1
from tests.support.transcript import Chat
from tests.support.world import World, demo_world

JAN_5 = datetime(2027, 1, 5, 2, 0, tzinfo=UTC)  # 09:00 in Bangkok: Q1's window is open, due 15 Jan


async def at(world: World, moment: datetime) -> None:
    """Move the clock, and drop the demo's early-reporting exception so that real windows apply."""
    world.clock.set(moment)
    await WindowException.all().delete()


async def _to_activities(world: World) -> Chat:
    owner = world.chat("suda")
    await owner.say("รายงานผล")
    await owner.tap("Q1/2570 โครงการยกระดับ")
    await owner.say("อบรม 2 รุ่น")
    await owner.say("ทดสอบพื้นฐานแล้ว")
    await owner.say("62")
    await owner.say("180")
    return owner


async def _progress(report_code: str = "CMI1-2570-001") -> list[tuple[ActivityState, int]]:
    report = await QuarterReport.get(project__code=report_code, fiscal_year=2570, quarter=1)
    return sorted((p.state, p.percent) for p in await ActivityProgress.filter(report=report))


async def test_every_activity_in_one_message(database: Database) -> None:
    async with demo_world(database) as world:
        await at(world, JAN_5)
        owner = await _to_activities(world)
        screen = owner.screen.text
        assert "1.1 ประชุมเชิงปฏิบัติการพัฒนาครู › อบรมครูภาษาไทย ป.1" in screen
        assert "เช่น “1.1 เสร็จ, 1.2 60%”" in screen
        await owner.say("๑ ร้อยละ ๗๐, 1.1 เสร็จ, 1.2 60%")
        assert "• 1.2 ประชุมเชิงปฏิบัติการพัฒนาครู › อบรมครู ป.2–3: ⏳ กำลังดำเนินการ 60%" in owner.text
        assert owner.screen.key == "rep.contribution.all"  # no second input for an activity in progress
        assert await _progress() == [(ActivityState.DONE, 100), (ActivityState.IN_PROGRESS, 60),
                                     (ActivityState.IN_PROGRESS, 70)]


async def _to_contributions(world: World) -> Chat:
    owner = await _to_activities(world)
    await owner.say("1 70%, 1.1 เสร็จ, 1.2 60%")
    return owner


async def _contributions() -> dict[str, str | None]:
    report = await QuarterReport.get(project__code="CMI1-2570-001", fiscal_year=2570, quarter=1)
    return dict(report.plan_contributions)


async def test_one_text_answers_every_plan(database: Database) -> None:
    async with demo_world(database) as world:
        await at(world, JAN_5)
        owner = await _to_contributions(world)
        assert owner.screen.key == "rep.contribution.all"
        assert "4. LAW พระราชบัญญัติการศึกษาแห่งชาติ พ.ศ. 2542" in owner.screen.text
        await owner.say("ครูภาษาไทยได้รับการพัฒนาทักษะการสอนอ่าน")
        assert "ใช้ข้อความเดียวกันกับทุกแผนที่ยังไม่ได้ตอบ (4 แผน) แล้วค่ะ" in owner.text
        assert owner.screen.key == "rep.disbursed"
        assert set((await _contributions()).values()) == {"ครูภาษาไทยได้รับการพัฒนาทักษะการสอนอ่าน"}


async def test_each_plan_apart_with_the_same_text_offered_and_nothing_new(database: Database) -> None:
    async with demo_world(database) as world:
        await at(world, JAN_5)
        owner = await _to_contributions(world)
        await owner.tap("ตอบแยกรายแผน")
        assert "NS-03" in owner.screen.text and owner.screen.key == "rep.contribution"
        assert not [choice for choice in owner.screen.choices if "ใช้ข้อความเดียวกัน" in choice.label]  # none yet
        await owner.say("   ")
        assert owner.screen.key == "rep.contribution"  # an empty text is asked again
        await owner.say("ครูได้รับการพัฒนา")
        assert "ข้อความของแผนก่อนหน้า: ครูได้รับการพัฒนา" in owner.screen.text
        await owner.tap("ไม่มีความคืบหน้าใหม่")  # MP-12: nothing new this quarter
        await owner.tap("ใช้ข้อความเดียวกันทุกแผน")  # NESDP13-12 and the law: plan 1's words
        assert owner.screen.key == "rep.disbursed"
        assert await _contributions() == {
            "NS-03": "ครูได้รับการพัฒนา", "MP-12-01-Y1": None, "NESDP13-12": "ครูได้รับการพัฒนา",
            "LAW:พระราชบัญญัติการศึกษาแห่งชาติ พ.ศ. 2542": "ครูได้รับการพัฒนา"}
        await owner.say("ตรวจทาน")
        assert "MP-12-01-Y1: ไม่มีความคืบหน้าใหม่" in owner.screen.text  # the card shows what is empty


async def test_a_returned_report_opens_on_the_kpi_the_director_named(database: Database) -> None:
    async with demo_world(database) as world:
        await at(world, JAN_5)
        owner, director = world.chat("suda"), world.chat("somchai")
        await submit_and_return_q1(owner, director, "ตัวชี้วัดที่ ๑ ยังไม่ตรงกับผลสอบ")
        await open_returned_notice(owner)  # 1: the notice's 📝 เปิดรายงาน
        assert "✏️ เปิด “ตัวชี้วัด 1: ร้อยละนักเรียนที่อ่านออกเขียนได้ตามเกณฑ์: 62" in owner.text
        assert owner.screen.key == "rep.kpi.value" and "ค่าปัจจุบัน: 62" in owner.screen.text
        await owner.say("หกสิบสี่จุด")  # not a number: said so, asked again
        assert owner.screen.key == "rep.kpi.value"
        await owner.say("64")  # 2
        assert owner.screen.key == "review"
        await owner.tap("ส่งให้ผู้อำนวยการ")  # 3
        assert owner.last[0].key == "submit.report_done"  # the review card was the confirmation
        report = await QuarterReport.get(project__code="CMI1-2570-001", fiscal_year=2570, quarter=1)
        assert report.status == ItemStatus.SUBMITTED
        values = sorted(value.value for value in await KpiValue.filter(report=report))
        assert values == [Decimal(64), Decimal(180)]


async def test_a_comment_naming_nothing_in_the_report_opens_the_review_card(database: Database) -> None:
    async with demo_world(database) as world:
        await at(world, JAN_5)
        owner, director = world.chat("suda"), world.chat("somchai")
        await submit_and_return_q1(owner, director, "กิจกรรม 3.4 ยังไม่ชัดเจน")  # no 3.4 in Q1: not guessed
        await open_report(owner)
        assert owner.screen.key == "review"


APR_5 = datetime(2027, 4, 5, 2, 0, tzinfo=UTC)  # Q2's window is open


async def test_last_quarters_values_are_one_tap_away(database: Database) -> None:
    async with demo_world(database) as world:
        await at(world, JAN_5)
        owner = world.chat("suda")
        await open_report(owner)
        await fill_q1_report(owner)  # KPIs 62 and 180; 1 at 70%, 1.2 at 60%
        await at(world, APR_5)
        await open_report(owner, "Q2/2570 โครงการยกระดับ")
        await owner.say("นิเทศ 40 โรงเรียน")
        await owner.say("ครูใช้แนวทางใหม่ในห้องเรียน")
        assert "ไตรมาสก่อน: 62" in owner.screen.text
        assert owner.screen.choices[0].label == "↩️ เหมือนไตรมาสก่อน"
        await owner.tap("เหมือนไตรมาสก่อน")
        assert "✔️ รับทราบ: 62" in owner.text
        await owner.say("240")  # the teachers: a new value typed as ever
        assert "ไตรมาสก่อน: ⏳ กำลังดำเนินการ" in owner.screen.text and "1 ประชุม" in owner.screen.text
        await owner.tap("เหมือนไตรมาสก่อน")  # activity 1: in progress 70%, one tap, not two
        assert "กิจกรรม ที่ 1.2" in owner.screen.text
        await owner.say("1.2 เสร็จ, 2 ร้อยละ 30")
        assert owner.screen.key == "rep.contribution.all"
        report = await QuarterReport.get(project__code="CMI1-2570-001", fiscal_year=2570, quarter=2)
        values = sorted(value.value for value in await KpiValue.filter(report=report))
        assert values == [Decimal(62), Decimal(240)]
        progress = sorted((p.state, p.percent) for p in await ActivityProgress.filter(report=report))
        assert progress == [(ActivityState.DONE, 100), (ActivityState.IN_PROGRESS, 30), (ActivityState.IN_PROGRESS, 70)]


async def test_nothing_is_carried_into_a_first_quarter(database: Database) -> None:
    async with demo_world(database) as world:
        await at(world, JAN_5)
        owner = await _to_activities(world)
        assert "เหมือนไตรมาสก่อน" not in [choice.label.split(" ", 1)[-1] for choice in owner.screen.choices]
        assert "ไตรมาสก่อน" not in owner.screen.text


async def test_a_wrong_piece_of_the_activity_message_is_named_and_the_rest_kept(database: Database) -> None:
    async with demo_world(database) as world:
        await at(world, JAN_5)
        owner = await _to_activities(world)
        await owner.say("1.5 เสร็จ, 1.1 เสร็จ, 1.2 150%")
        assert "• 1.1 ประชุมเชิงปฏิบัติการพัฒนาครู › อบรมครูภาษาไทย ป.1: ✅ เสร็จแล้ว" in owner.text
        assert "ไม่มีกิจกรรม 1.5 ในไตรมาสนี้ (มี 1, 1.1, 1.2)" in owner.text
        assert "“1.2 150%” ร้อยละต้องเป็นจำนวนเต็ม 0–100" in owner.text
        assert "กิจกรรม ที่ 1:" in owner.screen.text  # the first activity still without an answer
        await owner.say("ประมาณครึ่งหนึ่ง")  # neither a state nor numbered progress
        assert owner.screen.key == "rep.activity.state"
        await owner.tap("เสร็จแล้ว")  # by taps, as before
        await owner.say("1.2 กำลังดำเนินการ")  # no percentage: asked for it
        assert "ยังไม่บอกร้อยละความคืบหน้า" in owner.text and owner.screen.key == "rep.activity.state"
        await owner.say("1.2 กำลังดำเนินการ 55%")
        assert owner.screen.key == "rep.contribution.all"
        assert await _progress() == [(ActivityState.DONE, 100), (ActivityState.DONE, 100),
                                     (ActivityState.IN_PROGRESS, 55)]


async def test_the_activity_list_takes_one_message_to_change_answers(database: Database) -> None:
    async with demo_world(database) as world:
        await at(world, JAN_5)
        owner = await _to_contributions(world)
        await owner.say("ตรวจทาน")
        await owner.tap("✏️ ความก้าวหน้ากิจกรรม")
        await owner.tap("✏️ กิจกรรม")
        await owner.say("1.2 เสร็จ")  # on the list: changed there, the list stays
        assert "• 1.2 ประชุมเชิงปฏิบัติการพัฒนาครู › อบรมครู ป.2–3: ✅ เสร็จแล้ว" in owner.text
        assert await _progress() == [(ActivityState.DONE, 100), (ActivityState.DONE, 100),
                                     (ActivityState.IN_PROGRESS, 70)]
