"""Between a quarterly report's answers (JSON) and its rows: what is known, what was answered, evidence.

A report's answers hold the known context (the project's name, whether it uses budget, the quarter's
planned spending, its KPIs with targets, the activities planned for the quarter, the linked plans) next to
what the owner answered; only the answers are written back.
"""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from typing import Any, NamedTuple

from conversations.flows.flow import Evidence, Flow, FlowId, Question, steps
from conversations.flows.registry import FLOWS
from conversations.formatting import format_money, plain_decimal
from conversations.messages import Attachment
from conversations.service import context_reads
from conversations.service.audit import changes
from conversations.service.audit_rows import insert_entries
from conversations.service.field_store import read_record, read_rows, save_rows, write_record
from conversations.service.row_writes import insert_unless_present, update_columns, update_where_among
from conversations.service.store import record
from models.enums import EDITABLE, ItemStatus
from models.fiscal import FiscalQuarter
from models.org import User
from models.project import Project
from models.report import ActivityProgress, KpiValue, QuarterReport, ReportAttachment
from models.runtime import AuditEntry

Answers = dict[str, Any]


def evidence_keys(flow: Flow) -> frozenset[str]:
    """The keys of the flow's evidence steps (their answers are lists of files)."""
    return frozenset(step.key for step in steps(flow) if isinstance(step, Evidence))


def skippable(flow: Flow) -> list[str]:
    """The optional steps, in order: passed without an answer, they are remembered as skipped."""
    return [step.key for step in steps(flow)
            if isinstance(step, Evidence) or (isinstance(step, Question) and step.optional)]


async def planned_amount(project: Project, quarter: int) -> Decimal:
    """The quarter's planned spending from M5 (all sources)."""
    return await context_reads.planned_amount(project.id, quarter)


async def known_context(project: Project, period: FiscalQuarter) -> Answers:
    """What the system already knows for this report, so that it is never asked (its rows read as plain values
    by statements written out once, ``context_reads``, each plan link with its plan in one: nothing here is
    written back)."""
    kpis = await context_reads.kpis(project.id)
    activities = await context_reads.activities(project.id)
    names = {activity["id"]: activity["name"] for activity in activities}
    tree = [a for top in activities if top["parent_id"] is None
            for a in (top, *(child for child in activities if child["parent_id"] == top["id"]))]
    in_quarter = [a for a in tree if period.quarter in (a["quarters"] or [])]
    numbers = registration_numbers(activities)
    links = await context_reads.plan_links(project.id)
    linked = [link for link in links if link["level"] in (1, 2) or link["family"] == "LAW"]
    planned = await planned_amount(project, period.quarter) if project.uses_budget else None
    last = await last_quarter(project, period)
    answers: Answers = {
        "project_name": project.name,
        "uses_budget": bool(project.uses_budget),
        "planned_amount": str(planned) if planned is not None else None,
        "planned_text": format_money(planned) if planned is not None else "",
        "has_activities": bool(in_quarter),
        "has_kpis": bool(kpis),
        "has_links": bool(linked),
        "kpi_values": [{"kpi_id": kpi["id"], "name": kpi["name"], "unit": kpi["unit"],
                        "target": plain_decimal(kpi["target_value"])} for kpi in kpis],
        "activity_progress": [
            {"activity_id": a["id"],
             "name": a["name"] if a["parent_id"] is None else f"{names.get(a['parent_id'], '')} › {a['name']}",
             "number": numbers[a["id"]]} for a in in_quarter
        ],
        "plan_contributions": [
            {"link": _link_key(link), "code": link["code"], "title": link["reference_text"] or link["title_th"],
             "level": link["level"]}
            for link in linked
        ],
    }
    for item in answers["kpi_values"]:
        if item["kpi_id"] in last.values:
            item["last_value"] = last.values[item["kpi_id"]]
    for item in answers["activity_progress"]:
        if item["activity_id"] in last.progress:
            item["last_state"], item["last_percent"] = last.progress[item["activity_id"]]
    for item in answers["plan_contributions"]:
        if item["link"] in last.texts:
            item["last_text"] = last.texts[item["link"]]
    return answers


class LastQuarter(NamedTuple):
    """What the previous quarter's report said, offered as "เหมือนไตรมาสก่อน": KPI values and activity progress
    by KPI and activity id, and the contribution text of each linked plan by link (a plan passed as "nothing
    new" has none to offer)."""

    values: dict[int, str | None]
    progress: dict[int, tuple[str, int]]
    texts: dict[str, str]


async def last_quarter(project: Project, period: FiscalQuarter) -> LastQuarter:
    """The previous quarter's report (same fiscal year); nothing for a first quarter or a quarter not reported."""
    if period.quarter == 1:
        return LastQuarter({}, {}, {})
    last = await QuarterReport.get_or_none(project=project, fiscal_year=period.fiscal_year, quarter=period.quarter - 1)
    if last is None:
        return LastQuarter({}, {}, {})
    values = {row["kpi_id"]: (plain_decimal(row["value"]) if row["value"] is not None else None)
              for row in await KpiValue.filter(report=last).values("kpi_id", "value")}
    progress = {row["activity_id"]: (str(row["state"].value), row["percent"])
                for row in await ActivityProgress.filter(report=last).values("activity_id", "state", "percent")}
    stored = last.plan_contributions if isinstance(last.plan_contributions, dict) else {}
    texts = {str(link): text for link, text in stored.items() if isinstance(text, str) and text.strip()}
    return LastQuarter(values, progress, texts)


