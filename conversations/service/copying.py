"""Copying a project the person may see into a new draft of theirs for another fiscal year (#18).

What the copy becomes is decided purely (``copy_rules``); this module reads the source within the person's scope,
asks the catalog which plan links still exist in the new year, writes the draft through the same store as chat
answers (so every field is in the audit trail), and records the source. The contacts are today's (the person
copying, their office's director, per the records), not last year's; the changes are named on the copy's M2
mark. Quarterly reports (M6) are never copied.
"""

from __future__ import annotations

import json
from datetime import datetime

from conversations.engine.copied import seen
from conversations.engine.outcomes import CopyRefused, ProjectCopied
from conversations.flows.flow import Flow
from conversations.service.contact_rules import known_values
from conversations.service.copy_rules import link_codes, plan_copy, review_marks
from conversations.service.known_people import owner_context
from conversations.service.loaders import visible_projects
from conversations.service.store import create_project, load_answers, save_answers
from models.catalog import valid_in
from models.enums import Role
from models.fiscal import fiscal_year_of, local_day
from models.org import User
from models.plans import PlanNode
from models.project import Project
from models.runtime import AuditEntry

YEARS_AROUND = 1  # a copy is for the current fiscal year or the next (or, from a stale screen, the one before)


async def copy_project(flow: Flow, user: User, source_id: int, fiscal_year: int,
                       now: datetime) -> ProjectCopied | CopyRefused:
    """A new draft of ``user``'s for ``fiscal_year`` from a project of their office they may see; refused when
    the project is out of their scope (another office's, another owner's), or they do not register projects."""
    if user.role is not Role.OWNER or user.office_id is None:
        return CopyRefused()
    if abs(fiscal_year - fiscal_year_of(local_day(now))) > YEARS_AROUND:
        return CopyRefused()
    source = await visible_projects(user).filter(id=source_id, office_id=user.office_id).first()
    if source is None:
        return CopyRefused()
    answers = await load_answers(flow, source)
    codes = link_codes(answers)
    valid = {node.code: node.title_th
             for node in await PlanNode.filter(valid_in(fiscal_year), code__in=codes)} if codes else {}
    today = known_values(flow, await owner_context(user, now), contacts_only=True)
    plan = plan_copy(flow, answers, source.fiscal_year, fiscal_year, valid, today)
    project = await create_project(flow, user, plan.answers)
    project.copied_from_id = source.id
    project.copy_review = review_marks(plan, source.code)
    stored = await save_answers(flow, project, {}, plan.answers, user, now)
    await AuditEntry.create(actor=user, at=now, entity="project", entity_id=project.id, project_id=project.id,
                            field="copied_from", before="null", after=json.dumps(source.code))
    return ProjectCopied(project.id, project.code, source.code, fiscal_year, fiscal_year - source.fiscal_year,
                         stored, project.updated_at.isoformat(), dict(project.copy_review))


async def mark_seen(project: Project, section: str) -> None:
    """The owner opened ``section``: its "copied — check" mark goes (the project's updated_at stays, so the
    conversation's own write is not taken for a change made elsewhere)."""
    marks = seen(project.copy_review or {}, section)
    if marks != (project.copy_review or {}):
        await Project.filter(id=project.id).update(copy_review=marks)


def unseen_sections(project: Project) -> tuple[str, ...]:
    """The sections of a copy not yet opened (submission waits for them)."""
    return tuple(str(section) for section in (project.copy_review or {}).get("unseen", []))
