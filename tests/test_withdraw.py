"""An owner takes back a submitted project the director has not decided yet (↩️ ดึงกลับมาแก้ไข on its card): it is
editable again, audited, no longer waiting in the director's inbox; once decided it cannot be taken back."""

from __future__ import annotations

import json

from models.db import Database
from models.enums import ItemStatus
from models.project import Project
from models.runtime import AuditEntry
from tests.support.scenario import project_a_before_the_director, register_project_a
from tests.support.transcript import Chat
from tests.support.world import demo_world

WITHDRAW = "↩️ ดึงกลับมาแก้ไข"
CODE = "CMI1-2570-003"


async def _submitted_and_open(owner: Chat) -> None:
    """Project A registered and sent from its review card, then its card opened from โครงการของฉัน."""
    await register_project_a(owner)
    await owner.tap("ส่งให้ผู้อำนวยการ")
    await owner.tap("โครงการของฉัน")
    await owner.tap("1. โครงการยกระดับ")


async def test_a_waiting_project_is_taken_back_changed_and_sent_again(database: Database) -> None:
    async with demo_world(database) as world:
        owner, director = world.chat("suda"), world.chat("somchai")
        await _submitted_and_open(owner)
        assert WITHDRAW in owner.labels() and "✏️ แก้ไข / ทำต่อ" not in owner.labels()

        await owner.tap(WITHDRAW)
        assert f"ดึงโครงการ {CODE} กลับมาแก้ไขแล้วค่ะ" in owner.text
        project = await Project.get(code=CODE)
        assert project.status is ItemStatus.DRAFT
        entry = await AuditEntry.filter(project_id=project.id, field="status").order_by("-id").first()
        assert entry is not None and entry.actor_id == world.people["suda"].id  # type: ignore[attr-defined]
        assert (json.loads(entry.before), json.loads(entry.after)) == ("submitted", "draft")

        await director.say("รออนุมัติ")
        assert "ไม่มีรายการรอการพิจารณาค่ะ" in director.text and CODE not in director.text

        await owner.say("เมนู")
        await owner.tap("โครงการของฉัน")
        await owner.tap("1. โครงการยกระดับ")
        assert WITHDRAW not in owner.labels()
        await owner.tap("แก้ไข / ทำต่อ")
        await owner.tap("ตรวจทาน")
        await owner.tap("ส่งให้ผู้อำนวยการ")
        await project.refresh_from_db()
        assert project.status is ItemStatus.SUBMITTED


async def test_a_project_decided_meanwhile_is_not_taken_back(database: Database) -> None:
    async with demo_world(database) as world:
        owner, director = world.chat("suda"), world.chat("somchai")
        await _submitted_and_open(owner)
        assert WITHDRAW in owner.labels()  # the card still on the owner's phone

        await director.say("รออนุมัติ")
        await director.tap("1. ทะเบียนโครงการ")
        await director.tap("อนุมัติ")
        await director.say("ใช่")
        await owner.tap(WITHDRAW)
        assert f"ดึงโครงการ {CODE} กลับไม่ได้ค่ะ ผู้อำนวยการพิจารณาไปแล้ว" in owner.text
        project = await Project.get(code=CODE)
        assert project.status is ItemStatus.APPROVED
        assert not await AuditEntry.filter(project_id=project.id, field="status", after=json.dumps("draft")).exists()


async def test_the_directors_open_item_is_no_longer_decided_once_taken_back(database: Database) -> None:
    async with demo_world(database) as world:
        owner, director = world.chat("suda"), world.chat("somchai")
        await project_a_before_the_director(owner, director)

        await owner.tap("โครงการของฉัน")
        await owner.tap("1. โครงการยกระดับ")
        await owner.tap(WITHDRAW)
        await director.tap("อนุมัติ")
        await director.say("ใช่")
        assert "ไม่อยู่ในสถานะรอการพิจารณา" in director.text
        assert (await Project.get(code=CODE)).status is ItemStatus.DRAFT


async def test_a_project_taken_back_opens_on_its_hub_with_its_edit_actions(database: Database) -> None:
    async with demo_world(database) as world:
        owner = world.chat("suda")
        await _submitted_and_open(owner)
        await owner.tap(WITHDRAW)
        assert owner.screen.key == "hub.text" and "โครงการยกระดับ" in owner.screen.text  # not the main menu
        assert "🔎 ตรวจทาน" in owner.labels() and "✅ M2 ข้อมูลทั่วไป" in owner.labels()
        await owner.tap("ตรวจทาน")
        await owner.tap("ส่งให้ผู้อำนวยการ")  # changed or not, sent again from here
        project = await Project.get(code=CODE)
        assert project.status is ItemStatus.SUBMITTED