def registration_numbers(activities: list[dict[str, Any]]) -> dict[int, str]:
    """Each activity's number as the registration shows it (``2``, ``2.1``), by id, so that a report listing
    only the quarter's activities still calls them by the same numbers (activities as rows of values)."""
    numbers: dict[int, str] = {}
    tops = [activity for activity in activities if activity["parent_id"] is None]
    for index, top in enumerate(tops, start=1):
        numbers[top["id"]] = str(index)
        children = [activity for activity in activities if activity["parent_id"] == top["id"]]
        numbers.update({child["id"]: f"{index}.{sub}" for sub, child in enumerate(children, start=1)})
    return numbers


def _link_key(link: dict[str, Any]) -> str:
    return f"{link['code']}:{link['reference_text']}" if link["reference_text"] else link["code"]


async def load_report_answers(project: Project, period: FiscalQuarter, report: QuarterReport | None) -> Answers:
    """Known context merged with the stored answers of the report, if any."""
    answers = await known_context(project, period)
    if report is None:
        return answers
    flow = FLOWS[FlowId.REPORT]
    read_record(flow, report, answers, empty_optional_is_skipped=False)
    for key in report.skipped or []:  # passed without an answer: asked again only if the owner goes back
        answers[key] = [] if key in evidence_keys(flow) else None
    await read_rows(flow, report, answers)
    files = await ReportAttachment.filter(report=report).order_by("id").values("id", "filename", "kind", "size")
    if files:
        answers["attachments"] = [dict(row) for row in files]
    return answers


async def create_report(project: Project, period: FiscalQuarter) -> QuarterReport:
    """A draft report for the quarter, in one statement: the unique key settles a double start (the report another
    chat or process created is read instead), as ``get_or_create`` did with a read before and a savepoint."""
    report = QuarterReport(project=project, fiscal_year=period.fiscal_year, quarter=period.quarter)
    if await insert_unless_present(report, ("project_id", "fiscal_year", "quarter")):
        return report
    return await QuarterReport.get(project=project, fiscal_year=period.fiscal_year, quarter=period.quarter)


async def save_report_answers(flow: Flow, report: QuarterReport, previous: Answers, answers: Answers, actor: User,
                              now: datetime) -> Answers:
    """Write what the owner answered; return the answers (files keep the ids of their rows)."""
    saved: Answers = json.loads(json.dumps(answers))
    before = _columns(report)
    write_record(flow, report, saved)  # an answer whose question no longer applies (a shortfall reason once
    # the amount is on plan) is not kept
    if saved.get("planned_amount") is not None:
        report.planned_amount = Decimal(str(saved["planned_amount"]))
    report.skipped = [key for key in skippable(flow) if key in saved and not saved[key]]
    report.law_contribution = "\n".join(item["text"] for item in saved.get("plan_contributions", [])
                                        if item.get("text") and item.get("code") == "LAW")
    after = _columns(report)
    columns = [name for name in after if after[name] != before[name]]
    changed = {key for key in previous.keys() | saved.keys() if previous.get(key) != saved.get(key)}
    if columns or changed:
        # only the answers' columns that changed, and the version (another chat of the person sees it moved); a
        # decision stored meanwhile is never overwritten. Nothing at all when nothing changed.
        await update_columns(report, [*columns, "updated_at"])  # as save(update_fields=…) writes them
    # Only the rows of the lists that changed, and of those only the rows that differ from the stored ones, so
    # a turn writes the one it changed, not all of them again.
    await save_rows(flow, report, saved, changed)
    await record(actor, now, "report", report.id, report.project_id, changes(flow, previous, saved))
    return saved


def _columns(report: QuarterReport) -> dict[str, Any]:
    """The report's own columns (not its relations), to tell which an answer changed."""
    return {name: getattr(report, name) for name in report._meta.fields_db_projection
            if name not in ("id", "updated_at")}


async def store_attachment(report: QuarterReport, attachment: Attachment, actor: User, now: datetime) -> int:
    """Keep one evidence file; return its id."""
    row = await ReportAttachment.create(report=report, kind=attachment.kind, filename=attachment.filename[:255],
                                        mime_type=attachment.mime_type[:128], size=len(attachment.content),
                                        content=attachment.content)
    await AuditEntry.create(actor=actor, at=now, entity="report", entity_id=report.id, project_id=report.project_id,
                            field="attachments", before="null",
                            after=json.dumps(attachment.filename, ensure_ascii=False))
    return row.id


async def delete_attachment(report: QuarterReport, attachment_id: int, actor: User, now: datetime) -> None:
    """Remove one evidence file of this report."""
    row = await ReportAttachment.get_or_none(id=attachment_id, report=report)
    if row is not None:
        await row.delete()
        await AuditEntry.create(actor=actor, at=now, entity="report", entity_id=report.id,
                                project_id=report.project_id, field="attachments",
                                before=json.dumps(row.filename, ensure_ascii=False), after="null")


async def submit_report(report: QuarterReport, now: datetime, actor: User, *, late: bool) -> bool:
    """Mark the report submitted (late when past its due date); False when it is no longer editable.

    Only the submission's own columns are written, and only while the stored report is still a draft or returned:
    the report in hand was read as the turn began, and an answer the person's other chat saved meanwhile must
    not be written back over, nor a report another chat has already sent be sent twice.
    """
    before = report.status
    sent = await update_where_among(QuarterReport, report.id, {
        "status": ItemStatus.SUBMITTED, "submitted_at": now, "submitted_by_id": actor.id, "late": late,
        "updated_at": now}, "status", sorted(EDITABLE))
    if not sent:
        return False
    report.status, report.submitted_at, report.submitted_by, report.late = ItemStatus.SUBMITTED, now, actor, late
    report.updated_at = now
    await insert_entries(actor.id, now, "report", report.id, report.project_id,
                         [("status", json.dumps(before.value), json.dumps("submitted"))])
    return True
