"""Copying last year's project on the two chat platforms, end to end: the real python-telegram-bot against the
stand-in Bot API, signed LINE webhooks answered through the real line-bot-sdk client, and ``tidtam chat`` in a
terminal of its own (#18)."""

from __future__ import annotations

import asyncio
import sys
from datetime import date

from models.clock import system_clock
from models.db import Database
from models.enums import ItemStatus
from models.fiscal import fiscal_year_of, local_day
from models.plans import PlanNode
from models.project import Activity, Project, ProjectPlanLink
from tests.support.line_world import line_world
from tests.support.processes import tidtam_env
from tests.support.telegram_app import telegram_app


async def test_a_project_is_copied_for_next_year_over_telegram(empty_database_url: str) -> None:
    async with telegram_app(empty_database_url) as rig:
        suda = await rig.link(rig.user(7001), "suda")
        await PlanNode.filter(code="NESDP13-12").update(valid_to_fy=2570)  # gone from the plans of 2571
        await suda.say("/menu")
        await suda.tap("📄 คัดลอกจากโครงการเดิม")
        await suda.tap("1. โครงการยกระดับ")
        assert suda.labels()[:2] == ["ปีงบประมาณ 2571", "ปีงบประมาณ 2570"], suda.transcript()
        await suda.tap("ปีงบประมาณ 2571")
        said = "\n".join(message.get("text", "") for message in suda.last)
        assert "เป็นร่างใหม่ CMI1-2571-001" in said and "NESDP13-12" in said, suda.transcript()
        assert "⚠️ M1 ความเชื่อมโยงกับแผน · 📄 คัดลอกมา — ตรวจทาน" in suda.text

        copy = await Project.get(code="CMI1-2571-001")
        assert copy.status is ItemStatus.DRAFT and copy.end_date == date(2028, 9, 30)
        assert await ProjectPlanLink.filter(project=copy).count() == 4
        assert await Activity.filter(project=copy, parent_id__isnull=False).count() == 2

        await suda.tap("📤 ส่งให้ผู้อำนวยการ")
        assert "ยังไม่ได้เปิดตรวจทาน: M1 ความเชื่อมโยงกับแผน" in suda.text, suda.transcript()


async def test_a_project_is_copied_from_its_card_over_line(empty_database_url: str) -> None:
    async with line_world(empty_database_url) as world:
        weera = await world.linked("weera", "วีระ")
        await weera.say("โครงการของฉัน")
        await weera.tap("การดำเนินงานนิเทศ")
        await weera.tap("📄 คัดลอกจากโครงการเดิม")
        assert "CMI1-2570-002" in weera.text and "เป็นร่างใหม่ของปีงบประมาณใด" in weera.text
        await weera.tap("ปีงบประมาณ 2571")
        assert "เป็นร่างใหม่ CMI1-2571-001" in weera.text and "คัดลอกมา — ตรวจทาน" in weera.text, weera.text
        assert "ไม่ได้คัดลอก" not in weera.text  # the same plans in 2571: every link came along
        copy = await Project.get(code="CMI1-2571-001")
        assert copy.copied_from_id == (await Project.get(code="CMI1-2570-002")).id
        assert (copy.start_date, copy.uses_budget) == (date(2027, 10, 1), False)
        await weera.tap("M2 ข้อมูลทั่วไป")
        copy = await Project.get(code="CMI1-2571-001")
        assert "m2" not in copy.copy_review["unseen"] and "m1" in copy.copy_review["unseen"]
        assert world.standin.rejected == []  # every message within LINE's limits


async def test_a_project_is_copied_in_the_terminal(empty_database_url: str) -> None:
    env = tidtam_env(empty_database_url, PYTHONUNBUFFERED="1")
    setup = await asyncio.create_subprocess_exec(sys.executable, "-m", "api.cli", "demo", env=env,
                                                 stdout=asyncio.subprocess.DEVNULL)
    assert await setup.wait() == 0
    chat = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "api.cli", "chat", "--as", "suda", env=env, stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    typed = "\n".join(["/copy", "1", "1", "/submit", "/quit"]) + "\n"
    out, err = await asyncio.wait_for(chat.communicate(typed.encode()), 120)
    screen = out.decode()
    assert chat.returncode == 0, err.decode()
    year = fiscal_year_of(local_day(system_clock())) + 1  # the year being planned, offered first
    assert f"[1] ปีงบประมาณ {year}" in screen, screen
    assert f"คัดลอก CMI1-2570-001 เป็นร่างใหม่ CMI1-{year}-001 ของปีงบประมาณ {year} แล้วค่ะ" in screen
    assert "ยังส่งไม่ได้ค่ะ ส่วนที่คัดลอกมายังไม่ได้เปิดตรวจทาน: M1" in screen
    async with Database(empty_database_url):
        copy = await Project.get(code=f"CMI1-{year}-001")
        assert copy.status is ItemStatus.DRAFT and len(copy.copy_review["unseen"]) == 5
