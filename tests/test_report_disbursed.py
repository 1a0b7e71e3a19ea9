"""The amount disbursed is typed, never prefilled with the quarter's plan (over Telegram and LINE).

The plan is shown for reference only; nothing spent yet is a "ยังไม่ได้เบิกจ่าย" button (or its words typed),
which stores 0 and still asks why spending fell short of the plan.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from models.report import QuarterReport, WindowException
from tests.support.line_world import line_world
from tests.support.scenario import SHORTFALL, fill_q1_after_kpis, fill_q1_until_kpis, open_report
from tests.support.telegram_app import telegram_app

JAN_5 = datetime(2027, 1, 5, 2, 0, tzinfo=UTC)  # Q1's reporting window is open


async def test_telegram_the_plan_is_shown_for_reference_and_nothing_spent_is_one_button(
        empty_database_url: str) -> None:
    async with telegram_app(empty_database_url) as rig:
        rig.clock.set(JAN_5)
        await WindowException.all().delete()
        suda = await rig.link(rig.user())
        await open_report(suda)  # type: ignore[arg-type]
        await fill_q1_until_kpis(suda)  # type: ignore[arg-type]
        await suda.say("62")
        await suda.say("180 คน")
        await fill_q1_after_kpis(suda)  # type: ignore[arg-type]

        screen = suda.screen
        assert "แผนไตรมาสนี้ 150,000 บาท" in screen["text"]  # the plan, for reference
        assert "ข้อมูลที่มีอยู่" not in screen["text"], screen["text"]  # not offered as the answer
        assert not any("ใช้ค่านี้" in label for label in suda.labels(screen)), suda.labels(screen)
        assert "ยังไม่ได้เบิกจ่าย" in suda.labels(screen)
        await suda.say("/keep")  # nothing to keep: the plan is never taken as the amount spent
        assert "เบิกจ่ายจริงในไตรมาสนี้" in suda.screen["text"], suda.transcript()

        await suda.tap("ยังไม่ได้เบิกจ่าย")
        assert "0 บาท" in suda.text and "คิดเป็น 0% ของแผน 150,000 บาท" in suda.text, suda.transcript()
        assert "เบิกจ่ายต่ำกว่าแผน" in suda.screen["text"]  # the shortfall reason is still asked
        await suda.say(SHORTFALL)
        report = await QuarterReport.get(project__code="CMI1-2570-001", fiscal_year=2570, quarter=1)
        assert (report.planned_amount, report.disbursed_amount) == (Decimal(150000), Decimal(0))
        assert report.shortfall_reason == SHORTFALL


async def test_line_the_amount_is_typed_or_its_button_words_are(empty_database_url: str) -> None:
    async with line_world(empty_database_url) as world:
        world.clock.set(JAN_5)
        await WindowException.all().delete()
        suda = await world.linked("suda")
        await open_report(suda)  # type: ignore[arg-type]
        await fill_q1_until_kpis(suda)  # type: ignore[arg-type]
        await suda.say("62")
        await suda.say("180 คน")
        await fill_q1_after_kpis(suda)  # type: ignore[arg-type]

        assert suda.screen is not None and "แผนไตรมาสนี้ 150,000 บาท" in suda.screen["text"]
        assert "ข้อมูลที่มีอยู่" not in suda.screen["text"]
        assert not any("ใช้ค่านี้" in label for label in suda.labels()), suda.labels()
        assert "ยังไม่ได้เบิกจ่าย" in suda.labels()
        await suda.say("ยังไม่ได้เบิกจ่าย")  # the button's words, typed
        assert "คิดเป็น 0% ของแผน 150,000 บาท" in suda.text, suda.text
        report = await QuarterReport.get(project__code="CMI1-2570-001", fiscal_year=2570, quarter=1)
        assert report.disbursed_amount == Decimal(0)
        assert "เบิกจ่ายต่ำกว่าแผน" in suda.screen["text"]

        await suda.tap("ย้อนกลับ")  # back to the amount: typed as usual, and on plan no reason is asked
        await suda.say("150,000")
        await report.refresh_from_db()
        assert report.disbursed_amount == Decimal(150000)
        assert "เบิกจ่ายต่ำกว่าแผน" not in suda.screen["text"]
