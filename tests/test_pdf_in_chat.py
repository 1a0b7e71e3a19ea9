"""A project's and a report's document from chat ("📄 PDF" on their cards), and the self-check before approval
as people see it: under the owner's review card and on the director's item, advising, never blocking.

Telegram receives the PDF itself; LINE a link to it (as exports are), which serves the same bytes. Only who may
see the project (its owner, the office's director, admins) gets the document."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from urllib.parse import urlsplit

from pypdf import PdfReader

from conversations.service.pdf_serving import pdf_reply
from conversations.service.report_store import create_report, submit_report
from models.enums import ItemStatus, Role
from models.fiscal import FiscalQuarter
from models.org import Office, User
from models.plans import PlanNode
from models.project import Kpi, Project, ProjectPlanLink
from tests.support.line_world import line_world
from tests.support.telegram_app import assert_within_limits, telegram_app

PUBLIC = "https://tidtam.example.go.th"
JAN_5 = datetime(2027, 1, 5, 2, 0, tzinfo=UTC)
PROJECT_A = "CMI1-2570-001"
PROJECT_B = "CMI1-2570-002"
NAME_A = "โครงการยกระดับความสามารถด้านการอ่านออกเขียนได้ของนักเรียนชั้นประถมศึกษาปีที่ 1–3"


def pdf_text(content: bytes) -> str:
    """The document's text without any whitespace or zero-width word breaks (lines wrap anywhere)."""
    pages = PdfReader(io.BytesIO(content)).pages
    return re.sub(r"[\s\u200b]+", "", "".join(page.extract_text() for page in pages))


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


async def submitted_q1(owner: User) -> None:
    """Project A's first quarterly report, submitted by its owner."""
    report = await create_report(await Project.get(code=PROJECT_A), FiscalQuarter(2570, 1))
    report.output_progress = "อบรมครูแล้ว 180 คน"
    await report.save(update_fields=["output_progress"])
    await submit_report(report, JAN_5, owner, late=False)


async def project_b_submitted_without_y1() -> None:
    """Project B sent to the director with its M1 stopping at the sub-plan: criterion 1 not met."""
    project = await Project.get(code=PROJECT_B)
    await ProjectPlanLink.filter(project=project, plan_node__code="MP-12-01-Y1").delete()
    await ProjectPlanLink.create(project=project, plan_node=await PlanNode.get(code="MP-12-01"), position=5)
    project.status = ItemStatus.SUBMITTED
    await project.save(update_fields=["status"])


async def test_telegram_sends_the_project_and_the_report_as_documents(empty_database_url: str) -> None:
    async with telegram_app(empty_database_url) as rig:
        rig.clock.set(JAN_5)
        suda = await rig.link(rig.user(), "suda")
        await suda.tap("📋 โครงการของฉัน")
        await suda.tap("1. โครงการยกระดับ")
        await suda.tap("📄 PDF")
        [document] = rig.standin.called("sendDocument")
        filename, content = document.files["document"]
        assert filename == "CMI1-2570-001.pdf" and content.startswith(b"%PDF")
        assert squeezed(NAME_A) in pdf_text(content) and "ผู้อำนวยการ" in pdf_text(content)
        assert document.params.get("caption") == "📄 เอกสาร CMI1-2570-001.pdf"
        assert "📄 PDF" in suda.labels()  # the card stays on screen

        await submitted_q1(rig.people["suda"])
        somchai = await rig.link(rig.user(7003, "สมชาย", "ใจดี"), "somchai")
        await somchai.say("รออนุมัติ")
        await somchai.tap("1. รายงาน Q1/2570")
        await somchai.tap("📄 PDF")
        [_, report] = rig.standin.called("sendDocument")
        filename, content = report.files["document"]
        assert filename == "CMI1-2570-001-2570-Q1.pdf"
        assert "อบรมครูแล้ว180คน" in pdf_text(content)
        assert "✅ อนุมัติ" in somchai.labels()
        assert_within_limits(rig.standin)


