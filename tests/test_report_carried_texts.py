"""Last quarter's contribution texts one tap away: after an approved Q1 report, the Q2 report offers each linked
plan's Q1 text as "↩️ เหมือนไตรมาสก่อน", shown, on the one-text-for-all question and on each plan's own."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from models.db import Database
from models.enums import ItemStatus
from models.report import QuarterReport, WindowException
from tests.support.scenario import SHORTFALL, fill_q1_until_kpis, open_report
from tests.support.transcript import Chat
from tests.support.world import World, demo_world

JAN_5 = datetime(2027, 1, 5, 2, 0, tzinfo=UTC)  # Q1's window is open
APR_5 = datetime(2027, 4, 5, 2, 0, tzinfo=UTC)  # Q2's window is open
LAW = "LAW:พระราชบัญญัติการศึกษาแห่งชาติ พ.ศ. 2542"
Q1_TEXTS = {"NS-03": "ครูภาษาไทยได้รับการพัฒนาทักษะการสอนอ่าน", "MP-12-01-Y1": "นักเรียนได้รับการสอนอ่านตามแนวทางใหม่",
            "NESDP13-12": "กำลังคนมีทักษะการเรียนรู้", LAW: "ดำเนินการตาม พ.ร.บ.การศึกษาแห่งชาติ มาตรา 22"}
ONE_TEXT = "ครูและนักเรียนได้รับการพัฒนาการอ่าน"
Contributions = Callable[[Chat], Awaitable[None]]


async def at(world: World, moment: datetime) -> None:
    """Move the clock, and drop the demo's early-reporting exception so that real windows apply."""
    world.clock.set(moment)
    await WindowException.all().delete()


async def each_its_own(chat: Chat) -> None:
    await chat.tap("ตอบแยกรายแผน")
    for text in Q1_TEXTS.values():
        await chat.say(text)


async def one_for_all(chat: Chat) -> None:
    await chat.say(ONE_TEXT)


async def mp12_nothing_new(chat: Chat) -> None:
    await chat.tap("ตอบแยกรายแผน")
    await chat.say(Q1_TEXTS["NS-03"])
    await chat.tap("ไม่มีความคืบหน้าใหม่")  # MP-12: nothing to offer next quarter
    await chat.say(Q1_TEXTS["NESDP13-12"])
    await chat.say(Q1_TEXTS[LAW])


async def approved_q1(world: World, contributions: Contributions) -> Chat:
    """Project A's Q1 report with ``contributions`` as its plan texts, submitted and approved; the clock in Q2."""
    await at(world, JAN_5)
    owner, director = world.chat("suda"), world.chat("somchai")
    await open_report(owner)
    await fill_q1_until_kpis(owner)
    await owner.say("62")
    await owner.say("180 คน")
    await owner.say("1 70%, 1.1 เสร็จ, 1.2 60%")
    assert owner.screen.key == "rep.contribution.all"
    await contributions(owner)
    await owner.say("98,500")
    await owner.say(SHORTFALL)
    await owner.say("โรงเรียนที่อยู่ไกลส่งครูมาอบรมในวันธรรมดาไม่ได้")
    await owner.say("/submit")
    await director.say("รออนุมัติ")
    await director.tap("1. รายงาน Q1/2570")
    await director.tap("✅ อนุมัติ")
    await director.tap("ยืนยันอนุมัติ")
    q1 = await QuarterReport.get(project__code="CMI1-2570-001", fiscal_year=2570, quarter=1)
    assert q1.status is ItemStatus.APPROVED
    await at(world, APR_5)
    return owner


async def to_q2_contributions(owner: Chat) -> None:
    await open_report(owner, "Q2/2570 โครงการยกระดับ")
    await owner.say("นิเทศ 40 โรงเรียน")
    await owner.say("ครูใช้แนวทางใหม่ในห้องเรียน")
    await owner.tap("เหมือนไตรมาสก่อน")  # KPI 1: 62
    await owner.say("240")
    await owner.say("1 เสร็จ, 1.2 เสร็จ, 2 ร้อยละ 30")
    assert owner.screen.key == "rep.contribution.all", owner.screen.text


async def q2_contributions() -> dict[str, str | None]:
    report = await QuarterReport.get(project__code="CMI1-2570-001", fiscal_year=2570, quarter=2)
    return dict(report.plan_contributions)


