"""An owner registers a realistic project through M1–M5 in chat, and submits it (transcript tests)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from conversations.messages import TOKEN_BUDGET_BYTES
from models.db import Database
from models.enums import ExpenseCategory, FundingSource, ItemStatus, ProjectType
from models.project import Activity, BudgetLine, Kpi, Project, ProjectPlanLink
from models.runtime import AuditEntry, ConversationSession
from tests.support.scenario import PROJECT_A, RATIONALE, register_project_a
from tests.support.world import demo_world


async def test_project_a_is_registered_section_by_section_and_submitted(database: Database) -> None:
    async with demo_world(database) as world:
        chat = world.chat("suda")
        await register_project_a(chat)

        review = chat.screen
        assert review.key == "review" and review.card is not None
        assert "ข้อมูลครบแล้ว" in review.text
        assert "รวมงบประมาณทั้งสิ้น: 520,000 บาท (ห้าแสนสองหมื่นบาทถ้วน)" in review.text
        assert [block.title[:4] for block in review.card.sections[1:]] == ["✅ M1", "✅ M2", "✅ M3", "✅ M4", "✅ M5"]

        project = await Project.get(code="CMI1-2570-003")
        assert project.name == PROJECT_A and project.status is ItemStatus.DRAFT
        assert (project.fiscal_year, project.project_type, project.uses_budget) == (2570, ProjectType.PROJECT, True)
        assert project.method_self and project.method_contract
        assert (project.director_name, project.director_phone) == ("นายสมชาย ใจดี", "053-112-233")
        assert (project.owner_email, project.owner_phone) == ("suda.s@example.go.th", "081-234-5678")
        assert project.rationale == RATIONALE  # line breaks of a long answer are kept
        assert len(project.objectives) == 2 and project.provinces == ["เชียงใหม่"]
        assert (project.start_date, project.end_date) == (date(2026, 10, 1), date(2027, 9, 30))
        assert (project.sections_done, project.sections_total) == (5, 5)

        links = await ProjectPlanLink.filter(project=project).prefetch_related("plan_node")
        assert [(link.plan_node.code, link.reference_text) for link in links] == [
            ("NS-03", ""), ("MP-12-01-Y1", ""), ("NESDP13-12", ""),
            ("LAW", "พระราชบัญญัติการศึกษาแห่งชาติ พ.ศ. 2542 มาตรา 8")]

        kpis = await Kpi.filter(project=project)
        assert [(kpi.name, kpi.unit, kpi.target_value) for kpi in kpis] == [
            ("ร้อยละนักเรียนที่อ่านออกเขียนได้ตามเกณฑ์", "ร้อยละ", Decimal(85)),
            ("จำนวนครูที่ผ่านการอบรม", "คน", Decimal(240))]

        activities = await Activity.filter(project=project)
        tops = [a for a in activities if a.parent_id is None]
        assert [(a.name, a.quarters) for a in tops] == [
            ("ประชุมเชิงปฏิบัติการพัฒนาครู", [1, 2]), ("นิเทศ ติดตามการจัดการเรียนรู้ในโรงเรียน", [2, 3]),
            ("ประเมินการอ่านการเขียน", [3, 4]), ("สรุปและรายงานผล", [4])]
        subs = [(a.name, a.quarters) for a in activities if a.parent_id == tops[0].id]
        assert subs == [("อบรมครูภาษาไทย ป.1", [1]), ("อบรมครู ป.2–3", [1, 2])]

        lines = await BudgetLine.filter(project=project)
        assert [(line.source, line.source_agency, line.expense_category, line.amount) for line in lines] == [
            (FundingSource.DIRECT, "", ExpenseCategory.OPERATING, Decimal(350000)),
            (FundingSource.VIA_AGENCY, "สพฐ.", ExpenseCategory.OPERATING, Decimal(120000)),
            (FundingSource.PROVINCE, "เชียงใหม่", ExpenseCategory.OPERATING, Decimal(50000))]
        assert [lines[0].plan_q1, lines[0].plan_q2, lines[0].plan_q3, lines[0].plan_q4] == [
            Decimal(150000), Decimal(100000), Decimal(60000), Decimal(40000)]
        assert (lines[1].plan_q2, lines[2].plan_q3) == (Decimal(120000), Decimal(50000))

        assert "กด “ส่งให้ผู้อำนวยการ” แล้วโครงการจะส่งทันที และแก้ไขไม่ได้จนกว่าจะถูกส่งกลับ" in chat.text
        await chat.tap("ส่งให้ผู้อำนวยการ")  # the review card says what sending means: it is the confirmation
        assert "ส่งโครงการ CMI1-2570-003 ให้ผู้อำนวยการแล้ว" in chat.text
        await project.refresh_from_db()
        assert project.status is ItemStatus.SUBMITTED and project.submitted_at == world.clock.now

        await chat.tap("โครงการของฉัน")
        listing = chat.screen.text
        assert "CMI1-2570-003" in listing and "📤 ส่งแล้ว รออนุมัติ" in listing and "กรอกแล้ว 5/5 ส่วน" in listing

        tokens = [choice.token for reply in chat.history for choice in reply.choices]
        assert tokens and max(len(token.encode()) for token in tokens) <= TOKEN_BUDGET_BYTES
        audited = set(await AuditEntry.filter(project_id=project.id).values_list("field", flat=True))
        assert {"name", "plan_links", "kpis", "activities", "budget_lines", "status"} <= audited
        session = await ConversationSession.get(chat_account__external_id="suda")
        assert session.state["mode"] == "projects" and session.state["project_id"] is None


async def test_a_routine_operation_without_budget_skips_m5(database: Database) -> None:
    async with demo_world(database) as world:
        chat = world.chat("weera")
        await chat.say("เมนู")
        await chat.tap("ลงทะเบียนโครงการใหม่")
        await chat.say("การดำเนินงานนิเทศ ติดตามการจัดการเรียนรู้ภาคเรียนที่ 2")
        await chat.say("2570")
        await chat.tap("ระดับ 1 ยุทธศาสตร์ชาติ")
        await chat.tap("NS-03")
        await chat.say("MP-12-01-Y1")  # a code typed links it at once
        await chat.tap("เสร็จ")
        await chat.tap("การดำเนินงาน")
        await chat.say("แผนงานพื้นฐานด้านการพัฒนาและเสริมสร้างศักยภาพทรัพยากรมนุษย์")
        await chat.tap("ไม่ใช่")
        await chat.say("ดำเนินการเอง")  # the six contacts are taken from the people records
        assert chat.screen.key == "reg.rationale"
        await chat.say("ฮับ")  # not a command: taken as the rationale
        await chat.tap("สารบัญ")
        hub = chat.screen.text
        assert "➖ M5 งบประมาณ" in hub and "⚠️ M3 รายละเอียดโครงการ" in hub and "✅ M2 ข้อมูลทั่วไป" in hub
        project = await Project.get(name="การดำเนินงานนิเทศ ติดตามการจัดการเรียนรู้ภาคเรียนที่ 2")
        assert project.uses_budget is False and project.project_type is ProjectType.ROUTINE
        assert (project.sections_done, project.sections_total) == (2, 4)
