"""Copying last year's project into a new draft (#18), through the service as a terminal chat: the catalog of the
new year decides which plan links come along, dates move by whole years, the activity tree, quarters and budget
lines stay, the hub marks every copied section until it is opened, submission waits for all of them, and nobody
copies what they may not see."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from conversations.engine.conclude import conclude
from conversations.engine.context import Turn
from conversations.engine.effect_types import SubmitProject
from conversations.engine.outcomes import CopyRefused, SubmitUnseen
from conversations.flows.registry import FLOWS, REGISTRATION_FLOW
from conversations.service.copying import copy_project
from conversations.service.effects import EffectRunner
from conversations.service.loaders import base_context
from models.catalog import default_catalog_path, load_catalog
from models.db import Database
from models.enums import ItemStatus, Platform, Role
from models.org import ChatAccount, Office, User
from models.project import Activity, BudgetLine, Kpi, Project, ProjectPlanLink
from models.report import QuarterReport
from models.runtime import AuditEntry
from models.windows import ReportingPolicy
from tests.support.transcript import Chat
from tests.support.world import demo_world

RETIRED = "NESDP13-12"  # one of Project A's links, gone from the catalog of FY 2571
SECTIONS = ("M1", "M2", "M3", "M4", "M5")


def without(node: Any, code: str) -> Any:
    """The catalog document without the node ``code`` (and its children)."""
    if isinstance(node, list):
        return [without(item, code) for item in node if not (isinstance(item, dict) and item.get("code") == code)]
    if isinstance(node, dict):
        return {key: without(value, code) for key, value in node.items()}
    return node


async def catalog_of_2571_without(tmp_path: Path, code: str) -> None:
    """Load the catalog of FY 2571, which no longer has ``code`` (valid until 2570 from now on)."""
    document = json.loads(default_catalog_path().read_text(encoding="utf-8"))
    path = tmp_path / "plans-2571.json"
    path.write_text(json.dumps(without(document, code), ensure_ascii=False), encoding="utf-8")
    report = await load_catalog(path, fiscal_year=2571)
    assert report.retired == 1


async def copy_a_into_2571(suda: Chat) -> None:
    await suda.say("เมนู")
    await suda.tap("📄 คัดลอกจากโครงการเดิม")
    assert "เลือกโครงการที่จะใช้เป็นต้นแบบ" in suda.screen.text
    await suda.tap("โครงการยกระดับ")
    assert suda.labels()[:2] == ["ปีงบประมาณ 2571", "ปีงบประมาณ 2570"]  # the year being planned first
    assert "CMI1-2570-001 ปีงบประมาณ 2570" in suda.screen.text
    await suda.tap("ปีงบประมาณ 2571")


def hub_line(chat: Chat, section: str) -> str:
    return next(line for line in chat.screen.text.splitlines() if f" {section} " in line)


async def test_a_copy_for_the_next_year_maps_links_moves_dates_and_keeps_the_activity_tree(
        database: Database, tmp_path: Path) -> None:
    async with demo_world(database) as world:
        await catalog_of_2571_without(tmp_path, RETIRED)
        suda = world.chat("suda")
        await copy_a_into_2571(suda)

        assert "คัดลอก CMI1-2570-001 เป็นร่างใหม่ CMI1-2571-001 ของปีงบประมาณ 2571 แล้วค่ะ" in suda.text
        assert "เลื่อนไปข้างหน้า 1 ปี" in suda.text
        dropped = next(reply.text for reply in suda.last if reply.key == "copy.dropped")
        assert RETIRED in dropped and "ไม่มีในแผนของปีงบประมาณ 2571" in dropped
        assert suda.screen.key == "hub.text"
        assert hub_line(suda, "M1").startswith("⚠️ M1") and "คัดลอกมา — ตรวจทาน" in hub_line(suda, "M1")
        assert f"ไม่มีในแผนของปีนี้แล้ว (ไม่ได้คัดลอก): {RETIRED}" in suda.screen.text
        for section in SECTIONS[1:]:
            assert hub_line(suda, section).startswith("✅") and "คัดลอกมา — ตรวจทาน" in hub_line(suda, section)

        source = await Project.get(code="CMI1-2570-001")
        copy = await Project.get(code="CMI1-2571-001")
        assert (copy.fiscal_year, copy.status, copy.owner_id, copy.office_id) == (
            2571, ItemStatus.DRAFT, source.owner_id, source.office_id)
        assert copy.copied_from_id == source.id and copy.name == source.name
        assert (copy.start_date, copy.end_date) == (date(2027, 10, 1), date(2028, 9, 30))
        assert (copy.budget_plan, copy.objectives, copy.provinces) == (source.budget_plan, source.objectives,
                                                                       source.provinces)
        assert copy.copy_review["unseen"] == ["m1", "m2", "m3", "m4", "m5"]
        links = await ProjectPlanLink.filter(project=copy).prefetch_related("plan_node")
        assert [link.plan_node.code for link in links] == ["NS-03", "MP-12-01-Y1", "GOV-2568-ANUTIN", "LAW"]
        assert links[-1].reference_text == "พระราชบัญญัติการศึกษาแห่งชาติ พ.ศ. 2542"
        tree = [(activity.name, activity.quarters, activity.parent_id is not None)
                for activity in await Activity.filter(project=copy).order_by("id")]
        assert tree == [
            ("ประชุมเชิงปฏิบัติการพัฒนาครู", [1, 2], False), ("อบรมครูภาษาไทย ป.1", [1], True),
            ("อบรมครู ป.2–3", [1, 2], True), ("นิเทศ ติดตามการจัดการเรียนรู้ในโรงเรียน", [2, 3], False),
            ("ประเมินการอ่านการเขียน", [3, 4], False), ("สรุปและรายงานผล", [4], False)]
        children = await Activity.filter(project=copy, parent_id__isnull=False).prefetch_related("parent")
        assert {child.parent.name for child in children} == {"ประชุมเชิงปฏิบัติการพัฒนาครู"}
        lines = [(line.source, line.amount, line.plan_q1, line.plan_q2, line.plan_q3, line.plan_q4)
                 for line in await BudgetLine.filter(project=copy)]
        assert lines == [(line.source, line.amount, line.plan_q1, line.plan_q2, line.plan_q3, line.plan_q4)
                         for line in await BudgetLine.filter(project=source)]
        assert sum(line[1] for line in lines) == Decimal(520000)
        assert [kpi.name for kpi in await Kpi.filter(project=copy)] == [
            "ร้อยละนักเรียนที่อ่านออกเขียนได้ตามเกณฑ์", "จำนวนครูที่ผ่านการอบรม"]
        assert not await QuarterReport.filter(project=copy).exists()  # reports (M6) are never copied
        assert await Activity.filter(project=source).count() == 6  # the source is untouched

        trail = await AuditEntry.get(project_id=copy.id, field="copied_from")
        assert json.loads(trail.after) == "CMI1-2570-001" and trail.actor_id == source.owner_id
        await suda.say(f"ประวัติ {copy.code}")
        assert "คัดลอกจากโครงการ: — → CMI1-2570-001" in suda.screen.text


async def test_submitting_a_copy_waits_until_every_copied_section_was_opened(database: Database) -> None:
    async with demo_world(database) as world:
        suda = world.chat("suda")
        await copy_a_into_2571(suda)
        assert "ไม่ได้คัดลอก" not in suda.text  # the catalog is the same in 2571: every link came along
        assert hub_line(suda, "M1").startswith("✅ M1")

        await suda.tap("📤 ส่งให้ผู้อำนวยการ")
        assert ("ยังส่งไม่ได้ค่ะ ส่วนที่คัดลอกมายังไม่ได้เปิดตรวจทาน: M1 ความเชื่อมโยงกับแผน, M2 ข้อมูลทั่วไป,"
                in suda.text), suda.text
        assert suda.screen.key == "hub.text"

        for section in SECTIONS[:4]:
            await suda.tap(hub_line(suda, section).split(" · ")[0][:20])
            assert suda.screen.key == "section.view", suda.text
            await suda.tap("📑 สารบัญ")
            assert "คัดลอกมา" not in hub_line(suda, section)
        assert "คัดลอกมา — ตรวจทาน" in hub_line(suda, "M5")
        copy = await Project.get(code="CMI1-2571-001")
        assert copy.copy_review["unseen"] == ["m5"]

        await suda.say("/submit")
        assert "ยังไม่ได้เปิดตรวจทาน: M5 งบประมาณ" in suda.text and "M1" not in suda.last[0].text

        await suda.say("ตรวจทาน")  # the review card opens a section too
        await suda.tap("✏️ M5")
        await suda.tap("📑 สารบัญ")
        assert "คัดลอกมา" not in suda.screen.text
        await suda.tap("📤 ส่งให้ผู้อำนวยการ")
        await suda.tap("📤 ยืนยันส่ง")
        assert "ส่งโครงการ CMI1-2571-001 ให้ผู้อำนวยการแล้ว" in suda.text
        copy = await Project.get(code="CMI1-2571-001")
        assert copy.status is ItemStatus.SUBMITTED and copy.copy_review == {}


async def test_the_card_copies_the_project_on_show_and_the_marks_survive_leaving(database: Database) -> None:
    async with demo_world(database) as world:
        weera = world.chat("weera")
        await weera.say("โครงการของฉัน")
        await weera.tap("การดำเนินงานนิเทศ")
        await weera.tap("📄 คัดลอกจากโครงการเดิม")
        assert "CMI1-2570-002" in weera.screen.text and weera.screen.key == "copy.pick_year"
        await weera.say("2580")
        assert "ปีงบประมาณ 2580 ไม่ได้ค่ะ เลือกได้เฉพาะปีงบประมาณ 2571, 2570" in weera.text
        await weera.say("ปีหน้าค่ะ")
        assert weera.last[0].key.startswith("invalid.fiscal_year") and weera.screen.key == "copy.pick_year"
        assert await Project.all().count() == 2  # nothing copied yet
        await weera.say("ปีงบประมาณ ๗๐")  # typed, Thai digits: the same year, nothing to move
        assert "CMI1-2570-003" in weera.text and "เลื่อน" not in weera.text
        assert "M5" in weera.screen.text and "คัดลอกมา" not in hub_line(weera, "M5")  # no budget: M5 not needed

        await weera.say("พัก")
        world.restart()
        await weera.say("โครงการของฉัน")
        await weera.tap("1. การดำเนินงานนิเทศ")  # the newest first: the copy
        assert "CMI1-2570-003" in weera.screen.text
        await weera.tap("✏️ แก้ไข / ทำต่อ")
        assert "คัดลอกมา — ตรวจทาน" in hub_line(weera, "M2")  # kept with the project, not with the chat


async def test_nobody_copies_a_project_they_may_not_see(database: Database) -> None:
    async with demo_world(database) as world:
        other = await Office.create(code="CMI2", name="สพป.เชียงใหม่ เขต 2", province="เชียงใหม่")
        malee = await User.create(name="นางมาลี ดีงาม", role=Role.OWNER, office=other, email="malee@example.go.th",
                                  phone="0810000000")
        await ChatAccount.create(platform=Platform.CONSOLE, external_id="malee", user=malee)
        source = await Project.get(code="CMI1-2570-001")

        malee_chat = world.chat("malee")
        await malee_chat.say("คัดลอก")
        assert malee_chat.screen.key == "copy.pick_source" and "ยังไม่มีโครงการให้คัดลอก" in malee_chat.screen.text
        assert "CMI1-2570-001" not in malee_chat.screen.text  # another office's project is not offered

        now = world.clock()
        refused = await copy_project(REGISTRATION_FLOW, malee, source.id, 2571, now)  # as a forged request would
        assert isinstance(refused, CopyRefused)
        weera = world.people["weera"]  # same office, another owner's project
        assert isinstance(await copy_project(REGISTRATION_FLOW, weera, source.id, 2571, now), CopyRefused)
        director = world.people["somchai"]
        assert isinstance(await copy_project(REGISTRATION_FLOW, director, source.id, 2571, now), CopyRefused)
        assert isinstance(await copy_project(REGISTRATION_FLOW, world.people["suda"], source.id, 2580, now),
                          CopyRefused)  # a year nobody plans for
        assert await Project.all().count() == 2

        somchai = world.chat("somchai")
        await somchai.say("คัดลอก")
        assert "ทำได้โดยเจ้าของโครงการ" in somchai.text



async def test_the_service_refuses_to_submit_a_copy_with_unopened_sections_whatever_the_chat_says(
        database: Database) -> None:
    async with demo_world(database) as world:
        await copy_a_into_2571(world.chat("suda"))
        copy = await Project.get(code="CMI1-2571-001")
        suda, now = world.people["suda"], world.clock()
        turn = Turn({}, effects=(SubmitProject(copy.id),))  # a chat that lost the marks (or a forged turn)
        outcomes = await EffectRunner(FLOWS, suda, now, ReportingPolicy()).run(turn, {})
        assert outcomes == [SubmitUnseen(("m1", "m2", "m3", "m4", "m5"))]
        said = conclude(FLOWS, turn, outcomes, await base_context(suda, now)).replies
        assert said[0].text.startswith("ยังส่งไม่ได้ค่ะ ส่วนที่คัดลอกมายังไม่ได้เปิดตรวจทาน: M1 ความเชื่อมโยงกับแผน, M2")
        assert (await Project.get(id=copy.id)).status is ItemStatus.DRAFT


async def test_sections_opened_in_another_chat_are_seen_in_this_one(database: Database) -> None:
    async with demo_world(database) as world:
        suda = world.chat("suda")
        await copy_a_into_2571(suda)
        await ChatAccount.create(platform=Platform.TELEGRAM, external_id="7001", user=world.people["suda"])
        other = world.chat("7001", platform=Platform.TELEGRAM)
        await other.say("โครงการของฉัน")
        await other.tap("1. โครงการยกระดับ")  # the newest first: the copy
        await other.tap("✏️ แก้ไข / ทำต่อ")
        for section in SECTIONS:
            assert "คัดลอกมา — ตรวจทาน" in hub_line(other, section)
            await other.tap(hub_line(other, section).split(" · ")[0][:20])
            await other.tap("📑 สารบัญ")
        assert "คัดลอกมา" not in other.screen.text

        await suda.say("สารบัญ")  # the first chat still showed every mark
        assert "คัดลอกมา" not in suda.screen.text and "CMI1-2571-001" in suda.screen.text
        await suda.tap("📤 ส่งให้ผู้อำนวยการ")
        assert suda.screen.key == "confirm.submit", suda.text
