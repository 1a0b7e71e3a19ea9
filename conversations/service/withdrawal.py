"""The owner takes back a submitted project before the director decides, and the director is told only when
they had heard of the submission.

The news of a submission ("📥 … รออนุมัติ") reaches a director either at the top of their next turn or pushed
by the reminder loop. At the take-back, a news row not yet on its way is stopped (marked shown) and nothing more
is said: the director never heard of it. A news row already seen, pushed, or claimed for pushing has gone out (or
is going out), so the director is sent a short take-back notice through the same notification path.

The order is safe against the pusher sending the news at the same moment: the pusher claims a news row (its
delivery row) before it reads the row again through an update, and sends it only while the row is still unseen
(``reminder_claims.no_longer_due``); the take-back stops the row first, then looks for a claim. Either the claim
came first and the take-back sees it and sends the notice, or the stop came first and the pusher drops the news.
A director therefore never ends up with only a stale "waiting" news.
"""

from __future__ import annotations

import json
from datetime import datetime

from conversations.service.workflow import DecisionRefused, notify
from models.enums import DeliveryStatus, ItemStatus, ReminderKind
from models.org import User
from models.project import Project
from models.runtime import AuditEntry, Notification, ReminderDelivery

NEWS = ("notify.submitted_project", "notify.submitted_again_project")  # a first submission, or one after a return
GONE_OUT = (DeliveryStatus.CLAIMED, DeliveryStatus.SENT)  # a claimed one may be on the wire right now


async def withdraw(project_id: int, actor: User, now: datetime) -> tuple[str, bool, ItemStatus]:
    """The owner takes back a submitted project the director has not decided yet: editable again (returned, with
    the director's earlier comment, when it had been returned before; else a draft), audited, and the directors
    who heard of the submission told. Returns its code, whether it was taken back, and its status now (what it
    became, or why not: decided, or taken back already).

    Raises:
        DecisionRefused: the actor does not own the project (a stale card of a project that changed hands).
    """
    project = await Project.get(id=project_id)
    if project.owner_id != actor.id:
        raise DecisionRefused(f"{actor.name} does not own {project.code}")
    back_to = ItemStatus.RETURNED if project.decision_comment else ItemStatus.DRAFT
    # only a project still waiting is taken back, even when the director decides at the same moment
    taken = await Project.filter(id=project_id, status=ItemStatus.SUBMITTED).update(status=back_to)
    if not taken:
        await project.refresh_from_db(fields=["status"])
        return project.code, False, project.status
    await AuditEntry.create(actor=actor, at=now, entity="project", entity_id=project.id, project_id=project.id,
                            field="status", before=json.dumps("submitted"), after=json.dumps(back_to.value))
    heard = await _stop_news(project, now)
    if heard:
        await notify(heard, ReminderKind.SUBMITTED, "notify.withdrawn_project", now, project_id=project.id,
                     code=project.code, name=project.name, owner=actor.name)
    return project.code, True, back_to


async def _stop_news(project: Project, now: datetime) -> list[int]:
    """Stop this submission's news that has not gone out; return the directors whose news had gone out."""
    rows = Notification.filter(project_id=project.id, key__in=NEWS)
    if project.submitted_at is not None:  # the news of earlier rounds is not this submission's
        rows = rows.filter(created_at__gte=project.submitted_at)
    heard: list[int] = []
    for note_id, recipient_id in await rows.order_by("id").values_list("id", "recipient_id"):
        # one conditional update per row: it waits for a turn or a pusher that is marking the row right now
        stopped = await Notification.filter(id=note_id, shown_at__isnull=True).update(
            shown_at=now, pushed_at=now)
        if not stopped or await ReminderDelivery.filter(recipient_id=recipient_id, subject=f"n{note_id}",
                                                        status__in=GONE_OUT).exists():
            heard.append(int(str(recipient_id)))
    return sorted(set(heard))
