"""The second pure pass of a turn: what the effects' outcomes mean for the person and for the state.

``step`` decides and asks for effects; the service carries them out and hands back typed outcomes
(``engine.outcomes``); ``conclude`` says what happened ("sent", "closed meanwhile", "already decided") and keeps
what the database assigned (ids, codes, stored answers) in the state. ``apply_change`` does the same for a change
made elsewhere before the turn. The service never edits the state itself.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from typing import Any

from conversations.copy import render
from conversations.engine import actions, copied, decisions, form, handover, screens, withdrawn_hub
from conversations.engine.actions import DEFAULT_FLOW
from conversations.engine.context import Context, Turn
from conversations.engine.effect_types import PendingAnswer
from conversations.engine.outcomes import (
    Answering,
    AttachmentStored,
    CopyRefused,
    Decided,
    DecisionRefused,
    Deleted,
    DeleteRefused,
    EmenscrIdSet,
    ItemChanged,
    Outcome,
    PackKeyed,
    PackRefused,
    ProjectCopied,
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
from conversations.engine.reports import period_label
from conversations.engine.state import Mode, State, json_copy
from conversations.flows.flow import Flow
from conversations.messages import Reply

Flows = Mapping[str, Flow]
ATTACHMENTS = "attachments"  # the report's evidence step: the file just received is its answers' last entry


def conclude(flows: Flows, turn: Turn, outcomes: Iterable[Outcome], ctx: Context) -> Turn:
    """The finished turn: what the outcomes say first, then the turn's own replies; the state with what the
    database assigned. The inbox on screen is drawn again without the items just decided."""
    state, said, gone, outcomes, copy, withdrawn = turn.state, [], set(), list(outcomes), None, None
    for outcome in outcomes:
        state = settle(flows, state, outcome)
        said.extend(_said(outcome, ctx))
        if isinstance(outcome, SubmitUnseen):
            said.append(_say("submit.unseen", sections=", ".join(render(flows[DEFAULT_FLOW].section(section).title)
                                                                 for section in outcome.sections)))
        if isinstance(outcome, Decided | DecisionRefused):
            gone.add(_item_key(outcome.kind, outcome.item_id))
        if isinstance(outcome, PackKeyed):
            ctx = handover.with_keyed(ctx, outcome.kind, outcome.keyed)
        elif isinstance(outcome, EmenscrIdSet):
            ctx = handover.with_id(ctx, outcome.emenscr_id)
        if isinstance(outcome, ProjectCopied | CopyRefused):
            copy = outcome
        if isinstance(outcome, Withdrawn):
            withdrawn = outcome
    replies = list(turn.replies)
    if replies and state.get("mode") == Mode.PACK and any(isinstance(outcome, PackKeyed | EmenscrIdSet | PackRefused)
                                                          for outcome in outcomes):
        live = _load(flows, state)  # the pack drawn again with what the service recorded
        replies[-1] = handover.render_pack(live, ctx, flows)
        state = live.dump()
    if copy is not None and replies:  # the screen was drawn before the copy existed: drawn again with it
        live = _load(flows, state)
        replies[-1] = (screens.hub(live, flows[DEFAULT_FLOW]) if isinstance(copy, ProjectCopied)
                       else screens.menu(live, ctx))
        state = live.dump()
    if withdrawn is not None and replies:  # taken back: its hub rather than the menu drawn before
        live = _load(flows, state)
        opened = withdrawn_hub.open_hub(live, withdrawn, ctx, flows[DEFAULT_FLOW])
        if opened is not None:
            replies[-1], state = opened, live.dump()
    if gone and replies and state.get("mode") == Mode.INBOX and ctx.inbox is not None:
        live = _load(flows, state)
        after = dataclasses.replace(ctx, inbox=tuple(item for item in ctx.inbox
                                                     if decisions.item_key(item) not in gone))
        replies[-1] = decisions.render_inbox(live, after)
        state = live.dump()
    return Turn(state, (*said, *replies), turn.effects)


def settle(flows: Flows, state_json: dict[str, Any], outcome: Outcome) -> dict[str, Any]:
    """The state after one outcome (the same state when the outcome changes nothing in it)."""
    if isinstance(outcome, ReportClosed):
        return apply_change(flows, state_json, ItemChanged(None))
    if not isinstance(outcome, ProjectSaved | ReportSaved | AttachmentStored | ProjectCopied | CopyRefused):
        return state_json
    # The stored answers replace the session's: those are not copied by the load only to be dropped.
    replaced = isinstance(outcome, ProjectCopied | ProjectSaved | ReportSaved)
    state = _load(flows, {**state_json, "answers": {}} if replaced else state_json)
    # The outcome's answers are copied in (json_copy): the dumped state shares what the state holds.
    if isinstance(outcome, ProjectCopied):
        actions.reset_project(state)
        state.project_id, state.project_code, state.project_status = outcome.project_id, outcome.code, "draft"
        state.answers, state.synced, state.copied = (json_copy(outcome.answers), outcome.synced,
                                                     json_copy(outcome.copied))
        state.mode = Mode.HUB
    elif isinstance(outcome, CopyRefused):
        actions.reset_project(state)
        state.mode = Mode.MENU
    elif isinstance(outcome, ProjectSaved):
        state.project_id, state.project_code = outcome.project_id, outcome.code
        if outcome.created:
            state.project_status = "draft"
        state.answers, state.synced = json_copy(outcome.answers), outcome.synced
    elif isinstance(outcome, ReportSaved):
        state.report_id, state.answers, state.synced = outcome.report_id, json_copy(outcome.answers), outcome.synced
    else:
        received = state.answers.get(ATTACHMENTS, [])
        if received:
            received[-1]["id"] = outcome.attachment_id
    return state.dump()


def apply_change(flows: Flows, state_json: dict[str, Any], change: ItemChanged | None) -> dict[str, Any]:
    """The state after its open item changed elsewhere (another chat, another person); unchanged without one.

    With answers the item is still the user's to edit: its stored answers replace the session's and the position
    is checked again. Without, the item is gone or no longer editable: back to the menu.
    """
    if change is None:
        return state_json
    state = _load(flows, state_json)
    form.check_positions(flows[state.flow], state)
    if change.answers is None:
        actions.reset_project(state)
        state.mode, state.sub, state.confirm = Mode.MENU, None, {}
    else:
        if change.status != state.project_status:  # decided again elsewhere: an older comment no longer applies
            state.returned = ""
        state.answers, state.project_status, state.synced = dict(change.answers), change.status, change.synced
        state.selection = None
        if change.copied is not None:  # a section of the copy was opened in another chat
            state.copied = dict(change.copied)
        form.sanitize(flows[state.flow], state)
    state.notice = change.notice
    return state.dump()


def _said(outcome: Outcome, ctx: Context) -> list[Reply]:
    if isinstance(outcome, Answering):
        return [PendingAnswer(text="", ask=outcome.ask, user_id=ctx.user.id)]
    if isinstance(outcome, Submitted):
        return [_say("submit.done", code=outcome.code)]
    if isinstance(outcome, SubmitRefused):
        return [_say("submit.not_editable", status=render(f"status.{outcome.status}"))]
    if isinstance(outcome, ReportSubmitted):
        return [_say("submit.report_done", name=f"{outcome.code} {period_label(outcome.fiscal_year, outcome.quarter)}")]
    if isinstance(outcome, ReportClosed):
        return [_say("report.closed_now")]
    if isinstance(outcome, Deleted):
        return [_say("cancel.deleted")]
    if isinstance(outcome, DeleteRefused):  # asked "delete?" and answered yes: say why it is kept
        return [_say("cancel.not_deleted")]
    if isinstance(outcome, ProjectCopied):
        return _copied(outcome)
    if isinstance(outcome, CopyRefused):
        return [_say("copy.refused")]
    if isinstance(outcome, Decided):
        key = "decide.approved" if outcome.approve else "decide.returned"
        return [_say(key, code=_what(outcome.kind, outcome.code, outcome.period), told=outcome.told)]
    if isinstance(outcome, DecisionRefused):
        return [_say("decide.refused")]
    if isinstance(outcome, Reopened):
        return [_say("reopen.done", code=_what(outcome.kind, outcome.code, outcome.period))]
    if isinstance(outcome, Withdrawn):
        if outcome.taken or not outcome.mine:
            return [_say("withdraw.done" if outcome.taken else "withdraw.not_owner", code=outcome.code)]
        # returned may be the director's decision or a take-back from another chat: only approved says who
        key = "withdraw.refused" if outcome.status == "approved" else "withdraw.not_waiting"
        return [_say(key, code=outcome.code, status=render(f"status.{outcome.status}"))]
    if isinstance(outcome, EmenscrIdSet):
        return [_say("pack.id_saved", emenscr_id=outcome.emenscr_id, code=outcome.code)]
    if isinstance(outcome, PackRefused):
        return [_say("pack.refused")]
    return []  # saved, stored, deleted quietly: the screen that follows shows it


def _copied(outcome: ProjectCopied) -> list[Reply]:
    """What a copy says: the new draft, how far its dates moved, the plan links it could not bring, and the
    contacts it took from today's records."""
    text = render("copy.done", source=outcome.source, code=outcome.code, year=outcome.fiscal_year)
    if outcome.years:
        text += "\n" + render("copy.moved" if outcome.years > 0 else "copy.moved_back", years=abs(outcome.years))
    said = [Reply(text=text, key="copy.done")]
    dropped = outcome.copied.get("dropped", [])
    if dropped:
        said.append(_say("copy.dropped", year=outcome.fiscal_year, links=", ".join(dropped)))
    contacts = copied.contact_lines(outcome.copied)
    if contacts:
        said.append(_say("copy.contacts", lines="\n".join(f"• {line}" for line in contacts)))
    return said


def _say(key: str, **params: object) -> Reply:
    return Reply(text=render(key, **params), key=key)


def _what(kind: str, code: str, period: tuple[int, int] | None) -> str:
    """The item as the decider reads it: a report by its quarter (its code alone when the quarter is unknown)."""
    if kind != "report":
        return decisions.item_what({"kind": kind, "code": code})
    if period is None:
        return code
    return decisions.item_what({"kind": kind, "code": code, "fy": period[0], "q": period[1]})


def _item_key(kind: str, item_id: int) -> str:
    return f"r{item_id}" if kind == "report" else f"p{item_id}"


def _load(flows: Flows, state_json: dict[str, Any]) -> State:
    return State.load(state_json, flows, DEFAULT_FLOW)
