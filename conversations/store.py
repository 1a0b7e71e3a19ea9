"""Between the engine's answers (JSON) and the project's rows: load a project's answers, save a draft.

List items carry the ``id`` of their row once saved, so an edit updates the same KPI or activity (which a
quarterly report may point to) instead of replacing it. Every changed field is written to the audit trail.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar

from conversations.audit import Change, changes
from conversations.engine.status import sections_done
from conversations.flow import Flow, Kind, Question
from conversations.formatting import plain_decimal
from models.enums import FundingSource, ItemStatus, ProjectType
from models.numbering import allocate_project_code
from models.org import Office, User
from models.plans import PlanNode
from models.project import Activity, BudgetLine, Kpi, Project, ProjectPlanLink
from models.runtime import AuditEntry

Answers = dict[str, Any]
Row = TypeVar("Row", Kpi, Activity, BudgetLine)


def _column_value(question: Question, value: Any) -> Any:
    if value is None:
        return None
    if question.kind is Kind.DATE:
        return date.fromisoformat(value)
    if question.kind in (Kind.MONEY, Kind.NUMBER):
        return Decimal(str(value))
    if question.column == "project_type":
        return ProjectType(value)
    return value


def _answer_value(question: Question, value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return plain_decimal(value) if question.kind is Kind.NUMBER else str(value)
    return value.value if isinstance(value, ProjectType) else value


def _empty_for(project: Project, column: str) -> Any:
    field = project._meta.fields_map[column]
    if field.null:
        return None
    default = field.default
    return default() if callable(default) else default


async def load_answers(flow: Flow, project: Project) -> Answers:
    """A project's stored data as the engine's answers (unanswered fields are absent)."""
    answers: Answers = {}
    for question in flow.questions():
        if question.kind is Kind.MULTI and not question.column:
            chosen = [option.value for option in question.options if getattr(project, option.column)]
            if chosen:
                answers[question.key] = chosen
            continue
        value = getattr(project, question.column)
        if value in (None, "", []):
            if question.optional:
                answers[question.key] = None
            continue
        answers[question.key] = _answer_value(question, value)
    if project.objectives:
        answers["objectives"] = [{"text": text} for text in project.objectives]
    links = await ProjectPlanLink.filter(project=project).prefetch_related("plan_node")
    if links:
        answers["plan_links"] = [
            {"id": link.id, "code": link.plan_node.code, "level": link.plan_node.level,
             "title": link.plan_node.title_th, "ref": link.reference_text} for link in links
        ]
    kpis = await Kpi.filter(project=project)
    if kpis:
        answers["kpis"] = [{"id": kpi.id, "name": kpi.name, "unit": kpi.unit,
                            "target_value": plain_decimal(kpi.target_value)} for kpi in kpis]
    activities = await Activity.filter(project=project)
    if activities:
        answers["activities"] = [
            {"id": top.id, "name": top.name, "quarters": list(top.quarters), "subactivities": [
                {"id": sub.id, "name": sub.name, "quarters": list(sub.quarters)}
                for sub in activities if sub.parent_id == top.id]}
            for top in activities if top.parent_id is None
        ]
    lines = await BudgetLine.filter(project=project)
    if lines:
        answers["budget_lines"] = [_line_answers(line) for line in lines]
    return answers


def _line_answers(line: BudgetLine) -> dict[str, Any]:
    item: dict[str, Any] = {"id": line.id, "source": line.source.value, "expense_category": line.expense_category.value,
                            "amount": str(line.amount),
                            "plan": [str(line.plan_q1), str(line.plan_q2), str(line.plan_q3), str(line.plan_q4)]}
    if line.source is FundingSource.VIA_AGENCY:
        item["agency"] = line.source_agency
    elif line.source is FundingSource.PROVINCE:
        item["province"] = line.source_agency
    return item


async def create_project(flow: Flow, user: User, answers: Answers) -> Project:
    """A new draft of the user's office, with the next code from the office's counter (in the turn's transaction)."""
    office = await Office.get_or_none(id=user.office_id) if user.office_id else None
    if office is None:
        raise PermissionError("only people of an office register projects")
    fiscal_year = int(answers["fiscal_year"])
    return await Project.create(code=await allocate_project_code(office, fiscal_year), fiscal_year=fiscal_year,
                                office=office, owner=user, name=answers.get("name", ""))


async def save_answers(flow: Flow, project: Project, previous: Answers, answers: Answers, actor: User,
                       now: datetime) -> Answers:
    """Write what changed since ``previous``; return the answers with new rows' ids filled in.

    Only changed lists are synchronised, and each changed field gets one audit entry.
    """
    saved: Answers = json.loads(json.dumps(answers))
    changed = sorted(key for key in previous.keys() | saved.keys()
                     if _strip_ids(previous.get(key)) != _strip_ids(saved.get(key)))
    if not changed and project.sections_total:
        return saved
    for question in flow.questions():
        if question.kind is Kind.MULTI and not question.column:
            chosen = set(saved.get(question.key) or [])
            for option in question.options:
                setattr(project, option.column, option.value in chosen)
        else:
            value = _column_value(question, saved.get(question.key))
            setattr(project, question.column, value if value is not None else _empty_for(project, question.column))
    project.objectives = [item["text"] for item in saved.get("objectives", [])]
    project.sections_done, project.sections_total = sections_done(flow, saved)
    await project.save()
    if "plan_links" in changed:
        await _sync_links(project, saved)
    if "kpis" in changed:
        await _sync_kpis(project, saved)
    if "activities" in changed:
        await _sync_activities(project, saved)
    if "budget_lines" in changed:
        await _sync_budget(project, saved)  # kept even when the project stops using budget: M5 is then skipped
    await record(actor, now, "project", project.id, project.id, changes(flow, previous, saved))
    return saved


def _strip_ids(value: Any) -> Any:
    if isinstance(value, list):
        return [_strip_ids(item) for item in value]
    if isinstance(value, dict):
        return {key: _strip_ids(item) for key, item in value.items() if key != "id"}
    return value


async def _sync_links(project: Project, answers: Answers) -> None:
    links = answers.get("plan_links", [])
    existing = {link.id: link for link in await ProjectPlanLink.filter(project=project)}
    codes = {link["code"] for link in links}
    nodes = {node.code: node.id for node in await PlanNode.filter(code__in=codes)} if codes else {}
    kept = set()
    for position, link in enumerate(links):
        row = existing.get(link.get("id") or -1)
        if row is None:
            if link["code"] not in nodes:
                continue  # a node removed from the catalog since: the link cannot be stored
            row = await ProjectPlanLink.create(project=project, plan_node_id=nodes[link["code"]],
                                               reference_text=link.get("ref", ""), position=position)
            link["id"] = row.id
        elif (row.reference_text, row.position) != (link.get("ref", ""), position):
            row.reference_text, row.position = link.get("ref", ""), position
            await row.save(update_fields=["reference_text", "position"])
        kept.add(row.id)
    await ProjectPlanLink.filter(project=project).exclude(id__in=kept or {0}).delete()


async def _upsert(model: type[Row], project: Project, existing: dict[int, Row], item: dict[str, Any],
                  values: dict[str, Any]) -> Row:
    """The row ``item`` points to, brought up to date (written only when something differs), or a new one.

    A new row's id goes into the item, so the next save updates the same row (a report may point to it).
    """
    row = existing.get(item.get("id") or -1)
    if row is None:
        row = await model.create(project=project, **values)
        item["id"] = row.id
    elif any(getattr(row, name) != value for name, value in values.items()):
        row.update_from_dict(values)
        await row.save()
    return row


async def _sync_kpis(project: Project, answers: Answers) -> None:
    existing = {kpi.id: kpi for kpi in await Kpi.filter(project=project)}
    kept = set()
    for position, item in enumerate(answers.get("kpis", [])):
        values = {"name": item.get("name", ""), "unit": item.get("unit", ""),
                  "target_value": Decimal(str(item.get("target_value", "0"))), "position": position}
        kept.add((await _upsert(Kpi, project, existing, item, values)).id)
    await Kpi.filter(project=project).exclude(id__in=kept or {0}).delete()


async def _sync_activities(project: Project, answers: Answers) -> None:
    existing = {activity.id: activity for activity in await Activity.filter(project=project)}
    kept: set[int] = set()

    async def upsert(item: dict[str, Any], parent_id: int | None, position: int) -> int:
        values = {"name": item.get("name", ""), "quarters": list(item.get("quarters", [])), "parent_id": parent_id,
                  "position": position}
        row = await _upsert(Activity, project, existing, item, values)
        kept.add(row.id)
        return row.id

    for position, item in enumerate(answers.get("activities", [])):
        parent_id = await upsert(item, None, position)
        for sub_position, child in enumerate(item.get("subactivities", [])):
            await upsert(child, parent_id, sub_position)
    # Sub-activities first: a parent row cannot go while its children point to it.
    await Activity.filter(project=project, parent_id__isnull=False).exclude(id__in=kept or {0}).delete()
    await Activity.filter(project=project).exclude(id__in=kept or {0}).delete()


async def _sync_budget(project: Project, answers: Answers) -> None:
    existing = {line.id: line for line in await BudgetLine.filter(project=project)}
    kept = set()
    for position, item in enumerate(answers.get("budget_lines", [])):
        plan = [Decimal(str(value)) for value in item.get("plan", ["0"] * 4)]
        values = {
            "source": item.get("source", "direct"), "expense_category": item.get("expense_category", "operating"),
            "source_agency": {"via_agency": item.get("agency"), "province": item.get("province")}.get(
                item.get("source", ""), "") or "",
            "amount": Decimal(str(item.get("amount", "0"))), "plan_q1": plan[0], "plan_q2": plan[1],
            "plan_q3": plan[2], "plan_q4": plan[3], "position": position,
        }
        kept.add((await _upsert(BudgetLine, project, existing, item, values)).id)
    await BudgetLine.filter(project=project).exclude(id__in=kept or {0}).delete()


async def record(actor: User, now: datetime, entity: str, entity_id: int, project_id: int, found: list[Change]) -> None:
    """Write audit entries for the changes found."""
    if found:
        await AuditEntry.bulk_create([
            AuditEntry(actor=actor, at=now, entity=entity, entity_id=entity_id, project_id=project_id,
                       field=change.field, before=change.before, after=change.after)
            for change in found
        ])


async def submit_project(project: Project, now: datetime, actor: User) -> None:
    """Mark a draft (or returned) project as submitted for the director's decision."""
    before = project.status
    project.status = ItemStatus.SUBMITTED
    project.submitted_at = now
    await project.save(update_fields=["status", "submitted_at", "updated_at"])
    await AuditEntry.create(actor=actor, at=now, entity="project", entity_id=project.id, project_id=project.id,
                            field="status", before=json.dumps(before.value), after=json.dumps(project.status.value))
