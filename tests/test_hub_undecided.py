"""M5 is neither "not needed" nor skipped before "uses budget" is answered (over Telegram)."""

from __future__ import annotations

from tests.support.scenario import start_project
from tests.support.telegram_app import telegram_app

WAITING = "ขึ้นกับคำตอบ “ใช้งบประมาณ” ใน M2 ข้อมูลทั่วไป"


async def test_m5_waits_for_uses_budget_on_the_hub_and_the_review(empty_database_url: str) -> None:
    async with telegram_app(empty_database_url) as rig:
        suda = await rig.link(rig.user())
        await start_project(suda)  # type: ignore[arg-type]
        await suda.say("สารบัญ")
        hub = suda.screen["text"]
        assert f"○ M5 งบประมาณ ({WAITING})" in hub, hub
        assert "➖" not in hub
        assert "○ M5 งบประมาณ" in suda.labels(suda.screen)

        await suda.tap("○ M5 งบประมาณ")
        assert f"M5 งบประมาณ {WAITING} ตอบข้อนั้นก่อนค่ะ" in suda.text, suda.transcript()
        assert "ไม่ต้องกรอก" not in suda.text

        await suda.say("ตรวจทาน")
        card = suda.text.split("○ M5 งบประมาณ\n")
        assert len(card) == 2 and card[1].startswith(f"• {WAITING}"), suda.text
        assert "ไม่ต้องกรอก" not in suda.text

        await suda.say("สารบัญ")
        await suda.tap("M2")
        await suda.tap("โครงการ")
        await suda.tap("แผนงานพื้นฐานด้านการพัฒนา")
        await suda.say("ไม่ใช้")  # no budget: now M5 is known not to be needed
        await suda.say("สารบัญ")
        hub = suda.screen["text"]
        assert "➖ M5 งบประมาณ" in hub and WAITING not in hub, hub
