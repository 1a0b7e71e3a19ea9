"""Handing over to eMENSCR: the pack in eMENSCR's order from the flows' declarations, shown in chat step by step
as values a phone copies with one tap (Telegram ``<code>`` blocks, LINE one message per value), "✅ กรอกแล้ว" per
step and the eMENSCR id recorded, the backlog in /status and the API, and the pack from the API as text or
workbook within the token's scope."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from openpyxl import load_workbook

from api.demo import seed_demo
from api.settings import Settings
from conversations.engine.pack import project_pack, report_pack
from conversations.flows.flow import FlowId
from conversations.flows.registry import FLOWS
from conversations.oversight.handover import not_keyed
from conversations.parsers.emenscr_id import parse_emenscr_id
from conversations.parsers.errors import InvalidAnswer
from conversations.service.report_store import load_report_answers
from conversations.service.store import load_answers
from models.db import Database
from models.enums import ItemStatus, Role
from models.fiscal import FiscalQuarter
from models.org import Office, User
from models.project import Project
from models.report import QuarterReport
from models.runtime import AuditEntry
from tests.support.app import app_client, bearer
from tests.support.line_standin_rules import LIMITS
from tests.support.line_world import line_world
from tests.support.reminders import second_office
from tests.support.telegram_app import assert_within_limits, telegram_app
from tests.support.telegram_standin_methods import entity_texts
from tests.test_documents import _report_q1

Client = TestClient[Any, Any]
PROJECT_A = "CMI1-2570-001"
PROJECT_STEPS = ["m1.1", "m1.2", "m1.3", "m2", "m3", "m4", "m5"]


async def _pack_of_a() -> dict[str, dict[str, str]]:
    project = await Project.get(code=PROJECT_A)
    steps = project_pack(FLOWS[FlowId.REGISTER], await load_answers(FLOWS[FlowId.REGISTER], project))
    return {step.key: {field.label: field.value for field in step.fields} for step in steps}


async def test_the_pack_follows_emenscr_order_from_the_flows(database: Database) -> None:
    await seed_demo()
    pack = await _pack_of_a()
    assert list(pack) == PROJECT_STEPS  # M1 level by level, then M2–M5
    assert "NS-03" in pack["m1.1"].values() and "MP-12-01-Y1" in pack["m1.2"].values()
    assert "พระราชบัญญัติการศึกษาแห่งชาติ พ.ศ. 2542" in pack["m1.3"].values()  # a law's reference
    m2 = list(pack["m2"].items())
    assert m2[0] == ("ชื่อโครงการ", (await Project.get(code=PROJECT_A)).name)  # asked first, keyed in M2
    assert ("ปีงบประมาณ", "2570") in m2
    assert "ตัวชี้วัด 2 · หน่วยนับ" in pack["m3"] and pack["m3"]["ตัวชี้วัด 2 · ค่าเป้าหมาย"] == "240"
    assert pack["m4"]["กิจกรรมย่อย 1.2 · กิจกรรมย่อย"] == "อบรมครู ป.2–3"
    money = pack["m5"]
    assert money["รายการงบประมาณ 1 · จำนวนเงิน"] == "350000"  # plain digits, as a web form takes them
    assert [money[f"รายการงบประมาณ 1 · แผนการใช้จ่าย · ไตรมาส {q}"] for q in (1, 2, 3, 4)] == [
        "150000", "100000", "60000", "40000"]
    assert pack["m3"]["รายละเอียดพื้นที่"] == "อ.เมืองเชียงใหม่ อ.สารภี อ.สันทราย"  # optional, answered: kept


async def test_a_report_pack_is_m6_part_by_part(database: Database) -> None:
    await seed_demo()
    project = await Project.get(code=PROJECT_A)
    report = await _report_q1(project)
    answers = await load_report_answers(project, FiscalQuarter(2570, 1), report)
    steps = report_pack(FLOWS[FlowId.REPORT], answers)
    assert [step.key for step in steps] == ["r1", "r2", "r3", "r4", "r5", "r6"]
    assert all(step.title.startswith("M6 ") for step in steps)
    values = {field.label: field.value for step in steps for field in step.fields}
    assert "98500.5" in values.values()  # the disbursed amount, plain
    assert "ยังไม่ได้วัด" in values.values()  # a KPI not measured says so


@pytest.mark.parametrize(("typed", "kept"), [
    ("ศธ04001-69-0001", "ศธ04001-69-0001"), ("  6904-0001 ", "6904-0001"), ("ABC 123/2570", "ABC 123/2570"),
    ("๖๙๐๐๑", "๖๙๐๐๑"), ("x" * 63 + "1", "x" * 63 + "1"),
])
def test_an_emenscr_id_is_taken_loosely(typed: str, kept: str) -> None:
    assert parse_emenscr_id(typed) == kept


@pytest.mark.parametrize(("typed", "why"), [
    ("", "pack.id_why.empty"), ("ไม่มีตัวเลข", "pack.id_why.digit"), ("1" * 65, "pack.id_why.long"),
    ("69-0001\n69-0002", "pack.id_why.lines"), ("69#0001", "pack.id_why.chars"),
])
def test_an_emenscr_id_that_is_no_code_is_refused_with_its_reason(typed: str, why: str) -> None:
    with pytest.raises(InvalidAnswer) as refused:
        parse_emenscr_id(typed)
    assert refused.value.reason == why


async def test_the_pack_over_telegram_copies_with_a_tap_and_records_each_step(empty_database_url: str) -> None:
    async with telegram_app(empty_database_url) as rig:
        suda = await rig.link(rig.user())
        await suda.tap("โครงการของฉัน")
        await suda.tap("1. โครงการยกระดับ")
        await suda.tap("📋 ส่งต่อ eMENSCR")
        blocks = [message for message in suda.last if message.get("entities")]
        assert blocks, suda.transcript()
        codes = [text for message in blocks for text in entity_texts(message, "code")]
        labels = [text for message in blocks for text in entity_texts(message, "bold")]
        assert len(codes) == 2 and codes[0] == "NS-03"  # the plan's code and its title, each a block of its own
        assert labels == ["M1 ความเชื่อมโยงกับแผน · ระดับ 1 · แผนที่ 1 · รหัส",
                          "M1 ความเชื่อมโยงกับแผน · ระดับ 1 · แผนที่ 1 · ชื่อ / เป้าหมาย"]
        assert "ขั้นที่ 1/7" in suda.screen["text"] and "กรอกแล้ว 0/7 ขั้น" in suda.screen["text"]

        await suda.tap("✅ กรอกแล้ว")
        assert "กรอกแล้ว 1/7 ขั้น" in suda.screen["text"] and "ขั้นที่ 2/7" in suda.screen["text"]
        assert "MP-12-01-Y1" in [text for message in suda.last for text in entity_texts(message, "code")]
        project = await Project.get(code=PROJECT_A)
        assert project.emenscr_keyed == ["m1.1"] and project.emenscr_keyed_at is None

        await suda.tap("🆔 บันทึกรหัส eMENSCR")
        await suda.say("ยังไม่มีรหัส")
        assert "ไม่มีตัวเลขเลย" in suda.text  # what was wrong, and asked again
        await suda.say("ศธ04001-69-0001")
        assert "บันทึกรหัส eMENSCR “ศธ04001-69-0001”" in suda.text
        assert "รหัส eMENSCR: ศธ04001-69-0001" in suda.screen["text"]  # back on the pack
        for _ in PROJECT_STEPS[1:]:
            await suda.tap("✅ กรอกแล้ว")
        assert "กรอกครบทุกขั้นใน eMENSCR แล้ว" in suda.screen["text"]
        m5 = [text for message in suda.last for text in entity_texts(message, "code")]
        assert "350000" in m5  # M5 was the last step shown
        await project.refresh_from_db()
        assert project.emenscr_id == "ศธ04001-69-0001" and project.emenscr_keyed == PROJECT_STEPS
        assert project.emenscr_keyed_at is not None
        assert await AuditEntry.filter(project_id=project.id, field="emenscr_id").count() == 1

        await suda.tap("ย้อนกลับ")
        assert "🆔 รหัส eMENSCR: ศธ04001-69-0001 · กรอกใน eMENSCR แล้ว 7/7 ขั้น" in suda.screen["text"]  # the card
        assert_within_limits(rig.standin)


async def test_the_pack_over_line_sends_each_value_alone_within_five_messages(empty_database_url: str) -> None:
    async with line_world(empty_database_url) as world:
        project = await Project.get(code=PROJECT_A)
        await _report_q1(project)
        suda = await world.linked("suda")
        await suda.say("โครงการของฉัน")
        await suda.tap("1. โครงการยกระดับ")
        await suda.tap("ส่งต่อ eMENSCR")
        await suda.tap("ขั้นถัดไป")  # M1 level 2: two plans, four values, two pages of LINE messages
        first = suda.last
        assert len(first) <= LIMITS["messages"]
        assert first[0]["text"] == "⬇️ M1 ความเชื่อมโยงกับแผน · ระดับ 2 · แผนที่ 1 · รหัส"  # the place, above
        assert first[1]["text"] == "MP-12-01-Y1"  # the value, with nothing else in the message
        assert "ขั้นที่ 2/7" in first[-1]["text"] and "quickReply" in first[-1]
        more = [item for item in suda.items() if item["action"]["data"].startswith("more:")]
        assert more and more[0]["action"]["label"] == "▶️ ช่องต่อไป 2/2"

        await suda.press(more[0])  # the same step's next values
        assert [message["text"] for message in suda.last[:4]] == [
            "⬇️ M1 ความเชื่อมโยงกับแผน · ระดับ 2 · แผนที่ 2 · รหัส", "NESDP13-12",
            "⬇️ M1 ความเชื่อมโยงกับแผน · ระดับ 2 · แผนที่ 2 · ชื่อ / เป้าหมาย", suda.last[3]["text"]]
        assert suda.last[3]["text"].startswith("หมุดหมายที่ 12") and "ขั้นที่ 2/7" in suda.last[-1]["text"]
        await suda.tap("กรอกแล้ว")
        await project.refresh_from_db()
        assert project.emenscr_keyed == ["m1.2"]
        assert "ขั้นที่ 3/7" in suda.last[-1]["text"] and "กรอกแล้ว 1/7 ขั้น" in suda.last[-1]["text"]  # on to M1 level 3

        await suda.tap("ย้อนกลับ")  # the project's card, then its approved report's card and pack (M6)
        await suda.tap("Q1/2570")
        await suda.tap("ส่งต่อ eMENSCR")
        assert suda.last[0]["text"].startswith("⬇️ M6 ผลการดำเนินงาน · ")
        assert suda.last[1]["text"] == "อบรมครูแล้ว 120 คน จากเป้าหมาย 240 คน"
        assert "บันทึกรหัส" not in " ".join(suda.labels())  # a report's pack has no id of its own
        await suda.tap("กรอกแล้ว")
        report = await QuarterReport.get(project=project, fiscal_year=2570, quarter=1)
        assert report.emenscr_keyed == ["r1"] and "ขั้นที่ 2/6" in suda.last[-1]["text"]
        assert all(len(delivery.messages) <= LIMITS["messages"]
                   for delivery in world.standin.deliveries_to(suda.user_id))


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[Client]:
    async with app_client(settings) as client:
        await seed_demo()
        await second_office()
        yield client


async def test_the_api_serves_the_pack_as_text_or_workbook_within_scope(client: Client) -> None:
    project = await Project.get(code=PROJECT_A)
    await _report_q1(project)
    cmi1, lpn1 = await Office.get(code="CMI1"), await Office.get(code="LPN1")
    director, other = await bearer(role=Role.DIRECTOR, office=cmi1), await bearer(role=Role.DIRECTOR, office=lpn1)
    path = f"/api/v1/projects/{PROJECT_A.lower()}/emenscr"
    text = await client.get(path, headers=director)
    assert text.status == 200 and text.content_type == "text/plain"
    body = await text.text()
    assert body.index("M1 ความเชื่อมโยงกับแผน · ระดับ 1") < body.index("M2 ข้อมูลทั่วไป") < body.index("M6 ")
    assert "[รายการงบประมาณ 1 · จำนวนเงิน]\n350000\n" in body and "รหัส eMENSCR: — ยังไม่ได้บันทึก" in body

    for asked in ({"params": {"format": "xlsx"}}, {"headers": {"Accept": "application/vnd.openxmlformats-"
                                                                         "officedocument.spreadsheetml.sheet"}}):
        workbook = await client.get(path, headers={**director, **asked.get("headers", {})},
                                    params=asked.get("params", {}))
        assert workbook.status == 200 and workbook.content_type.endswith("spreadsheetml.sheet")
        rows = list(load_workbook(io.BytesIO(await workbook.read())).active.iter_rows(values_only=True))
        assert rows[0] == ("ส่วน", "ขั้นใน eMENSCR", "ช่อง", "ค่าที่กรอก", "สถานะ")
        assert ("ทะเบียนโครงการ (M1–M5)", "M5 งบประมาณ", "รายการงบประมาณ 1 · จำนวนเงิน", "350000",
                "○ ยังไม่กรอก") in rows
        assert any(row[0] == "รายงาน Q1/2570 (M6)" for row in rows)
    assert (await client.get(path, headers=other)).status == 404
    assert (await client.get(path)).status == 401
    assert (await client.get(path, headers=director, params={"format": "pdf"})).status == 400

    status = await (await client.get("/api/v1/status", headers=director)).json()
    assert status["not_in_emenscr"] == [{"office": "CMI1", "name": cmi1.name, "projects": 2, "reports": 1}]
    office = next(entry for entry in status["offices"] if entry["code"] == "CMI1")
    assert office["not_in_emenscr"] == {"projects": 2, "reports": 1}
    await Project.filter(id=project.id).update(emenscr_keyed_at=project.created_at, emenscr_id="6904-0001")
    card = await (await client.get(f"/api/v1/projects/{PROJECT_A}", headers=director)).json()
    assert card["emenscr_id"] == "6904-0001" and card["emenscr_keyed_at"]
    assert [(office.code, office.projects, office.reports) for office in await not_keyed(
        await User.get(role=Role.ADMIN))] == [("CMI1", 1, 1), ("LPN1", 1, 0)]


async def test_status_in_chat_counts_what_is_not_keyed_in(empty_database_url: str) -> None:
    async with telegram_app(empty_database_url) as rig:
        admin = await rig.link(rig.user(7009, "ผู้ดูแล"), "admin")
        await admin.say("/status")
        assert "ยังไม่ได้กรอกใน eMENSCR (อนุมัติแล้ว)" in admin.text
        assert "CMI1" in admin.text and "โครงการ 2 · รายงาน 0" in admin.text
        await Project.filter(status=ItemStatus.APPROVED).update(emenscr_keyed_at=rig.clock())
        await admin.say("/status")
        assert "กรอกใน eMENSCR ครบทุกโครงการ" in admin.text


async def test_a_director_records_steps_and_a_project_no_longer_approved_is_refused(empty_database_url: str) -> None:
    async with telegram_app(empty_database_url) as rig:
        somchai = await rig.link(rig.user(7003, "สมชาย", "ใจดี"), "somchai")
        await somchai.say("/mine")
        await somchai.tap("2. โครงการยกระดับ")
        await somchai.tap("📋 ส่งต่อ eMENSCR")
        await somchai.tap("✅ กรอกแล้ว")  # the office's director keys it in as well as its owner
        project = await Project.get(code=PROJECT_A)
        assert project.emenscr_keyed == ["m1.1"]

        await Project.filter(id=project.id).update(status=ItemStatus.RETURNED)  # reopened from another chat
        await somchai.tap("✅ กรอกแล้ว")
        assert "บันทึกไม่ได้ค่ะ" in somchai.text, somchai.transcript()
        assert "ได้รับอนุมัติแล้วเท่านั้น" in somchai.screen["text"] and somchai.labels() == ["⬅️ ย้อนกลับ"]
        await project.refresh_from_db()
        assert project.emenscr_keyed == ["m1.1"]  # nothing recorded for a project no longer approved
        assert await AuditEntry.filter(project_id=project.id, field="emenscr_keyed").count() == 1
