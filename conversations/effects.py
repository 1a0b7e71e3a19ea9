"""Carrying out what a turn asked for (save, submit, delete, decide, reopen, keep evidence), in its transaction.

Each effect is checked again here against the database — the owner, the status, the office, the window —
because a turn's state is the user's word, not the truth. What happened is said here too ("sent", "closed
meanwhile", "already decided"), so that the user never reads a success that did not happen.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from conversations.answering import PendingAnswer
from conversations.copy import render
from conversations.engine.context import (
    Ask,
    Decide,
    DeleteAttachment,
    DeleteDraft,
    Reopen,
    SaveDraft,
    StoreAttachment,
    SubmitProject,
    SubmitReport,
    Turn,
)
from conversations.engine.core import refresh
from conversations.engine.decisions import item_what
from conversations.flow import Flow, FlowId
from conversations.messages import Reply
from conversations.report_store import (
    create_report,
    delete_attachment,
    save_report_answers,
    store_attachment,
    submit_report,
)
from conversations.store import create_project, save_answers, submit_project
from conversations.telling import NO_PUSHES, PushOutlook, told
from conversations.workflow import DecisionRefused, decide, project_submitted, reopen, report_submitted
from models.enums import EDITABLE, ItemStatus
from models.fiscal import FiscalQuarter, local_day
from models.org import User
from models.project import Project
from models.report import QuarterReport
from models.windows import ReportingPolicy, reporting_state


class ReportClosed(Exception):
    """The report's window closed since the conversation opened it."""


