"""The approval round: who is told of a submission, what a decision changes, and who is told of it.

Directors decide for their own office (admins for any); only a submitted item can be decided. Every
decision is audited, and the person on the other side gets a notification row in the same transaction.
"""

from __future__ import annotations

import json
from datetime import datetime

from conversations.copy import render
from conversations.service.notice_rows import directors_of, insert_notifications
from models.enums import ItemStatus, ReminderKind, Role
from models.fiscal import FiscalQuarter
from models.org import User
from models.project import Project
from models.report import QuarterReport
from models.runtime import AuditEntry


class DecisionRefused(PermissionError):
    """The actor may not decide this item (another office, not a director, not awaiting a decision)."""


def _period(report: QuarterReport) -> str:
    return FiscalQuarter(report.fiscal_year, report.quarter).label()


async def notify(recipient_ids: list[int], kind: ReminderKind, key: str, now: datetime, *, project_id: int,
                 report_id: int | None = None, **params: object) -> None:
    """Queue one notification per recipient (one INSERT, none without a recipient)."""
    await insert_notifications(recipient_ids, {"kind": kind, "key": key, "params": dict(params),
                                               "project_id": project_id, "report_id": report_id, "created_at": now})


async def project_submitted(project: Project, owner: User, now: datetime) -> None:
    """Tell the office's director that a registration awaits a decision (sent again after being returned, when
    it carries the director's comment: the director then looks at what was fixed)."""
    key = "notify.submitted_again_project" if project.decision_comment else "notify.submitted_project"
    await notify(await directors_of(project.office_id), ReminderKind.SUBMITTED, key, now,
                 project_id=project.id, code=project.code, name=project.name, owner=owner.name)


async def report_submitted(report: QuarterReport, project: Project, owner: User, now: datetime) -> None:
    """Tell the office's director that a quarterly report awaits a decision (marked when sent again after being
    returned)."""
    key = "notify.submitted_again_report" if report.decision_comment else "notify.submitted_report"
    await notify(await directors_of(project.office_id), ReminderKind.SUBMITTED, key, now,
                 project_id=project.id, report_id=report.id, code=project.code, name=project.name, owner=owner.name,
                 period=_period(report), late=render("inbox.late") if report.late else "")


def _may_decide(actor: User, office_id: int) -> bool:
    return actor.role is Role.ADMIN or (actor.role is Role.DIRECTOR and actor.office_id == office_id)


async def _item(kind: str, item_id: int) -> tuple[Project | QuarterReport, Project]:
    if kind == "report":
        report = await QuarterReport.get_or_none(id=item_id).prefetch_related("project")
        if report is None:
            raise DecisionRefused(f"no report {item_id}")
        return report, report.project
    project = await Project.get_or_none(id=item_id)
    if project is None:
        raise DecisionRefused(f"no project {item_id}")
    return project, project


def _model(kind: str) -> type[Project] | type[QuarterReport]:
    return QuarterReport if kind == "report" else Project


async def decide(kind: str, item_id: int, approve: bool, comment: str, actor: User, now: datetime) -> str:
    """Approve or return a submitted project or report, tell its owner, and return the project's code."""
    item, project = await _item(kind, item_id)
    if not _may_decide(actor, project.office_id):
        raise DecisionRefused(f"{actor.name} may not decide for office {project.office_id}")
    status = ItemStatus.APPROVED if approve else ItemStatus.RETURNED
    # Only one decision lands, even when two directors press at the same moment.
    decided = await _model(kind).filter(id=item_id, status=ItemStatus.SUBMITTED).update(
        status=status, decided_at=now, decided_by_id=actor.id, decision_comment=comment)
    if not decided:  # by id, so one row or none (SQLite's count also takes in the rows its tally triggers wrote)
        raise DecisionRefused(f"{kind} {item_id} is not awaiting a decision")
    entries = [AuditEntry(actor=actor, at=now, entity=kind, entity_id=item.id, project_id=project.id, field="status",
                          before=json.dumps("submitted"), after=json.dumps(status.value))]
    if comment:
        entries.append(AuditEntry(actor=actor, at=now, entity=kind, entity_id=item.id, project_id=project.id,
                                  field="decision_comment", before="null",
                                  after=json.dumps(comment, ensure_ascii=False)))
    await AuditEntry.bulk_create(entries)
    key = f"notify.{'approved' if approve else 'returned'}_{kind}"
    period = _period(item) if isinstance(item, QuarterReport) else ""
    await notify([project.owner_id], ReminderKind.DECIDED, key, now, project_id=project.id,
                 report_id=item.id if isinstance(item, QuarterReport) else None, code=project.code, name=project.name,
                 period=period, director=actor.name, comment=comment)
    return project.code


async def reopen(kind: str, item_id: int, actor: User, now: datetime) -> str:
    """The owner starts a new submission round for an approved item: it becomes editable, then goes back
    to the director. Returns the project's code."""
    item, project = await _item(kind, item_id)
    if project.owner_id != actor.id:
        raise DecisionRefused(f"{actor.name} does not own {project.code}")
    comment = render("reopen.comment", name=actor.name)
    # what was keyed into eMENSCR is to be keyed again once the changed item is approved again
    reopened = await _model(kind).filter(id=item_id, status=ItemStatus.APPROVED).update(
        status=ItemStatus.RETURNED, decision_comment=comment, emenscr_keyed=[], emenscr_keyed_at=None)
    if not reopened:  # one row or none, as in decide()
        raise DecisionRefused(f"{kind} {item_id} is not approved")
    await AuditEntry.create(actor=actor, at=now, entity=kind, entity_id=item.id, project_id=project.id, field="status",
                            before=json.dumps("approved"), after=json.dumps("returned"))
    await notify(await directors_of(project.office_id), ReminderKind.DECIDED, "notify.reopened", now,
                 project_id=project.id, report_id=item.id if isinstance(item, QuarterReport) else None,
                 code=project.code, name=project.name, owner=actor.name,
                 period=_period(item) if isinstance(item, QuarterReport) else "")
    return project.code
