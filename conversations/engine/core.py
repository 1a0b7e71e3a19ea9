"""The engine's one entry point: ``step(flows, state, inbound, now, context) -> Turn``, pure.

It decodes the input (a stale button gets "that step has moved on"), applies navigation that works
everywhere (menu, help, save, cancel, hub, review, submit, reports, inbox, history), hands the rest to
the current mode, and always ends with the live question, so the user always knows what to do next.
The state names the flow it is in (project registration or a quarterly report).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from conversations.copy import render
from conversations.engine import decisions, form, history, reports, screens
from conversations.engine.context import Context, DeleteDraft, NeedData, SubmitProject, SubmitReport, Turn
from conversations.engine.nav import Input, Nav, button_prompt, from_button, from_text
from conversations.engine.output import Output
from conversations.engine.state import Mode, State
from conversations.engine.status import flow_states, ready_to_submit
from conversations.flow import Flow
from conversations.messages import Inbound, Reply
from conversations.parsers.choices import parse_yes_no
from conversations.parsers.errors import InvalidAnswer
from conversations.tokens import WIDGET
from models.enums import ItemStatus, Role

RESUME_AFTER = timedelta(hours=6)
DEFAULT_FLOW = "register"
PROJECT_MODES = (Mode.START, Mode.FORM, Mode.HUB, Mode.SECTION, Mode.REVIEW)
Flows = Mapping[str, Flow]


def step(flows: Flows, state_json: dict[str, Any] | None, inbound: Inbound, now: datetime, ctx: Context) -> Turn:
    """Run one turn. When data is missing, return only ``needs`` and the untouched state."""
    state = State.load(state_json, {key: flow.version for key, flow in flows.items()}, DEFAULT_FLOW,
                       seed=int(now.timestamp()))
    out = Output()
    try:
        _turn(dict(flows), state, inbound, now, ctx, out)
        out.add(render_current(dict(flows), state, ctx))
    except NeedData as need:
        return Turn(state=dict(state_json or {}), needs=frozenset({need.name}))
    state.touched = now.isoformat()
    state.flow_version = flows[state.flow].version  # every move into a flow happened under today's version
    return Turn(state.dump(), tuple(out.replies), tuple(out.effects))


def refresh(flows: Flows, state_json: dict[str, Any], answers: dict[str, Any] | None, status: str, synced: str,
            notice: str) -> dict[str, Any]:
    """The state after its open item changed elsewhere (another chat, another person).

    With ``answers`` the item is still the user's to edit: its stored answers replace the session's and the
    position is checked again. Without, the item is gone or no longer editable: back to the menu.
    """
    state = State.load(state_json, {key: flow.version for key, flow in flows.items()}, DEFAULT_FLOW)
    if answers is None:
        _reset_project(state)
        state.mode, state.sub, state.confirm = Mode.MENU, {}, {}
    else:
        state.answers, state.project_status, state.synced, state.selection = answers, status, synced, None
        form.sanitize(flows[state.flow], state)
    state.notice = notice
    return state.dump()


def render_current(flows: dict[str, Flow], state: State, ctx: Context) -> Reply:
    """The live question or screen of the current mode."""
    flow = flows[state.flow]
    if state.mode in (Mode.START, Mode.FORM):
        return form.render_form(flow, state, ctx)
    renderers = {
        Mode.HUB: lambda: screens.hub(state, flow),
        Mode.SECTION: lambda: screens.section_view(state, flow),
        Mode.REVIEW: lambda: screens.review(state, flow),
        Mode.PROJECTS: lambda: screens.projects(state, ctx),
        Mode.PROJECT: lambda: screens.project(state, ctx, flows[DEFAULT_FLOW]),
        Mode.CONFIRM: lambda: screens.confirm(state),
        Mode.REPORTS: lambda: reports.render_tasks(state, ctx),
        Mode.INBOX: lambda: decisions.render_inbox(state, ctx),
        Mode.ITEM: lambda: decisions.render_item(state, ctx, flows),
        Mode.COMMENT: lambda: decisions.render_comment(state),
        Mode.HISTORY: lambda: history.render_history(state, ctx, flows),
    }
    return renderers.get(state.mode, lambda: screens.menu(state, ctx))()


def _turn(flows: dict[str, Flow], state: State, inbound: Inbound, now: datetime, ctx: Context, out: Output) -> None:
    if state.notice:
        out.say(state.notice)
        state.notice = ""
    if inbound.attachment is not None and inbound.button is None and not inbound.text:
        if not form.take_attachment(flows[state.flow], state, inbound.attachment, out):
            out.say("input.unsupported")
        return
    if inbound.unsupported:
        out.say("input.unsupported")
        return
    if inbound.button is not None:
        decoded = button_prompt(inbound.button)
        if decoded is None or decoded[0] != state.prompt or not _offered(state, decoded[1]):
            out.say("input.stale")
            return
        inp = from_button(decoded[1])
    elif inbound.text is not None and inbound.text.strip():
        inp = from_text(inbound.text)
        if inp.text is not None and _long_away(state, now) and state.mode in (Mode.START, Mode.FORM):
            out.say("resume.welcome_back")
            if form.expects_free_text(flows[state.flow], state):
                return  # "สวัสดีค่ะ" after days away is a greeting, not the answer to a free-text question
    else:
        return  # nothing to answer (a channel asking for the current screen): just show it
    if inp.action is None or not _global(flows, state, inp, ctx, out):
        _by_mode(flows, state, inp, ctx, out)


def _offered(state: State, value: str) -> bool:
    """Whether the live screen offered this value (a picked date counts where a date is asked)."""
    return value in state.offered or (value.startswith(WIDGET) and WIDGET in state.offered)


def _long_away(state: State, now: datetime) -> bool:
    if not state.touched:
        return False
    return now - datetime.fromisoformat(state.touched) > RESUME_AFTER


def _global(flows: dict[str, Flow], state: State, inp: Input, ctx: Context, out: Output) -> bool:
    """Actions that work in every mode; True when handled."""
    action = inp.action
    in_item = state.project_id is not None and state.mode is not Mode.CONFIRM and state.mode in PROJECT_MODES
    if action in (Nav.START, Nav.MENU):
        _leave(state, out, quiet=action is Nav.START)
    elif action is Nav.HELP:
        out.say("help.text")
    elif action is Nav.NEW:
        if ctx.user.role is not Role.OWNER:
            out.say("menu.owners_only")
        else:
            _reset_project(state)
            state.flow = DEFAULT_FLOW
            form.start_project(flows[DEFAULT_FLOW], state)
    elif action is Nav.MINE:
        _go(state, Mode.PROJECTS)
    elif action is Nav.REPORTS:
        if ctx.user.role is not Role.OWNER:
            out.say("reports.owners_only")
        else:
            _go(state, Mode.REPORTS)
    elif action is Nav.INBOX:
        if not decisions.is_decider(ctx):
            out.say("inbox.directors_only")
        else:
            _go(state, Mode.INBOX)
    elif action is Nav.HISTORY:
        _history(state, inp, out)
    elif action is Nav.SAVE and (state.project_id is not None or state.mode is Mode.START):
        _leave(state, out, quiet=False)
    elif action is Nav.CANCEL:
        _cancel(state, out)
    elif action is Nav.CONTINUE:
        _continue(flows, state, out)
    elif action in (Nav.HUB, Nav.REVIEW) and state.project_id is not None and state.mode not in (
            Mode.CONFIRM, Mode.ITEM, Mode.COMMENT, Mode.HISTORY):
        state.mode, state.sub, state.origin, state.selection = (
            Mode.HUB if action is Nav.HUB else Mode.REVIEW), {}, "", None
    elif action is Nav.SUBMIT and in_item:
        _ask_submit(flows[state.flow], state, out)
    else:
        return False
    return True


def _go(state: State, mode: Mode) -> None:
    _remember(state)
    state.mode, state.sub, state.selection = mode, {}, None


def _history(state: State, inp: Input, out: Output) -> None:
    code = inp.argument.strip().upper() or state.item.get("code", "") or state.project_code
    if not code:
        out.say("history.usage")
        return
    back = state.mode if state.mode not in (Mode.HISTORY, Mode.CONFIRM, Mode.COMMENT) else Mode.MENU
    _remember(state)
    state.item = {**state.item, "code": code, "history_back": str(back)}
    state.mode = Mode.HISTORY


def _remember(state: State) -> None:
    if state.mode in PROJECT_MODES:
        state.resume = state.position()


def _leave(state: State, out: Output, *, quiet: bool) -> None:
    if state.mode in PROJECT_MODES:
        _remember(state)
        if not quiet:
            out.say("nav.saved")
    state.mode, state.sub, state.selection, state.confirm = Mode.MENU, {}, None, {}


def _continue(flows: dict[str, Flow], state: State, out: Output) -> None:
    resume = state.resume
    same_item = all(resume.get(key) == getattr(state, key) for key in ("flow", "project_id", "report_id"))
    if resume and same_item and (state.project_id is not None or resume.get("mode") == Mode.START):
        state.restore(resume)
        state.resume = {}
        form.sanitize(flows[state.flow], state)
    elif state.project_id is not None:
        state.mode = Mode.HUB
    else:
        out.say("menu.nothing_to_continue")
        state.mode = Mode.PROJECTS


def _cancel(state: State, out: Output) -> None:
    if state.mode is Mode.START:
        _confirm(state, "cancel_start")
    elif state.mode in PROJECT_MODES and state.flow == DEFAULT_FLOW and state.project_status == ItemStatus.DRAFT:
        _confirm(state, "cancel_draft")
    elif state.mode is Mode.CONFIRM:
        state.restore(state.confirm.get("back", {"mode": Mode.MENU}))
        state.confirm = {}
    else:
        if state.mode in PROJECT_MODES:
            out.say("nav.left_unchanged")
        state.mode, state.sub, state.selection = Mode.MENU, {}, None


def _confirm(state: State, action: str) -> None:
    state.confirm = {"action": action, "back": state.position()}
    state.mode = Mode.CONFIRM


def _ask_submit(flow: Flow, state: State, out: Output) -> None:
    if state.project_status not in (ItemStatus.DRAFT, ItemStatus.RETURNED):
        out.say("submit.not_editable", status=render(f"status.{state.project_status}"))
        return
    if not ready_to_submit(flow, state.answers):
        pending = [render(s.section.title) for s in flow_states(flow, state.answers)
                   if s.status.value in ("attention", "not_started")]
        out.say("submit.not_ready", sections=", ".join(pending))
        state.mode, state.sub = Mode.HUB, {}
        return
    _confirm(state, "submit" if flow.id == DEFAULT_FLOW else "submit_report")


def _reset_project(state: State) -> None:
    state.project_id, state.project_code, state.project_status, state.answers = None, "", "draft", {}
    state.report_id, state.period, state.flow, state.synced = None, "", DEFAULT_FLOW, ""
    state.section, state.step, state.sub, state.back, state.origin, state.resume = "", 0, {}, [], "", {}
    state.selection = None


def _by_mode(flows: dict[str, Flow], state: State, inp: Input, ctx: Context, out: Output) -> None:
    mode, flow = state.mode, flows[state.flow]
    if mode in (Mode.START, Mode.FORM):
        if inp.action is Nav.BACK:
            form.go_back(flow, state, ctx, out)
        else:
            form.handle_form(flow, state, inp, ctx, out)
    elif mode is Mode.CONFIRM:
        _on_confirm(flows, state, inp, out)
    elif mode is Mode.ITEM:
        decisions.on_item(state, inp, ctx, out)
    elif mode is Mode.COMMENT:
        decisions.on_comment(state, inp, out)
    elif inp.action is Nav.BACK:
        _back(state, mode)
    elif mode is Mode.HUB and inp.value and inp.value.startswith("s."):
        form.enter_section(flow, state, inp.value[2:], out)
    elif mode is Mode.REVIEW and inp.value and inp.value.startswith("v."):
        state.mode, state.section = Mode.SECTION, inp.value[2:]
    elif mode is Mode.REVIEW and inp.value and inp.value.startswith("n") and flow.start:
        state.mode, state.step, state.origin, state.sub = Mode.START, int(inp.value[1:]), "review", {}
    elif mode is Mode.SECTION and inp.value and inp.value.startswith("e"):
        form.edit_step(flow, state, state.section, int(inp.value[1:]), origin="section")
    elif mode is Mode.PROJECTS and inp.value and inp.value.startswith("p"):
        state.viewing, state.mode = int(inp.value[1:]), Mode.PROJECT
    elif mode is Mode.PROJECT and inp.action is Nav.OPEN and state.viewing is not None:
        _open(flows, state, ctx, out)
    elif mode is Mode.PROJECT and inp.action is Nav.HISTORY:
        _history(state, inp, out)
    elif mode is Mode.REPORTS and inp.value and inp.value.startswith("q"):
        reports.choose(state, inp.value, ctx, out, flows[reports.REPORT_FLOW])
    elif mode is Mode.INBOX and inp.value and inp.value.startswith("a"):
        decisions.choose(state, inp.value, ctx, out)
    else:
        out.say("input.use_buttons")


def _back(state: State, mode: Mode) -> None:
    if mode is Mode.HISTORY:
        state.mode = Mode(state.item.get("history_back", Mode.MENU))
        return
    parent = {Mode.SECTION: Mode.HUB, Mode.REVIEW: Mode.HUB, Mode.PROJECT: Mode.PROJECTS}
    _remember(state)
    state.mode = parent.get(mode, Mode.MENU)


def _on_confirm(flows: dict[str, Flow], state: State, inp: Input, out: Output) -> None:
    action = state.confirm.get("action", "")
    if inp.text is not None:
        try:  # "ใช่" typed is as good as the button
            inp = Input(action=Nav.YES if parse_yes_no(inp.text) else Nav.NO)
        except InvalidAnswer:
            out.say("confirm.yes_or_no")
            return
    if inp.action is not Nav.YES:
        state.restore(state.confirm.get("back", {"mode": Mode.MENU}))
        state.confirm = {}
        out.say("confirm.kept")
        return
    state.confirm = {}
    if action == "approve":
        decisions.decide(state, out, approve=True)
        return
    if action == "submit" and state.project_id is not None:
        out.effect(SubmitProject(state.project_id))
        out.say("submit.done", code=state.project_code)
    elif action == "submit_report" and state.report_id is not None:
        out.effect(SubmitReport(state.report_id))
        out.say("submit.report_done", name=screens.title(state))
    elif action == "cancel_draft":
        if state.project_id is not None:
            out.effect(DeleteDraft(state.project_id))
        out.say("cancel.deleted")
    else:
        out.say("cancel.done")
    _reset_project(state)
    state.mode = Mode.MENU


def _open(flows: dict[str, Flow], state: State, ctx: Context, out: Output) -> None:
    assert state.viewing is not None
    loaded = ctx.need_project(state.viewing)
    if not loaded.editable:
        out.say("project.not_editable", status=render(f"status.{loaded.status}"))
        return
    _reset_project(state)
    state.project_id, state.project_code, state.project_status = loaded.id, loaded.code, str(loaded.status)
    state.answers = dict(loaded.answers)
    state.mode = Mode.HUB
    if loaded.status is ItemStatus.RETURNED and loaded.decision_comment:
        out.say("project.returned_comment", comment=loaded.decision_comment)
