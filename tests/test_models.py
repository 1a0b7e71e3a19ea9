"""Every model round-trips through the real database (SQLite, and PostgreSQL when DATABASE_URL names one)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from tortoise.exceptions import IntegrityError

from models.db import Database
from models.enums import (
    ActivityState,
    DeliveryStatus,
    ExpenseCategory,
    FundingSource,
    ItemStatus,
    Platform,
    ProjectType,
    ReminderKind,
    Role,
)
from models.inbox import InboxEvent
from models.invites import hash_code, issue_invite, looks_like_code, normalize_code
from models.org import ChatAccount, Invite, Office, User
from models.plans import PlanNode
from models.project import Activity, BudgetLine, Kpi, Project, ProjectPlanLink
from models.report import ActivityProgress, KpiValue, QuarterReport, ReportingWindow, WindowException
from models.runtime import AuditEntry, ConversationSession, ReminderDelivery

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


async def _office_and_owner() -> tuple[Office, User]:
    office = await Office.create(code="CMI1", name="สพป.เชียงใหม่ เขต 1", province="เชียงใหม่", department="สพฐ.")
    owner = await User.create(name="นางสาวสุดา ศรีสุข", role=Role.OWNER, office=office, email="suda.s@example.go.th")
    return office, owner


async def test_project_with_all_its_sections_round_trips(database: Database) -> None:
    office, owner = await _office_and_owner()
    node = await PlanNode.create(code="MP-12-01-Y1", family="MP", level=2, kind="target", title_th="คนไทยได้รับการศึกษา")
    project = await Project.create(
        code="CMI1-2570-001", fiscal_year=2570, office=office, owner=owner, name="โครงการอ่านออกเขียนได้",
        project_type=ProjectType.PROJECT, uses_budget=True, method_self=True, method_contract=True,
        objectives=["พัฒนาครู 240 คน", "ยกระดับการอ่าน"], provinces=["เชียงใหม่"],
        start_date=date(2026, 10, 1), end_date=date(2027, 9, 30),
    )
    await ProjectPlanLink.create(project=project, plan_node=node)
    await Kpi.create(project=project, name="ร้อยละนักเรียนที่อ่านออก", unit="ร้อยละ", target_value=Decimal("85.5"))
    parent = await Activity.create(project=project, name="อบรมครู", quarters=[1, 2])
    await Activity.create(project=project, parent=parent, name="อบรมครู ป.1", quarters=[1])
    await BudgetLine.create(
        project=project, source=FundingSource.VIA_AGENCY, source_agency="สพฐ.",
        expense_category=ExpenseCategory.OPERATING, amount=Decimal("120000.10"), plan_q2=Decimal("120000.10"),
    )

    loaded = await Project.get(code="CMI1-2570-001").prefetch_related(
        "plan_links__plan_node", "kpis", "activities", "budget_lines", "office", "owner"
    )
    assert loaded.status is ItemStatus.DRAFT
    assert loaded.project_type is ProjectType.PROJECT
    assert loaded.objectives == ["พัฒนาครู 240 คน", "ยกระดับการอ่าน"]
    assert (loaded.start_date, loaded.end_date) == (date(2026, 10, 1), date(2027, 9, 30))
    assert [link.plan_node.code for link in loaded.plan_links] == ["MP-12-01-Y1"]
    assert loaded.kpis[0].target_value == Decimal("85.50")
    children = [activity for activity in loaded.activities if activity.parent_id == parent.id]
    assert [child.name for child in children] == ["อบรมครู ป.1"] and children[0].quarters == [1]
    line = loaded.budget_lines[0]
    assert line.source is FundingSource.VIA_AGENCY and line.expense_category is ExpenseCategory.OPERATING
    assert line.amount == Decimal("120000.10") and line.plan_q1 == Decimal(0)
    assert loaded.office.code == "CMI1" and loaded.owner.role is Role.OWNER
    assert loaded.created_at.tzinfo is not None and loaded.created_at.utcoffset() == timedelta(0)


async def test_money_is_exact(database: Database) -> None:
    office, owner = await _office_and_owner()
    project = await Project.create(code="X-1", fiscal_year=2570, office=office, owner=owner)
    amounts = [Decimal("0.10"), Decimal("0.20"), Decimal("999999999999.99")]
    for amount in amounts:
        await BudgetLine.create(project=project, source=FundingSource.DIRECT,
                                expense_category=ExpenseCategory.INVESTMENT, amount=amount)
    stored = [line.amount for line in await BudgetLine.filter(project=project).order_by("id")]
    assert stored == amounts
    assert sum(stored[:2]) == Decimal("0.30")


async def test_quarter_report_with_values_and_progress_round_trips(database: Database) -> None:
    office, owner = await _office_and_owner()
    project = await Project.create(code="X-2", fiscal_year=2570, office=office, owner=owner)
    kpi = await Kpi.create(project=project, name="จำนวนครูที่ผ่านการอบรม", unit="คน", target_value=Decimal(240))
    activity = await Activity.create(project=project, name="อบรมครู", quarters=[1])
    report = await QuarterReport.create(
        project=project, fiscal_year=2570, quarter=1, output_progress="อบรม 2 รุ่น ครู 180 คน",
        plan_contributions={"MP-12-01-Y1": "ครูได้รับการพัฒนา"}, planned_amount=Decimal(150000),
        disbursed_amount=Decimal(98500), shortfall_reason="เลื่อนการอบรมรุ่นที่ 2", submitted_by=owner,
        submitted_at=NOW, late=True,
    )
    await KpiValue.create(report=report, kpi=kpi, value=Decimal(180))
    await ActivityProgress.create(report=report, activity=activity, state=ActivityState.IN_PROGRESS, percent=60)
    loaded = await QuarterReport.get(id=report.id).prefetch_related("kpi_values", "activity_progress")
    assert loaded.plan_contributions == {"MP-12-01-Y1": "ครูได้รับการพัฒนา"}
    assert loaded.disbursed_amount == Decimal("98500.00") and loaded.late
    assert loaded.submitted_at == NOW
    assert loaded.kpi_values[0].value == Decimal(180)
    assert loaded.activity_progress[0].state is ActivityState.IN_PROGRESS
    with pytest.raises(IntegrityError):
        await QuarterReport.create(project=project, fiscal_year=2570, quarter=1)


async def test_windows_and_exceptions_are_unique_per_quarter(database: Database) -> None:
    office, owner = await _office_and_owner()
    await ReportingWindow.create(fiscal_year=2570, quarter=1, opens_on=date(2027, 1, 1), due_on=date(2027, 1, 31))
    await WindowException.create(fiscal_year=2570, quarter=1, office=office, until=date(2027, 2, 15), granted_by=owner)
    with pytest.raises(IntegrityError):
        await ReportingWindow.create(fiscal_year=2570, quarter=1, opens_on=date(2027, 1, 2), due_on=date(2027, 1, 3))
    with pytest.raises(IntegrityError):
        await WindowException.create(fiscal_year=2570, quarter=1, office=office, until=date(2027, 3, 1))


async def test_chat_accounts_are_unique_per_platform_and_carry_a_session(database: Database) -> None:
    _, owner = await _office_and_owner()
    account = await ChatAccount.create(platform=Platform.TELEGRAM, external_id="42", user=owner)
    await ChatAccount.create(platform=Platform.LINE, external_id="42")
    with pytest.raises(IntegrityError):
        await ChatAccount.create(platform=Platform.TELEGRAM, external_id="42")
    session = await ConversationSession.create(chat_account=account, flow_id="register",
                                               state={"step": "m2.name", "answers": {"name": "ทดสอบ ไทย"}})
    loaded = await ConversationSession.get(id=session.id)
    assert loaded.state["answers"]["name"] == "ทดสอบ ไทย" and loaded.row_version == 0


async def test_events_and_deliveries_are_claimed_once(database: Database) -> None:
    _, owner = await _office_and_owner()
    now = datetime(2026, 12, 4, tzinfo=UTC)
    event = {"platform": Platform.TELEGRAM, "chat_ref": "7", "event_id": "1001", "payload": "{}", "received_at": now,
             "available_at": now}
    await InboxEvent.create(**event)
    with pytest.raises(IntegrityError):
        await InboxEvent.create(**event)
    await InboxEvent.create(**event | {"platform": Platform.LINE})
    await ReminderDelivery.create(recipient=owner, kind=ReminderKind.WINDOW_OPENED, fiscal_year=2570, quarter=1,
                                  subject="project:1")
    await ReminderDelivery.create(recipient=owner, kind=ReminderKind.WINDOW_OPENED, fiscal_year=2570, quarter=1,
                                  subject="project:2")
    with pytest.raises(IntegrityError):
        await ReminderDelivery.create(recipient=owner, kind=ReminderKind.WINDOW_OPENED, fiscal_year=2570,
                                      quarter=1, subject="project:1")
    delivery = await ReminderDelivery.get(subject="project:2")
    assert delivery.status is DeliveryStatus.CLAIMED and delivery.attempts == 0


async def test_audit_entries_keep_before_and_after(database: Database) -> None:
    _, owner = await _office_and_owner()
    await AuditEntry.create(actor=owner, at=NOW, entity="project", entity_id=1, project_id=1, field="name",
                            before=json.dumps("เดิม"), after=json.dumps({"value": "ใหม่"}))
    entry = await AuditEntry.get(entity="project", entity_id=1)
    assert entry.before is not None and entry.after is not None
    assert (json.loads(entry.before), json.loads(entry.after), entry.at) == ("เดิม", {"value": "ใหม่"}, NOW)


async def test_invites_store_only_a_hash_and_accept_sloppy_typing(database: Database) -> None:
    office, _ = await _office_and_owner()
    invite, code = await issue_invite(role=Role.OWNER, office=office, now=NOW)
    assert code not in invite.code_hash and invite.code_hash == hash_code(code)
    assert invite.expires_at == NOW + timedelta(days=14)
    sloppy = code.lower().replace("-", " ")
    assert looks_like_code(sloppy) and hash_code(sloppy) == invite.code_hash
    assert normalize_code(sloppy) == code.replace("-", "")
    assert not looks_like_code("สวัสดีค่ะ")
    with pytest.raises(ValueError, match="office"):
        await issue_invite(role=Role.DIRECTOR, now=NOW)
    admin_invite, _ = await issue_invite(role=Role.ADMIN, now=NOW)
    assert (await Invite.get(id=admin_invite.id)).office_id is None
