"""Keeping a conversation's copy of its open project or report true to the database.

One person may work from two chats (LINE and Telegram), and a director may decide while the owner types:
before each turn, the open item's stored version is compared with the one this conversation last wrote. What
changed is handed to the engine as an ``ItemChanged`` (``engine.conclude.apply_change`` applies it); of the state
only its open item is read here (``engine.open_item``).
"""

from __future__ import annotations

from typing import Any

from conversations.engine.copied import unseen
from conversations.engine.open_item import OpenItem, open_item
from conversations.engine.outcomes import ItemChanged
from conversations.flows.flow import Flow, FlowId
from conversations.service.report_store import load_report_answers
from conversations.service.store import load_answers
from conversations.service.turn_store import ProjectRow, ReportRow, TurnReads, item_rows
from models.enums import EDITABLE
from models.fiscal import FiscalQuarter
from models.org import User


async def item_change(flows: dict[str, Flow], state: dict[str, Any], user: User,
                      read: TurnReads | None = None) -> ItemChanged | None:
    """How the open item changed since this conversation last wrote it: None when it did not, its stored answers
    when it is still the user's to edit, no answers when it is gone or no longer editable (back to the menu).
    The rows read are kept in ``read``, for the turn's effects to write to without reading them again."""
    item = open_item(state)
    if item.project_id is None:
        return None
    reporting = item.flow == FlowId.REPORT
    period = FiscalQuarter(*item.period) if reporting and item.period is not None else None
    project, report, window = await item_rows(item.project_id, item.report_id if reporting else None, period)
    if project is None or project.owner_id != user.id:
        return ItemChanged(None, notice="notice.item_gone")
    if read is not None:
        read.saw(project)
        if period is not None and window is not None:  # the window a save checks, read with the report
            read.saw_window(project.office_id, period, window)
    if item.flow == FlowId.REPORT:
        return await _report_change(item, project, report, read)
    status = project.status.value
    if status != item.status:
        if project.status not in EDITABLE:  # submitted or approved meanwhile: close it here too
            return ItemChanged(None, notice="notice.item_locked" if item.working else "")
        answers = await load_answers(flows[FlowId.REGISTER], project.model())
        return ItemChanged(answers, status, project.updated_at.isoformat(), "notice.item_changed")
    marks = dict(project.value("copy_review") or {})
    copied = marks if item.unseen != tuple(unseen(marks)) else None  # a copy's section opened in another chat
    if item.synced and item.synced != project.updated_at.isoformat():
        answers = await load_answers(flows[FlowId.REGISTER], project.model())
        return ItemChanged(answers, status, project.updated_at.isoformat(), "notice.item_refreshed", copied)
    if copied is not None:
        answers = await load_answers(flows[FlowId.REGISTER], project.model())
        return ItemChanged(answers, status, project.updated_at.isoformat(), copied=copied)
    return None


async def _report_change(item: OpenItem, project: ProjectRow, report: ReportRow | None,
                         read: TurnReads | None) -> ItemChanged | None:
    if item.report_id is None:
        return None
    if report is None:
        return ItemChanged(None, notice="notice.item_gone")
    if read is not None:
        read.saw(report)
    status = report.status.value
    if status == item.status and (not item.synced or item.synced == report.updated_at.isoformat()):
        return None
    if report.status not in EDITABLE:
        return ItemChanged(None, notice="notice.item_locked" if item.working else "")
    answers = await load_report_answers(project.model(), FiscalQuarter(report.fiscal_year, report.quarter),
                                        report.model())
    notice = "notice.item_changed" if status != item.status else "notice.item_refreshed"
    return ItemChanged(answers, status, report.updated_at.isoformat(), notice)