async def test_the_directors_item_shows_the_self_check_and_still_approves(empty_database_url: str) -> None:
    async with telegram_app(empty_database_url) as rig:
        await project_b_submitted_without_y1()
        somchai = await rig.link(rig.user(7003, "สมชาย", "ใจดี"), "somchai")
        await somchai.say("รออนุมัติ")
        await somchai.tap("1. ทะเบียนโครงการ")
        card = somchai.text
        assert "🔎 ตรวจเบื้องต้นตามเกณฑ์กลั่นกรองโครงการของ สศช. (คำแนะนำ ไม่บังคับ)" in card
        assert "⛔ M1 ยังไม่ได้เชื่อมโยงถึงเป้าหมายของแผนย่อยแผนแม่บทฯ (Y1)" in card
        assert "💡 หลักการและเหตุผลยังไม่มีตัวเลข" in card
        assert "ผู้พิจารณายังต้องดูเอง" in card
        await somchai.tap("✅ อนุมัติ")  # it advises: the decision is the director's
        await somchai.tap("✅ ยืนยันอนุมัติ")
        assert (await Project.get(code=PROJECT_B)).status is ItemStatus.APPROVED


async def test_line_review_card_lists_what_to_fix_and_the_pdf_comes_by_link(empty_database_url: str) -> None:
    async with line_world(empty_database_url, public_url=PUBLIC) as world:
        project = await Project.get(code=PROJECT_A)
        project.status = ItemStatus.DRAFT
        await project.save(update_fields=["status"])
        await Kpi.filter(project=project, unit="คน").update(unit="-")
        suda = await world.linked("suda", "สุดา")
        await suda.tap("📋 โครงการของฉัน")
        await suda.tap("1. โครงการยกระดับ")
        await suda.tap("✏️ แก้ไข / ทำต่อ")
        await suda.tap("🔎 ตรวจทาน")
        assert "⚠️ ตัวชี้วัดข้อ 2 “จำนวนครูที่ผ่านการอบรม” ยังไม่มีหน่วยนับ — แก้ที่ M3" in suda.text
        assert "💡 งบลงทุน 0 บาท จากงบประมาณทั้งสิ้น 520,000 บาท (ร้อยละ 0)" in suda.text
        assert "⛔" not in suda.text  # Project A reaches its Y1 target
        assert "📤 ส่งให้ผู้อำนวยการ" in suda.labels()  # it never blocks

        await suda.say("โครงการของฉัน")
        await suda.tap("1. โครงการยกระดับ")
        await suda.tap("📄 PDF")
        assert "📄 เอกสาร CMI1-2570-001.pdf" in suda.text and "ดาวน์โหลด (7 วัน): " in suda.text
        link = suda.text.split("ดาวน์โหลด (7 วัน): ")[1].split()[0]
        assert link.startswith(f"{PUBLIC}/files/")
        served = await world.client.get(urlsplit(link).path)
        assert served.status == 200 and squeezed(NAME_A) in pdf_text(await served.read())
        assert not world.standin.rejected


async def test_only_who_may_see_the_project_gets_its_document(empty_database_url: str) -> None:
    async with telegram_app(empty_database_url) as rig:
        elsewhere = await Office.create(code="CMI2", name="สพป.เชียงใหม่ เขต 2")
        other_director = await User.create(name="ผอ.เขต 2", role=Role.DIRECTOR, office=elsewhere)
        for name in ("suda", "somchai", "admin"):
            reply = await pdf_reply(rig.people[name], PROJECT_A)
            assert reply.attachment is not None and reply.attachment.content.startswith(b"%PDF"), name
        for person in (rig.people["weera"], other_director):  # another owner of the office; another office
            reply = await pdf_reply(person, PROJECT_A)
            assert reply.attachment is None and reply.key == "doc.chat.not_found", person.name
        no_report = await pdf_reply(rig.people["suda"], f"{PROJECT_A} 2570 2")  # not started
        assert no_report.attachment is None and no_report.key == "doc.chat.not_found"
        assert (await pdf_reply(None, PROJECT_A)).attachment is None  # chat always has a person
