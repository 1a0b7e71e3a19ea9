"""Between the engine's answers (JSON) and the project's rows: load a project's answers, save a draft.

The flow's declarations drive the fields (``conversations.service.field_store``); this module adds what is not a
question: the project's code and office, its plan links (M1's widget), completion, and the audit trail
(one entry per changed field or list item).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from conversations.engine.status import sections_done
from conversations.flows.flow import Flow
from conversations.service.audit import Change, changes
from conversations.service.audit_rows import insert_entries
from conversations.service.field_store import read_record, read_rows, save_rows, write_record
from models.enums import ItemStatus
from models.numbering import allocate_project_code
from models.org import Office, User
from models.plans import PlanNode
from models.project import Project, ProjectPlanLink
from models.runtime import AuditEntry

Answers = dict[str, Any]


async def load_answers(flow: Flow, project: Project) -> Answers:
    """A project's stored data as the engine's answers (unanswered fields are absent)."""
    answers: Answers = {}
    read_record(flow, project, answers, empty_optional_is_skipped=True)
    links = await ProjectPlanLink.filter(project=project).prefetch_related("plan_node")
    if links:
        answers["plan_links"] = [
            {"id": link.id, "code": link.plan_node.code, "level": link.plan_node.level,
             "title": link.plan_node.title_th, "ref": link.reference_text} for link in links
        ]
    await read_rows(flow, project, answers)
    return answers


async def create_project(flow: Flow, user: User, answers: Answers) -> Project:
    """A new draft of the user's office, with the next code from the office's counter (in the turn's transaction)."""
    office = await Office.get_or_none(id=user.office_id) if user.office_id else None
    if office is None:
        raise PermissionError("only people of an office register projects")
    fiscal_year = int(answers["fiscal_year"])
    return await Project.create(code=await allocate_project_code(office, fiscal_year), fiscal_year=fiscal_year,
                                office=office, owner=user, name=answers.get("name", ""))


async def save_answers(flow: Flow, project: Project, previous: Answers, answers: Answers, actor: User | None,
                       now: datetime) -> Answers:
    """Write what changed since ``previous``; return the answers with new rows' ids filled in.

    Only changed lists are synchronised, and each changed field gets one audit entry (its actor None when the
    server's operator imported the file).
    """
    saved: Answers = json.loads(json.dumps(answers))
    changed = sorted(key for key in previous.keys() | saved.keys()
                     if without_ids(previous.get(key)) != without_ids(saved.get(key)))
    if not changed and project.sections_total:
        return saved
    write_record(flow, project, saved)
    project.sections_done, project.sections_total = sections_done(flow, saved)
    await project.save()
    if "plan_links" in changed:
        await _sync_links(project, saved)
    # Only changed lists are synchronised. Budget lines are kept even when the project stops using budget
    # (M5 is then skipped).
    await save_rows(flow, project, saved, set(changed))
    await record(actor, now, "project", project.id, project.id, changes(flow, previous, saved))
    return saved


def without_ids(value: Any) -> Any:
    """Answers compared by content: row ids are the database's, not the person's."""
    if isinstance(value, list):
        return [without_ids(item) for item in value]
    if isinstance(value, dict):
        return {key: without_ids(item) for key, item in value.items() if key != "id"}
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


async def record(actor: User | None, now: datetime, entity: str, entity_id: int, project_id: int,
                 found: list[Change]) -> None:
    """Write audit entries for the changes found."""
    if found:
        await insert_entries(actor.id if actor is not None else None, now, entity, entity_id, project_id,
                             [(change.field, change.before, change.after) for change in found])


async def submit_project(project: Project, now: datetime, actor: User) -> None:
    """Mark a draft (or returned) project as submitted for the director's decision."""
    before = project.status
    project.status = ItemStatus.SUBMITTED
    project.submitted_at = now
    await project.save(update_fields=["status", "submitted_at", "updated_at"])
    await AuditEntry.create(actor=actor, at=now, entity="project", entity_id=project.id, project_id=project.id,
                            field="status", before=json.dumps(before.value), after=json.dumps(project.status.value))
