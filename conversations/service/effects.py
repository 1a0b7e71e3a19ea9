"""Carrying out what a turn asked for (save, submit, delete, decide, reopen, keep evidence), in its transaction.

Each effect is checked again here against the database — the owner, the status, the office, the window —
because a turn's state is the user's word, not the truth. What happened comes back as a typed outcome
(``engine.outcomes``: submitted, refused, closed meanwhile, already decided …), which the engine's second pass
(``engine.conclude``) puts into words and into the state, so that the user never reads a success that did not
happen. Of the state only its open item is read here (``engine.open_item``); it is never written.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from conversations.copy import render
from conversations.engine.conclude import ATTACHMENTS, settle
from conversations.engine.context import Turn
from conversations.engine.effect_types import (
    Ask,
    CopyProject,
    Decide,
    DeleteAttachment,
    DeleteDraft,
    Effect,
    KeyedIn,
    Reopen,
    SaveDraft,
    SectionSeen,
    SetEmenscrId,
    StoreAttachment,
    SubmitProject,
    SubmitReport,
    Withdraw,
)
from conversations.engine.open_item import OpenItem, open_item
from conversations.engine.outcomes import (
    Answering,
    AttachmentDeleted,
    AttachmentStored,
    Decided,
    DecisionRefused,
    Deleted,
    DeleteRefused,
    Outcome,
    ProjectSaved,
    Reopened,
    ReportClosed,
    ReportSaved,
    ReportSubmitted,
    SubmitRefused,
    Submitted,
    SubmitUnseen,
    Withdrawn,
)
from conversations.flows.flow import Flow, FlowId
from conversations.service.copying import copy_project, mark_seen, unseen_sections
from conversations.service.handover_store import key_in, set_emenscr_id
from conversations.service.report_store import (
    create_report,
    delete_attachment,
    save_report_answers,
    store_attachment,
    submit_report,
)
from conversations.service.store import create_project, save_answers, submit_project
from conversations.service.telling import NO_PUSHES, PushOutlook, told
from conversations.service.turn_store import ProjectRow, TurnReads
from conversations.service.withdrawal import withdraw
from conversations.service.workflow import DecisionRefused as Refused
from conversations.service.workflow import decide, project_submitted, reopen, report_submitted
from models.enums import EDITABLE, ItemStatus
from models.fiscal import FiscalQuarter, local_day
from models.org import User
from models.project import Project
from models.report import QuarterReport
from models.windows import ReportingPolicy, reporting_state


class WindowClosed(Exception):
    """The report's window closed since the conversation opened it."""