class EffectRunner:
    """Applies one turn's effects for one user; ``messages`` holds what it must tell the user."""

    def __init__(self, flows: dict[str, Flow], user: User, now: datetime, policy: ReportingPolicy,
                 outlook: PushOutlook = NO_PUSHES) -> None:
        self.flows, self.user, self.now, self.policy, self.outlook = flows, user, now, policy, outlook
        self.messages: list[Reply] = []

    def say(self, key: str, **params: object) -> None:
        """Tell the user an outcome."""
        self.messages.append(Reply(text=render(key, **params), key=key))

    async def apply(self, turn: Turn, previous: dict[str, Any]) -> dict[str, Any]:
        """Perform the effects; return the state to store (with new ids, codes and statuses)."""
        state = dict(turn.state)
        try:
            for effect in turn.effects:
                state = await self._one(effect, state, previous)
        except ReportClosed:
            self.say("report.closed_now")
            return refresh(self.flows, state, None, "", "", "")
        return state

    async def _one(self, effect: object, state: dict[str, Any], previous: dict[str, Any]) -> dict[str, Any]:
        if isinstance(effect, Ask):  # answered once the turn is committed (see answering.PendingAnswer)
            self.messages.append(PendingAnswer(text="", ask=effect, user_id=self.user.id))
            return state
        if isinstance(effect, SaveDraft):
            return await (self._save_report(state, previous) if state.get("flow") == FlowId.REPORT
                          else self._save_project(state, previous))
        if isinstance(effect, SubmitProject):
            project = await self._owned(effect.project_id)
            if project.status in EDITABLE:
                await submit_project(project, self.now, self.user)
                await project_submitted(project, self.user, self.now)
                self.say("submit.done", code=project.code)
            else:
                self.say("submit.not_editable", status=render(f"status.{project.status}"))
        elif isinstance(effect, DeleteDraft):
            project = await self._owned(effect.project_id)
            if project.status is ItemStatus.DRAFT and project.submitted_at is None:
                await project.delete()
                self.say("cancel.deleted")
        elif isinstance(effect, SubmitReport):
            await self._submit_report(effect.report_id)
        elif isinstance(effect, Decide | Reopen):
            await self._decide(effect)
        elif isinstance(effect, StoreAttachment):
            report = await self._report(state)
            files = state["answers"].get("attachments", [])
            if files:
                files[-1]["id"] = await store_attachment(report, effect.attachment, self.user, self.now)
        elif isinstance(effect, DeleteAttachment):
            await delete_attachment(await self._report(state), effect.attachment_id, self.user, self.now)
        return state

    async def _save_project(self, state: dict[str, Any], previous: dict[str, Any]) -> dict[str, Any]:
        flow = self.flows[FlowId.REGISTER]
        answers = state.get("answers") or {}
        old_answers = (previous or {}).get("answers") or {}
        project_id = state.get("project_id")
        if project_id is None:
            project = await create_project(flow, self.user, answers)
            state["project_id"], state["project_code"], state["project_status"] = project.id, project.code, "draft"
            old_answers = {}
        else:
            project = await self._owned(project_id)
            if project.status not in EDITABLE:
                raise PermissionError(f"project {project.code} is {project.status} and cannot change")
            if (previous or {}).get("project_id") != project_id or (previous or {}).get("flow") != FlowId.REGISTER:
                old_answers = {}
        state["answers"] = await save_answers(flow, project, old_answers, answers, self.user, self.now)
        state["synced"] = project.updated_at.isoformat()
        return state

    async def _save_report(self, state: dict[str, Any], previous: dict[str, Any]) -> dict[str, Any]:
        report = await self._report(state)
        state["report_id"] = report.id
        same = (previous or {}).get("report_id") == report.id
        old_answers = ((previous or {}).get("answers") or {}) if same else {}
        state["answers"] = await save_report_answers(self.flows[FlowId.REPORT], report, old_answers,
                                                     state.get("answers") or {}, self.user, self.now)
        state["synced"] = report.updated_at.isoformat()
        return state

    async def _report(self, state: dict[str, Any]) -> QuarterReport:
        """The open report, created on first save; only its owner, only while its window lets it change."""
        project = await self._owned(int(state["project_id"]))
        fiscal_year, _, quarter = str(state.get("period", "")).partition("-")
        period = FiscalQuarter(int(fiscal_year), int(quarter))
        report = None
        if state.get("report_id") is not None:
            report = await QuarterReport.get(id=int(state["report_id"]), project=project)
            if report.status not in EDITABLE:
                raise PermissionError(f"report {report.id} is {report.status} and cannot change")
        _, window_state = await reporting_state(project.office_id, period, self._today(), self.policy, report)
        if not window_state.can_report:
            raise ReportClosed(period.label())
        return report or await create_report(project, period)

    def _today(self) -> date:
        return local_day(self.now)

    async def _submit_report(self, report_id: int) -> None:
        report = await QuarterReport.get(id=report_id).prefetch_related("project")
        project = report.project
        if project.owner_id != self.user.id or report.status not in EDITABLE:
            self.say("submit.not_editable", status=render(f"status.{report.status}"))
            return
        period = FiscalQuarter(report.fiscal_year, report.quarter)
        window, window_state = await reporting_state(project.office_id, period, self._today(), self.policy, report)
        if not window_state.can_report:
            raise ReportClosed(period.label())
        late = report.late if report.status is ItemStatus.RETURNED else self._today() > window.due
        await submit_report(report, self.now, self.user, late=late)
        await report_submitted(report, project, self.user, self.now)
        self.say("submit.report_done", name=f"{project.code} {period.label()}")

    async def _decide(self, effect: Decide | Reopen) -> None:
        try:
            if isinstance(effect, Reopen):
                code = await reopen(effect.kind, effect.item_id, self.user, self.now)
                self.say("reopen.done", code=await _what(effect.kind, effect.item_id, code))
                return
            code = await decide(effect.kind, effect.item_id, effect.approve, effect.comment, self.user, self.now)
        except DecisionRefused:
            self.say("decide.refused")
            return
        owner = await Project.filter(code=code).values_list("owner_id", flat=True)
        told_owner = await told([int(str(user_id)) for user_id in owner], self.now, self.outlook,
                                render("tell.owner"))
        self.say("decide.approved" if effect.approve else "decide.returned",
                 code=await _what(effect.kind, effect.item_id, code), told=told_owner)

    async def _owned(self, project_id: int) -> Project:
        project = await Project.get(id=project_id)
        if project.owner_id != self.user.id:
            raise PermissionError("a project may only be changed by its owner")
        return project


async def _what(kind: str, item_id: int, code: str) -> str:
    """The decided item as the director reads it: a report by its quarter, a registration as such."""
    if kind != "report":
        return item_what({"kind": kind, "code": code})
    period = await QuarterReport.filter(id=item_id).values("fiscal_year", "quarter")
    if not period:
        return code
    return item_what({"kind": kind, "code": code, "fy": period[0]["fiscal_year"], "q": period[0]["quarter"]})
