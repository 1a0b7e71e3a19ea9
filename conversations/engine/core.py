"""The engine's one entry point: ``step(flow, state, inbound, now, context) -> Turn``, pure.

It decodes the input (a stale button gets "that step has moved on"), applies navigation that works
everywhere (menu, help, save, cancel, hub, review, submit), hands the rest to the current mode, and
always ends with the live question, so the user is never left without knowing what to do next.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from conversations.copy import render
from conversations.engine import form, screens
from conversations.engine.context import Context, DeleteDraft, NeedData, SubmitProject, Turn
from conversations.engine.nav import Input, Nav, button_prompt, from_button, from_text
from conversations.engine.output import Output
from conversations.engine.state import Mode, State
from conversations.engine.status import flow_states, ready_to_submit
from conversations.flow import Flow
from conversations.messages import Inbound, Reply
from models.enums import ItemStatus, Role

RESUME_AFTER = timedelta(hours=6)
PROJECT_MODES = (Mode.START, Mode.FORM, Mode.HUB, Mode.SECTION, Mode.REVIEW)


def step(flow: Flow, state_json: dict[str, Any] | None, inbound: Inbound, now: datetime, ctx: Context) -> Turn:
    """Run one turn. When data is missing, return only ``needs`` and the untouched state."""
    state = State.load(state_json, flow.id, flow.version)
    out = Output()
    try:
        _turn(flow, state, inbound, now, ctx, out)
        out.add(render_current(flow, state, ctx))
    except NeedData as need:
        return Turn(state=dict(state_json or {}), needs=frozenset({need.name}))
    state.touched = now.isoformat()
    return Turn(state.dump(), tuple(out.replies), tuple(out.effects))


def render_current(flow: Flow, state: State, ctx: Context) -> Reply:
    """The live question or screen of the current mode."""
    if state.mode in (Mode.START, Mode.FORM):
        return form.render_form(flow, state, ctx)
    if state.mode is Mode.HUB:
        return screens.hub(state, flow)
    if state.mode is Mode.SECTION:
        return screens.section_view(state, flow)
    if state.mode is Mode.REVIEW:
        return screens.review(state, flow)
    if state.mode is Mode.PROJECTS:
        return screens.projects(state, ctx)
    if state.mode is Mode.PROJECT:
        return screens.project(state, ctx, flow)
    if state.mode is Mode.CONFIRM:
        return screens.confirm(state)
    return screens.menu(state, ctx)


def _turn(flow: Flow, state: State, inbound: Inbound, now: datetime, ctx: Context, out: Output) -> None:
    if state.notice:
        out.say(state.notice)
        state.notice = ""
    if inbound.unsupported or (inbound.attachment is not None and inbound.text is None):
        out.say("input.unsupported")
        return
    if inbound.button is not None:
        decoded = button_prompt(inbound.button)
        if decoded is None or decoded[0] != state.prompt:
            out.say("input.stale")
            return
        inp = from_button(decoded[1])
    elif inbound.text is not None and inbound.text.strip():
        inp = from_text(inbound.text)
        if inp.text is not None and _long_away(state, now) and state.mode in (Mode.START, Mode.FORM):
            out.say("resume.welcome_back")
            return
    else:
        return  # nothing to answer (a channel asking for the current screen): just show it
    if inp.action is None or not _global(flow, state, inp, ctx, out):
        _by_mode(flow, state, inp, ctx, out)


def _long_away(state: State, now: datetime) -> bool:
    if not state.touched:
        return False
    return now - datetime.fromisoformat(state.touched) > RESUME_AFTER


def _global(flow: Flow, state: State, inp: Input, ctx: Context, out: Output) -> bool:
    """Actions that work in every mode; True when handled."""
    action = inp.action
    has_project = state.project_id is not None or state.mode is Mode.START
    if action in (Nav.START, Nav.MENU):
        _leave(state, out, quiet=action is Nav.START)
    elif action is Nav.HELP:
        out.say("help.text")
    elif action is Nav.NEW:
        if ctx.user.role is not Role.OWNER:
            out.say("menu.owners_only")
        else:
            _remember(state)
            form.start_project(flow, state)
    elif action is Nav.MINE:
        _remember(state)
        state.mode = Mode.PROJECTS
    elif action is Nav.SAVE and has_project:
        _leave(state, out, quiet=False)
    elif action is Nav.CANCEL:
        _cancel(state, out)
    elif action is Nav.CONTINUE:
        _continue(state, out)
    elif action in (Nav.HUB, Nav.REVIEW) and state.project_id is not None and state.mode is not Mode.CONFIRM:
        state.mode, state.sub, state.origin, state.selection = (
            Mode.HUB if action is Nav.HUB else Mode.REVIEW), {}, "", None
    elif action is Nav.SUBMIT and state.project_id is not None and state.mode is not Mode.CONFIRM:
        _ask_submit(flow, state, out)
    else:
        return False
    return True


def _remember(state: State) -> None:
    if state.mode in PROJECT_MODES:
        state.resume = state.position()


def _leave(state: State, out: Output, *, quiet: bool) -> None:
    if state.mode in PROJECT_MODES:
        _remember(state)
        if not quiet:
            out.say("nav.saved")
    state.mode, state.sub, state.selection, state.confirm = Mode.MENU, {}, None, {}


def _continue(state: State, out: Output) -> None:
    if state.resume:
        state.restore(state.resume)
        state.resume = {}
    elif state.project_id is not None:
        state.mode = Mode.HUB
    else:
        out.say("menu.nothing_to_continue")
        state.mode = Mode.PROJECTS


def _cancel(state: State, out: Output) -> None:
    if state.mode is Mode.START:
        _confirm(state, "cancel_start")
    elif state.mode in PROJECT_MODES and state.project_status == ItemStatus.DRAFT:
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
    _confirm(state, "submit")


def _reset_project(state: State) -> None:
    state.project_id, state.project_code, state.project_status, state.answers = None, "", "draft", {}
    state.section, state.step, state.sub, state.back, state.origin, state.resume = "", 0, {}, [], "", {}
    state.selection = None


def _by_mode(flow: Flow, state: State, inp: Input, ctx: Context, out: Output) -> None:
    mode = state.mode
    if mode in (Mode.START, Mode.FORM):
        if inp.action is Nav.BACK:
            form.go_back(flow, state, ctx, out)
        else:
            form.handle_form(flow, state, inp, ctx, out)
    elif mode is Mode.CONFIRM:
        _on_confirm(state, inp, out)
    elif inp.action is Nav.BACK:
        state.mode = {Mode.SECTION: Mode.HUB, Mode.REVIEW: Mode.HUB, Mode.PROJECT: Mode.PROJECTS}.get(mode, Mode.MENU)
        if mode is Mode.HUB:
            _remember(state)
    elif mode is Mode.HUB and inp.value and inp.value.startswith("s."):
        form.enter_section(flow, state, inp.value[2:], out)
    elif mode is Mode.REVIEW and inp.value and inp.value.startswith("v."):
        state.mode, state.section = Mode.SECTION, inp.value[2:]
    elif mode is Mode.SECTION and inp.value and inp.value.startswith("e"):
        form.edit_step(flow, state, state.section, int(inp.value[1:]), origin="section")
    elif mode is Mode.PROJECTS and inp.value and inp.value.startswith("p"):
        state.viewing, state.mode = int(inp.value[1:]), Mode.PROJECT
    elif mode is Mode.PROJECT and inp.action is Nav.OPEN and state.viewing is not None:
        _open(state, ctx, out)
    else:
        out.say("input.use_buttons")


def _on_confirm(state: State, inp: Input, out: Output) -> None:
    action = state.confirm.get("action", "")
    if inp.action is not Nav.YES:
        state.restore(state.confirm.get("back", {"mode": Mode.MENU}))
        state.confirm = {}
        out.say("confirm.kept")
        return
    state.confirm = {}
    if action == "submit" and state.project_id is not None:
        out.effect(SubmitProject(state.project_id))
        out.say("submit.done", code=state.project_code)
        _reset_project(state)
    elif action == "cancel_draft":
        if state.project_id is not None:
            out.effect(DeleteDraft(state.project_id))
        out.say("cancel.deleted")
        _reset_project(state)
    else:
        out.say("cancel.done")
        _reset_project(state)
    state.mode = Mode.MENU


def _open(state: State, ctx: Context, out: Output) -> None:
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