async def test_each_plans_own_text_of_last_quarter_in_one_tap(database: Database) -> None:
    async with demo_world(database) as world:
        owner = await approved_q1(world, each_its_own)
        await to_q2_contributions(owner)
        screen = owner.screen.text
        assert "ไตรมาสก่อนตอบไว้รายแผน:" in screen, screen  # shown, each plan's own
        for number, (link, text) in enumerate(Q1_TEXTS.items(), start=1):
            assert f"{number}. {link.split(':')[0]}: {text}" in screen, screen
        assert "ถามต่อทีละแผน" not in screen  # every plan has one
        assert owner.screen.choices[0].label == "↩️ เหมือนไตรมาสก่อน"
        await owner.tap("เหมือนไตรมาสก่อน")
        assert "↩️ ใช้ข้อความของไตรมาสก่อนกับ 4 แผนแล้วค่ะ" in owner.text
        assert owner.screen.key == "rep.disbursed"
        assert await q2_contributions() == Q1_TEXTS


async def test_one_text_for_all_last_quarter_is_shown_once_and_taken_for_all(database: Database) -> None:
    async with demo_world(database) as world:
        owner = await approved_q1(world, one_for_all)
        await to_q2_contributions(owner)
        assert f"ไตรมาสก่อน: {ONE_TEXT} — ถ้าเหมือนเดิม" in owner.screen.text, owner.screen.text
        assert owner.screen.text.count(ONE_TEXT) == 1, owner.screen.text
        await owner.say("เหมือนไตรมาสก่อน")  # the button's words typed are the button, never the plans' text
        assert owner.screen.key == "rep.disbursed"
        assert await q2_contributions() == dict.fromkeys(Q1_TEXTS, ONE_TEXT)


async def test_a_plan_with_nothing_last_quarter_is_then_asked_on_its_own(database: Database) -> None:
    async with demo_world(database) as world:
        owner = await approved_q1(world, mp12_nothing_new)
        await to_q2_contributions(owner)
        screen = owner.screen.text
        assert "1. NS-03: " in screen and "2. MP-12" not in screen.split("ไตรมาสก่อนตอบไว้รายแผน:")[1], screen
        assert "แผนที่ไตรมาสก่อนไม่มีข้อความ 1 แผน จะถามต่อทีละแผน" in screen, screen
        await owner.tap("เหมือนไตรมาสก่อน")
        assert "กับ 3 แผนแล้วค่ะ" in owner.text
        assert owner.screen.key == "rep.contribution" and "MP-12-01-Y1" in owner.screen.text
        assert "เหมือนไตรมาสก่อน" not in " ".join(owner.labels())  # nothing of last quarter to offer here
        await owner.say("นักเรียน ป.1 อ่านออกเพิ่มขึ้น")
        assert owner.screen.key == "rep.disbursed"
        assert await q2_contributions() == {**Q1_TEXTS, "MP-12-01-Y1": "นักเรียน ป.1 อ่านออกเพิ่มขึ้น"}


async def test_each_plan_apart_offers_its_own_text_of_last_quarter(database: Database) -> None:
    async with demo_world(database) as world:
        owner = await approved_q1(world, each_its_own)
        await to_q2_contributions(owner)
        await owner.tap("ตอบแยกรายแผน")
        assert owner.screen.key == "rep.contribution" and "NS-03" in owner.screen.text
        assert f"ไตรมาสก่อน: {Q1_TEXTS['NS-03']}" in owner.screen.text, owner.screen.text
        assert owner.screen.choices[0].label == "↩️ เหมือนไตรมาสก่อน"
        await owner.tap("เหมือนไตรมาสก่อน")  # NS-03: as last quarter
        assert f"✔️ รับทราบ: {Q1_TEXTS['NS-03']}" in owner.text, owner.text
        assert f"ไตรมาสก่อน: {Q1_TEXTS['MP-12-01-Y1']}" in owner.screen.text, owner.screen.text  # its own, not plan 1's
        await owner.say("นักเรียนอ่านคล่องขึ้น")  # MP-12: a new text typed as ever
        await owner.tap("เหมือนไตรมาสก่อน")  # NESDP13-12
        await owner.tap("ใช้ข้อความเดียวกันทุกแผน")  # the law: the text of the plan before, still offered
        assert owner.screen.key == "rep.disbursed"
        assert await q2_contributions() == {**Q1_TEXTS, "MP-12-01-Y1": "นักเรียนอ่านคล่องขึ้น",
                                            LAW: Q1_TEXTS["NESDP13-12"]}


async def test_a_new_text_typed_on_the_one_text_question_is_still_every_plans(database: Database) -> None:
    async with demo_world(database) as world:
        owner = await approved_q1(world, each_its_own)
        await to_q2_contributions(owner)
        await owner.say("ขยายผลไปโรงเรียนขนาดเล็ก")
        assert owner.screen.key == "rep.disbursed"
        assert await q2_contributions() == dict.fromkeys(Q1_TEXTS, "ขยายผลไปโรงเรียนขนาดเล็ก")