class EffectRunner:
    """Carries out one turn's effects for one user and says what came of each."""

    def __init__(self, flows: dict[str, Flow], user: User, now: datetime, policy: ReportingPolicy,
                 outlook: PushOutlook = NO_PUSHES, read: TurnReads | None = None) -> None:
        self.flows, self.user, self.now, self.policy, self.outlook = flows, user, now, policy, outlook
        self.read = read or TurnReads()  # the open item's rows, already read in this transaction

    async def run(self, turn: Turn, previous: dict[str, Any]) -> list[Outcome]:
        """Perform the effects in order; the outcomes, in the same order. A closed window stops the rest.

        Each effect reads the open item as the outcomes before it left it (a report created by the first save is
        the one the next effect writes to), through the engine's own ``settle`` and ``open_item``.
        """
        state, before, outcomes = turn.state, open_item(previous), []
        try:
            for number, effect in enumerate(turn.effects, start=1):
                outcome = await self._one(effect, open_item(state), before)
                if outcome is not None:
                    outcomes.append(outcome)
                    if number < len(turn.effects):  # after the last, conclude settles it once
                        state = settle(self.flows, state, outcome)
        except WindowClosed:
            outcomes.append(ReportClosed())
        return outcomes

    async def _one(self, effect: Effect, item: OpenItem, previous: OpenItem) -> Outcome | None:
        if isinstance(effect, Ask):  # answered once the turn is committed (see answering.answer_pending)
            return Answering(effect)
        if isinstance(effect, SaveDraft):
            return await (self._save_report(item, previous) if item.flow == FlowId.REPORT
                          else self._save_project(item, previous))
        if isinstance(effect, SubmitProject):
            project = await self._owned(effect.project_id)
            if project.status not in EDITABLE:
                return SubmitRefused(project.status.value)
            if unseen_sections(project):  # a copy whose owner has not opened every section it brought
                return SubmitUnseen(unseen_sections(project))
            await submit_project(project, self.now, self.user)
            await project_submitted(project, self.user, self.now)
            return Submitted(project.code)
        if isinstance(effect, DeleteDraft):
            project = await self._owned(effect.project_id)
            if project.status is not ItemStatus.DRAFT or project.submitted_at is not None:
                return DeleteRefused()
            await project.delete()
            return Deleted()
        if isinstance(effect, SubmitReport):
            return await self._submit_report(effect.report_id)
        if isinstance(effect, Decide | Reopen):
            return await self._decide(effect)
        if isinstance(effect, Withdraw):
            return await self._withdraw(effect.project_id)
        if isinstance(effect, CopyProject):
            return await copy_project(self.flows[FlowId.REGISTER], self.user, effect.source_id, effect.fiscal_year,
                                      self.now)
        if isinstance(effect, SectionSeen):
            await mark_seen(await self._owned(effect.project_id), effect.section)
            return None
        if isinstance(effect, StoreAttachment):
            report = await self._report(item)
            if not item.answers.get(ATTACHMENTS):
                return None
            return AttachmentStored(await store_attachment(report, effect.attachment, self.user, self.now))
        if isinstance(effect, DeleteAttachment):
            await delete_attachment(await self._report(item), effect.attachment_id, self.user, self.now)
            return AttachmentDeleted(effect.attachment_id)
        if isinstance(effect, KeyedIn):
            return await key_in(self.flows, self.user, effect, self.now)
        if isinstance(effect, SetEmenscrId):
            return await set_emenscr_id(self.user, effect, self.now)
        raise TypeError(f"unknown effect {effect!r}")

    async def _save_project(self, item: OpenItem, previous: OpenItem) -> ProjectSaved:
        flow = self.flows[FlowId.REGISTER]
        answers, old_answers, project_id = item.answers, previous.answers, item.project_id
        created = project_id is None
        if project_id is None:
            project = await create_project(flow, self.user, answers)
            old_answers = {}
        else:
            project = await self._owned(project_id)
            if project.status not in EDITABLE:
                raise PermissionError(f"project {project.code} is {project.status} and cannot change")
            if previous.project_id != project_id or previous.flow != FlowId.REGISTER:
                old_answers = {}
        stored = await save_answers(flow, project, old_answers, answers, self.user, self.now)
        return ProjectSaved(project.id, project.code, stored, project.updated_at.isoformat(), created=created)

    async def _save_report(self, item: OpenItem, previous: OpenItem) -> ReportSaved:
        report = await self._report(item)
        old_answers = previous.answers if previous.report_id == report.id else {}
        stored = await save_report_answers(self.flows[FlowId.REPORT], report, old_answers, item.answers, self.user,
                                           self.now)
        return ReportSaved(report.id, stored, report.updated_at.isoformat())

    async def _report(self, item: OpenItem) -> QuarterReport:
        """The open report, created on first save; only its owner, only while its window lets it change."""
        if item.project_id is None or item.period is None:
            raise ValueError("no report is open in this conversation")
        project = await self._owner_of(item.project_id)
        period = FiscalQuarter(*item.period)
        report = None
        if item.report_id is not None:
            report = self.read.reports.get(item.report_id)
            if report is None or report.project_id != project.id:
                report = await QuarterReport.get(id=item.report_id, project=project)
            if report.status not in EDITABLE:
                raise PermissionError(f"report {report.id} is {report.status} and cannot change")
        _, window_state = await reporting_state(project.office_id, period, self._today(), self.policy, report,
                                                self.read.windows.get((project.office_id, period)))
        if not window_state.can_report:
            raise WindowClosed(period.label())
        return report or await create_report(await self._owned(project.id), period)

    def _today(self) -> date:
        return local_day(self.now)

    async def _submit_report(self, report_id: int) -> SubmitRefused | ReportSubmitted:
        report = self.read.reports.get(report_id)  # the open report, read with its project as the turn began
        project = self.read.projects.get(report.project_id) if report is not None else None
        if report is None or project is None:
            report = await QuarterReport.get(id=report_id).prefetch_related("project")
            project = report.project
        if project.owner_id != self.user.id or report.status not in EDITABLE:
            return SubmitRefused(report.status.value)
        period = FiscalQuarter(report.fiscal_year, report.quarter)
        window, window_state = await reporting_state(project.office_id, period, self._today(), self.policy, report,
                                                     self.read.windows.get((project.office_id, period)))
        if not window_state.can_report:
            raise WindowClosed(period.label())
        late = report.late if report.status is ItemStatus.RETURNED else self._today() > window.due
        if not await submit_report(report, self.now, self.user, late=late):  # sent or decided by another chat
            stored = await QuarterReport.get(id=report_id)
            return SubmitRefused(stored.status.value)
        await report_submitted(report, project, self.user, self.now)
        return ReportSubmitted(project.code, period.fiscal_year, period.quarter)

    async def _decide(self, effect: Decide | Reopen) -> Decided | DecisionRefused | Reopened:
        try:
            if isinstance(effect, Reopen):
                code = await reopen(effect.kind, effect.item_id, self.user, self.now)
                return Reopened(effect.kind, effect.item_id, code, await _period(effect.kind, effect.item_id))
            code = await decide(effect.kind, effect.item_id, effect.approve, effect.comment, self.user, self.now)
        except Refused:
            return DecisionRefused(effect.kind, effect.item_id)
        owner = await Project.filter(code=code).values_list("owner_id", flat=True)
        told_owner = await told([int(str(user_id)) for user_id in owner], self.now, self.outlook,
                                render("tell.owner"))
        return Decided(effect.kind, effect.item_id, code, effect.approve, told_owner,
                       await _period(effect.kind, effect.item_id))

    async def _withdraw(self, project_id: int) -> Withdrawn:
        """The take-back, or why not; a press from a card of a project no longer the person's is refused."""
        try:
            code, taken, status = await withdraw(project_id, self.user, self.now)
        except Refused:
            code = str((await Project.get(id=project_id)).code)
            return Withdrawn(code, taken=False, mine=False)
        return Withdrawn(code, taken, status.value)

    async def _owned(self, project_id: int) -> Project:
        project = self.read.projects.get(project_id) or await Project.get(id=project_id)
        if project.owner_id != self.user.id:
            raise PermissionError("a project may only be changed by its owner")
        return project

    async def _owner_of(self, project_id: int) -> Project | ProjectRow:
        """The project as the turn read it, when only its id, owner and office are needed (a report's save): its
        model is not built for them; read (and kept) when the turn has not read it yet."""
        project = self.read.project_row(project_id)
        if project is None:
            project = await Project.get(id=project_id)
            self.read.saw(project)
        if project.owner_id != self.user.id:
            raise PermissionError("a project may only be changed by its owner")
        return project


async def _period(kind: str, item_id: int) -> tuple[int, int] | None:
    """A report's (fiscal year, quarter), for saying which report was decided; None for a registration."""
    if kind != "report":
        return None
    period = await QuarterReport.filter(id=item_id).values("fiscal_year", "quarter")
    return (period[0]["fiscal_year"], period[0]["quarter"]) if period else None
