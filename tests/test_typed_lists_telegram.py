"""An activity outline and a budget line typed in one message over Telegram (the real python-telegram-bot against
the local stand-in): the card arrives with its buttons, a wrong line is named, and ✅ adds what was read; a budget
line typed into the empty list is taken at once."""

from __future__ import annotations

from models.project import Activity, BudgetLine
from tests.support.scenario import up_to_m4
from tests.support.telegram_app import assert_within_limits, telegram_app


async def test_an_outline_and_a_budget_line_typed_over_telegram(empty_database_url: str) -> None:
    async with telegram_app(empty_database_url) as rig:
        suda = await rig.link(rig.user())
        await up_to_m4(suda)  # type: ignore[arg-type]
        await suda.say("1. ประชุมเชิงปฏิบัติการพัฒนาครู Q1-Q2\n"
                       "1.1 อบรมครูภาษาไทย ป.1 ไตรมาส ๑\n"
                       "2. นิเทศ ติดตาม\n"
                       "3. สรุปและรายงานผล Q4")
        screen = suda.screen["text"]
        assert "อ่านได้ 3 รายการ" in screen and "บรรทัดที่ 3 “2. นิเทศ ติดตาม”" in screen, screen
        assert {"✅ ยืนยัน (3)", "✏️ แก้ไข", "✖️ ไม่เพิ่ม"} <= set(suda.labels()), suda.labels()
        await suda.say("2. นิเทศ ติดตาม Q2-Q3")  # the wrong line again: the three read are kept
        assert "อ่านได้ 4 รายการ" in suda.screen["text"], suda.screen["text"]
        await suda.tap("ยืนยัน")
        assert "เพิ่มกิจกรรม 4 รายการแล้ว" in suda.text, suda.text
        await suda.tap("เสร็จ")
        await suda.say("สพฐ. งบดำเนินงาน 120,000 Q2")  # the empty budget list typed in one message: taken at once
        assert "รวมงบประมาณทั้งสิ้น: 120,000" in suda.text, suda.text
        names = sorted(row.name for row in await Activity.filter(project__code="CMI1-2570-003"))
        assert names == ["นิเทศ ติดตาม", "ประชุมเชิงปฏิบัติการพัฒนาครู", "สรุปและรายงานผล", "อบรมครูภาษาไทย ป.1"]
        line = await BudgetLine.get(project__code="CMI1-2570-003")
        assert (line.source_agency, line.plan_q2) == ("สพฐ.", 120000)
        assert_within_limits(rig.standin)
