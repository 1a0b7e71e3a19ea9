"""The admins' chat commands: invites, windows, due dates and lock exceptions; refused to everyone else."""

from __future__ import annotations

from datetime import date

import pytest

from models.db import Database
from models.enums import Role
from models.org import User
from models.report import ReportingWindow, WindowException
from models.runtime import AuditEntry
from tests.support.world import demo_world


@pytest.mark.parametrize("person", ["suda", "somchai"])
async def test_only_admins_may(database: Database, person: str) -> None:
    async with demo_world(database) as world:
        chat = world.chat(person)
        for command in ("/invite owner CMI1", "/windows", "/window Q1/2570 20 ม.ค. 2570",
                        "/except CMI1 Q1/2570 15 ก.พ. 2570"):
            await chat.say(command)
            assert "คำสั่งนี้สำหรับผู้ดูแลระบบ" in chat.text, command
        assert await ReportingWindow.all().count() == 0


async def test_an_admin_moves_a_due_date_and_grants_an_exception(database: Database) -> None:
    async with demo_world(database) as world:
        admin = world.chat("admin")
        await admin.say("/window Q1/2570 20 ม.ค. 2570")
        assert "กำหนดส่ง 20 ม.ค. 2570 · ปิดรับ 4 ก.พ. 2570" in admin.text
        row = await ReportingWindow.get(fiscal_year=2570, quarter=1)
        assert (row.opens_on, row.due_on) == (date(2027, 1, 1), date(2027, 1, 20))
        await admin.say("/except lpn9 Q1/2570 15 ก.พ. 2570")
        assert "ไม่พบหน่วยงานรหัส “lpn9”" in admin.text
        await admin.say("/except CMI1 Q1/2570 15/2/70")
        assert "ส่งรายงาน Q1/2570 ได้ถึง 15 ก.พ. 2570" in admin.text
        assert (await WindowException.get(quarter=1)).until == date(2027, 2, 15)
        await admin.say("ช่วงรายงาน 2570")
        assert "Q1/2570: เปิด 1 ม.ค. 2570 · กำหนดส่ง 20 ม.ค. 2570" in admin.text and "(กำหนดเอง)" in admin.text
        assert "ข้อยกเว้น: CMI1 Q1/2570 ส่งได้ถึง 15 ก.พ. 2570" in admin.text
        await admin.say("/window Q1/2570 วันพรุ่งนี้")
        assert "/window Q1/2570 20 ม.ค. 2570" in admin.text  # the example, after what was wrong
        await admin.say("/window Q1/2570 1 ธ.ค. 2569")
        assert "ต้องไม่ก่อนวันเปิดรับรายงาน" in admin.text
        changes = await AuditEntry.filter(entity__in=["reporting_window", "window_exception"]).count()
        assert changes == 2


async def test_an_admin_invites_a_director(database: Database) -> None:
    async with demo_world(database) as world:
        admin = world.chat("admin")
        await admin.say("/invite ผู้อำนวยการ CMI1")
        code = admin.text.split("รหัสเชิญ ")[1].split()[0]
        await admin.say("/invite owner")
        assert "ต้องระบุรหัสหน่วยงาน" in admin.text
        newcomer = world.chat("newcomer")
        await newcomer.say(code)
        assert "เชื่อมบัญชีเรียบร้อย" in newcomer.text
        assert "ชื่อ-นามสกุลจริง" in newcomer.text  # a role invite knows no name: asked once
        await newcomer.say("นายวิชัย ใจกว้าง")
        await newcomer.say("/skip")
        await newcomer.say("/skip")
        await newcomer.say("/project CMI1-2570-001")
        assert "CMI1-2570-001" in newcomer.text and "ไม่พบ" not in newcomer.text  # a director of CMI1 now
        linked = await User.get(chat_accounts__external_id="newcomer")
        assert (linked.role, linked.name) == (Role.DIRECTOR, "นายวิชัย ใจกว้าง")


async def test_moving_a_due_date_keeps_a_lock_day_set_before(database: Database) -> None:
    async with demo_world(database) as world:
        await ReportingWindow.create(fiscal_year=2570, quarter=1, opens_on=date(2027, 1, 1), due_on=date(2027, 1, 15),
                                     locks_on=date(2027, 2, 28), note="circular")
        admin = world.chat("admin")
        await admin.say("/window Q1/2570 20 ม.ค. 2570")
        assert "ปิดรับ 28 ก.พ. 2570" in admin.text
        assert (await ReportingWindow.get(quarter=1)).locks_on == date(2027, 2, 28)
        entry = await AuditEntry.get(entity="reporting_window")
        assert '"due": "2027-01-15"' in (entry.before or "")
        await admin.say("/windows ²")  # odd digits: the current year, not a failure
        assert "ช่วงการรายงาน ปีงบประมาณ" in admin.text
