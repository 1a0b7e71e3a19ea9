"""The approval round: who is told of a submission, what a decision changes, and who is told of it.

Directors decide for their own office (admins for any); only a submitted item can be decided. Every
decision is audited, and the person on the other side gets a notification row in the same transaction.
"""

from __future__ import annotations

import json
from datetime import datetime

from models.enums import ItemStatus, ReminderKind, Role
from models.fiscal import FiscalQuarter
from models.org import User
from models.project import Project
from models.report import QuarterReport
from models.runtime import AuditEntry, Notification


class DecisionRefused(PermissionError):
    """The actor may not decide this item (another office, not a director, not awaiting a decision)."""


def _period(report: QuarterReport) -> str:
    return FiscalQuarter(report.fiscal_year, report.quarter).label()


async def notify(recipient_ids: list[int], kind: ReminderKind, key: str, now: datetime, *, project_id: int,
                 report_id: int | None = None, **params: object) -> None:
    """Queue one notification per recipient."""
    await Notification.bulk_create([
        Notification(recipient_id=recipient, kind=kind, key=key, params=dict(params), project_id=project_id,
                     report_id=report_id, created_at=now)
        for recipient in recipient_ids
    ])


async def directors_of(office_id: int) -> list[int]:
    """The active directors of an office."""
    ids = await User.filter(office_id=office_id, role=Role.DIRECTOR, active=True).values_list("id", flat=True)
    return [int(str(user_id)) for user_id in ids]


async def project_submitted(project: Project, owner: User, now: datetime) -> None:
    """Tell the office's director that a registration awaits a decision."""
    await notify(await directors_of(project.office_id), ReminderKind.SUBMITTED, "notify.submitted_project", now,
                 project_id=project.id, code=project.code, name=project.name, owner=owner.name)


async def report_submitted(report: QuarterReport, project: Project, owner: User, now: datetime) -> None:
    """Tell the office's director that a quarterly report awaits a decision."""
    await notify(await directors_of(project.office_id), ReminderKind.SUBMITTED, "notify.submitted_report", now,
                 project_id=project.id, report_id=report.id, code=project.code, name=project.name, owner=owner.name,
                 period=_period(report), late="late" if report.late else "")


def _may_decide(actor: User, office_id: int) -> bool:
    return actor.role is Role.ADMIN or (actor.role is Role.DIRECTOR and actor.office_id == office_id)


async def decide(kind: str, item_id: int, approve: bool, comment: str, actor: User, now: datetime) -> None:
    """Approve or return a submitted project or report, and tell its owner."""
    item: Project | QuarterReport | None
    if kind == "report":
        item = await QuarterReport.get_or_none(id=item_id).prefetch_related("project")
        project = item.project if item is not None else None
    else:
        item = project = await Project.get_or_none(id=item_id)
    if item is None or project is None:
        raise DecisionRefused(f"no {kind} {item_id}")
    if not _may_decide(actor, project.office_id):
        raise DecisionRefused(f"{actor.name} may not decide for office {project.office_id}")
    if item.status is not ItemStatus.SUBMITTED:
        raise DecisionRefused(f"{kind} {item_id} is {item.status}, not awaiting a decision")
    status = ItemStatus.APPROVED if approve else ItemStatus.RETURNED
    item.status, item.decided_at, item.decision_comment = status, now, comment
    item.decided_by = actor
    await item.save()
    await AuditEntry.create(actor=actor, at=now, entity=kind, entity_id=item.id, project_id=project.id, field="status",
                            before=json.dumps("submitted"), after=json.dumps(status.value))
    key = f"notify.{'approved' if approve else 'returned'}_{kind}"
    period = _period(item) if isinstance(item, QuarterReport) else ""
    await notify([project.owner_id], ReminderKind.DECIDED, key, now, project_id=project.id,
                 report_id=item.id if isinstance(item, QuarterReport) else None, code=project.code, name=project.name,
                 period=period, director=actor.name, comment=comment)
