"""The short report over the real python-telegram-bot against the Telegram stand-in: every activity in one message,
one text for every plan, submitted from the review card; returned, it is fixed from the notice in three inputs."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from models.enums import ActivityState, ItemStatus
from models.report import ActivityProgress, KpiValue, QuarterReport, WindowException
from tests.support.scenario import SHORTFALL, open_report
from tests.support.telegram_app import assert_within_limits, telegram_app
from tests.support.telegram_user import buttons

JAN_5 = datetime(2027, 1, 5, 2, 0, tzinfo=UTC)  # Q1's reporting window is open


async def test_q1_in_twelve_inputs_and_a_one_value_fix_in_three_over_telegram(empty_database_url: str) -> None:
    async with telegram_app(empty_database_url) as rig:
        rig.clock.set(JAN_5)
        await WindowException.all().delete()
        suda = await rig.link(rig.user())
        somchai = await rig.link(rig.user(7003, "สมชาย", "ใจดี"), "somchai")

        await open_report(suda)  # type: ignore[arg-type]  # 1, 2
        await suda.say("อบรมเชิงปฏิบัติการ 2 รุ่น ครูผ่านการอบรม 180 คน")  # 3
        await suda.say("ยังเร็วเกินไปที่จะวัดผลการอ่าน ทดสอบพื้นฐาน (baseline) แล้ว")  # 4
        await suda.say("62")  # 5
        await suda.say("180 คน")  # 6
        assert "1.2 ประชุมเชิงปฏิบัติการพัฒนาครู › อบรมครู ป.2–3" in suda.screen["text"]
        await suda.say("1 70%, 1.1 เสร็จ, 1.2 ร้อยละ 160")  # a wrong percentage: named, the rest kept
        assert "“1.2 ร้อยละ 160” ร้อยละต้องเป็นจำนวนเต็ม 0–100" in suda.text, suda.transcript()
        assert "กิจกรรม ที่ 1.2" in suda.screen["text"]  # only what is missing is asked again
        await suda.say("1.2 60%")  # 7
        assert "✍️ ตอบแยกรายแผน" in suda.labels(suda.screen)
        await suda.say("ครูภาษาไทยได้รับการพัฒนาทักษะการสอนอ่าน")  # 8: every plan
        await suda.say("98,500")  # 9
        await suda.say(SHORTFALL)  # 10
        await suda.say("โรงเรียนที่อยู่ไกลส่งครูมาอบรมในวันธรรมดาไม่ได้")  # 11
        assert "ข้อมูลครบแล้ว" in suda.screen["text"]
        await suda.tap("ส่งให้ผู้อำนวยการ")  # 12
        assert "ให้ผู้อำนวยการแล้ว" in suda.text, suda.transcript()
        report = await QuarterReport.get(project__code="CMI1-2570-001", fiscal_year=2570, quarter=1)
        assert report.status is ItemStatus.SUBMITTED
        assert sorted((p.state, p.percent) for p in await ActivityProgress.filter(report=report)) == [
            (ActivityState.DONE, 100), (ActivityState.IN_PROGRESS, 60), (ActivityState.IN_PROGRESS, 70)]
        assert len(set(report.plan_contributions.values())) == 1 and len(report.plan_contributions) == 4

        await somchai.say("รออนุมัติ")
        await somchai.tap("1. รายงาน Q1/2570")
        await somchai.tap("ส่งกลับแก้ไข")
        await somchai.say("ตัวชี้วัดที่ 1 ยังไม่ตรงกับผลสอบ")

        await suda.say("สวัสดี")  # the notice comes first, with its button
        notice = suda.last[0]
        [(_, data)] = buttons(notice)
        await suda.press(notice, data)  # 1: 📝 เปิดรายงาน, on KPI 1
        assert "ค่าปัจจุบัน: 62" in suda.screen["text"], suda.transcript()
        await suda.say("64")  # 2
        await suda.tap("ส่งให้ผู้อำนวยการ")  # 3
        await report.refresh_from_db()
        assert report.status is ItemStatus.SUBMITTED
        assert sorted(value.value for value in await KpiValue.filter(report=report)) == [Decimal(64), Decimal(180)]
        assert_within_limits(rig.standin)
