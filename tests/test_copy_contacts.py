"""A copy for a new fiscal year carries today's contacts, not last year's (#18 with issue 17's records): the owner
is the person copying, the director is their office's director now; a detail the records lack stays as the source
had it. Each change is said when the copy is made and named under M2 on the hub until M2 is opened, and the audit
trail records the new values like every other copied value. Through the service as a terminal chat."""

from __future__ import annotations

import json

from models.db import Database
from models.enums import Role
from models.org import User
from models.project import Project
from models.runtime import AuditEntry
from tests.support.transcript import Chat
from tests.support.world import demo_world

OLD_DIRECTOR, NEW_DIRECTOR = "นายสมชาย ใจดี", "นางวิไล ใหม่ใจ"


async def copy_a_into_2571(suda: Chat) -> None:
    await suda.say("เมนู")
    await suda.tap("📄 คัดลอกจากโครงการเดิม")
    await suda.tap("โครงการยกระดับ")
    await suda.tap("ปีงบประมาณ 2571")


def hub_lines(chat: Chat) -> list[str]:
    return chat.screen.text.splitlines()


async def test_a_copy_takes_todays_director_and_owner_and_says_what_changed(database: Database) -> None:
    async with demo_world(database) as world:
        somchai, suda_user = world.people["somchai"], world.people["suda"]
        await User.filter(id=somchai.id).update(active=False)  # the office has a new director since last year
        await User.create(name=NEW_DIRECTOR, role=Role.DIRECTOR, office_id=somchai.office_id,
                          email="wilai.m@example.go.th", phone="")  # her phone is not in the records yet
        await User.filter(id=suda_user.id).update(phone="082-000-1111")
        suda = world.chat("suda")
        await copy_a_into_2571(suda)

        said = next(reply.text for reply in suda.last if reply.key == "copy.contacts")
        assert f"ผู้อำนวยการเปลี่ยนจาก {OLD_DIRECTOR} เป็น {NEW_DIRECTOR}" in said
        assert "อีเมลผู้อำนวยการเปลี่ยนจาก somchai.j@example.go.th เป็น wilai.m@example.go.th" in said
        assert "โทรศัพท์ผู้รับผิดชอบเปลี่ยนจาก 081-234-5678 เป็น 082-000-1111" in said
        assert "โทรศัพท์ผู้อำนวยการ" not in said and "อีเมลผู้รับผิดชอบ" not in said  # unknown or the same

        lines = hub_lines(suda)
        m2 = next(index for index, line in enumerate(lines) if " M2 " in line)
        assert lines[m2].startswith("✅ M2") and "คัดลอกมา — ตรวจทาน" in lines[m2]  # to look at, not a warning
        assert f"   – ผู้อำนวยการเปลี่ยนจาก {OLD_DIRECTOR} เป็น {NEW_DIRECTOR}" in lines[m2 + 1:m2 + 4]

        source = await Project.get(code="CMI1-2570-001")
        copy = await Project.get(code="CMI1-2571-001")
        assert (copy.director_name, copy.director_email, copy.director_phone) == (
            NEW_DIRECTOR, "wilai.m@example.go.th", source.director_phone)  # the phone the records lack: kept
        assert (copy.owner_name, copy.owner_email, copy.owner_phone) == (
            source.owner_name, source.owner_email, "082-000-1111")
        assert (source.director_name, source.owner_phone) == (OLD_DIRECTOR, "081-234-5678")  # source untouched
        assert [change["key"] for change in copy.copy_review["contacts"]] == [
            "director_name", "director_email", "owner_phone"]

        trail = await AuditEntry.get(project_id=copy.id, field="director_name")
        assert json.loads(trail.after) == NEW_DIRECTOR and trail.actor_id == suda_user.id
        assert json.loads((await AuditEntry.get(project_id=copy.id, field="owner_phone")).after) == "082-000-1111"

        await suda.tap(lines[m2].split(" · ")[0][:20])
        assert suda.screen.key == "section.view", suda.text
        assert NEW_DIRECTOR in suda.screen.text
        await suda.tap("📑 สารบัญ")
        assert "เปลี่ยนจาก" not in suda.screen.text  # opened: the notice has done its job


async def test_a_copy_whose_contacts_are_still_current_says_nothing_of_them(database: Database) -> None:
    async with demo_world(database) as world:
        suda = world.chat("suda")
        await copy_a_into_2571(suda)
        assert suda.screen.key == "hub.text"
        assert not [reply for reply in suda.last if reply.key == "copy.contacts"]
        assert "เปลี่ยนจาก" not in suda.text
        copy = await Project.get(code="CMI1-2571-001")
        assert "contacts" not in copy.copy_review
