"""Navigation that works in every mode: menu, help, new, lists, history, save, cancel, continue, hub, submit."""

from __future__ import annotations

from conversations.copy import render
from conversations.engine import asks, decisions, dialog, form
from conversations.engine.context import Context
from conversations.engine.nav import Input, Nav
from conversations.engine.output import Output
from conversations.engine.state import Mode, State
from conversations.engine.status import flow_states, ready_to_submit
from conversations.flow import Flow, FlowId
from models.enums import ItemStatus, Role

DEFAULT_FLOW = FlowId.REGISTER
PROJECT_MODES = (Mode.START, Mode.FORM, Mode.HUB, Mode.SECTION, Mode.REVIEW)


def handle_global(flows: dict[str, Flow], state: State, inp: Input, ctx: Context, out: Output) -> bool:
    """Actions that work in every mode; True when handled."""
    action = inp.action
    in_item = state.project_id is not None and state.mode is not Mode.CONFIRM and state.mode in PROJECT_MODES
    if action in (Nav.START, Nav.MENU):
        leave(state, out, quiet=action is Nav.START)
    elif action is Nav.HELP:
        out.say("help.text")
    elif action is Nav.NEW:
        if ctx.user.role is not Role.OWNER:
            out.say("menu.owners_only")
        else:
            reset_project(state)
            state.flow = DEFAULT_FLOW
            form.start_project(flows[DEFAULT_FLOW], state)
    elif action is Nav.MINE:
        go(state, Mode.PROJECTS)
    elif action is Nav.REPORTS:
        if ctx.user.role is not Role.OWNER:
            out.say("reports.owners_only")
        else:
            go(state, Mode.REPORTS)
    elif action is Nav.INBOX:
        if not decisions.is_decider(ctx):
            out.say("inbox.directors_only")
        else:
            go(state, Mode.INBOX)
    elif action is Nav.HISTORY:
        history(state, inp, out)
    elif action in asks.ASKS:
        asks.ask(inp, ctx, out)
    elif action is Nav.SAVE and (state.project_id is not None or state.mode is Mode.START):
        leave(state, out, quiet=False)
    elif action is Nav.CANCEL:
        cancel(state, out)
    elif action is Nav.CONTINUE:
        resume(flows, state, out)
    elif action in (Nav.HUB, Nav.REVIEW) and state.project_id is not None and state.mode not in (
            Mode.CONFIRM, Mode.ITEM, Mode.COMMENT, Mode.HISTORY):
        state.mode, state.sub, state.stack, state.selection = (
            Mode.HUB if action is Nav.HUB else Mode.REVIEW), None, [], None
    elif action is Nav.SUBMIT and in_item:
        ask_submit(flows[state.flow], state, out)
    else:
        return False
    return True


def go(state: State, mode: Mode) -> None:
    """Switch to a list screen, remembering where a form was."""
    remember(state)
    dialog.forget(state)
    state.mode, state.sub, state.selection = mode, None, None


def history(state: State, inp: Input, out: Output) -> None:
    """Show a project's history: the code given, or the one on screen."""
    code = inp.argument.strip().upper() or state.item.get("code", "") or state.project_code
    if not code:
        out.say("history.usage")
        return
    remember(state)
    state.item = {**state.item, "code": code}
    if state.mode in (Mode.HISTORY, Mode.CONFIRM, Mode.COMMENT):  # not a screen to come back to: back is the menu
        dialog.forget(state)
        state.mode = Mode.HISTORY
    else:
        dialog.start(state, Mode.HISTORY)


def remember(state: State) -> None:
    """Keep the form position for "continue"."""
    if state.mode in PROJECT_MODES:
        state.resume = dialog.bookmark(state)


def leave(state: State, out: Output, *, quiet: bool) -> None:
    """Back to the main menu; the draft is saved already."""
    if state.mode in PROJECT_MODES:
        remember(state)
        if not quiet:
            out.say("nav.saved")
    dialog.forget(state)
    state.mode, state.sub, state.selection, state.confirm = Mode.MENU, None, None, {}


def resume(flows: dict[str, Flow], state: State, out: Output) -> None:
    """Return to the remembered position when it still belongs to the open item."""
    resume = state.resume
    same_item = all(resume.get(key) == getattr(state, key) for key in ("flow", "project_id", "report_id"))
    if resume and same_item and (state.project_id is not None or resume.get("mode") == Mode.START):
        dialog.reopen(state, resume)
        state.resume = {}
        form.sanitize(flows[state.flow], state)
    elif state.project_id is not None:
        state.mode = Mode.HUB
    else:
        out.say("menu.nothing_to_continue")
        state.mode = Mode.PROJECTS


def cancel(state: State, out: Output) -> None:
    """Cancel: a new draft after a confirmation, otherwise leave without change."""
    if state.mode is Mode.START:
        confirm(state, "cancel_start")
    elif state.mode in PROJECT_MODES and state.flow == DEFAULT_FLOW and state.project_status == ItemStatus.DRAFT:
        confirm(state, "cancel_draft")
    elif state.mode is Mode.CONFIRM:
        dialog.done(state)
        state.confirm = {}
    else:
        if state.mode in PROJECT_MODES:
            out.say("nav.left_unchanged")
        state.mode, state.sub, state.selection = Mode.MENU, None, None


def confirm(state: State, action: str) -> None:
    """Ask yes or no before an action that cannot be undone."""
    state.confirm = {"action": action}
    dialog.start(state, Mode.CONFIRM, keep_position=True)


def ask_submit(flow: Flow, state: State, out: Output) -> None:
    """Submit when every section is done; otherwise say which are not."""
    if state.project_status not in (ItemStatus.DRAFT, ItemStatus.RETURNED):
        out.say("submit.not_editable", status=render(f"status.{state.project_status}"))
        return
    if not ready_to_submit(flow, state.answers):
        pending = [render(s.section.title) for s in flow_states(flow, state.answers)
                   if s.status.value in ("attention", "not_started")]
        out.say("submit.not_ready", sections=", ".join(pending))
        state.mode, state.sub = Mode.HUB, None
        return
    confirm(state, "submit" if flow.id == DEFAULT_FLOW else "submit_report")


def reset_project(state: State) -> None:
    """Forget the open item (it stays in the database)."""
    state.project_id, state.project_code, state.project_status, state.answers = None, "", "draft", {}
    state.report_id, state.period, state.flow, state.synced = None, "", DEFAULT_FLOW, ""
    state.section, state.step, state.sub, state.back, state.stack, state.resume = "", "", None, [], [], {}
    state.selection = None


