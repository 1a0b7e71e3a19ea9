"""Navigation that works in every mode: menu, help, new, lists, history, save, cancel, continue, hub, submit.

Each handler takes the press as an :class:`~conversations.engine.machine.Event`; which word runs which handler
(and when it applies) is declared in ``dialogs.ANYWHERE``."""

from __future__ import annotations

from collections.abc import Mapping

from conversations.copy import render
from conversations.engine import asks, copied, decisions, dialog, form
from conversations.engine.effect_types import SubmitProject, SubmitReport
from conversations.engine.machine import Event
from conversations.engine.nav import Input
from conversations.engine.output import Output
from conversations.engine.state import Mode, State
from conversations.engine.status import all_done, flow_states
from conversations.flows.flow import Flow, FlowId
from models.enums import ItemStatus, Role

DEFAULT_FLOW = FlowId.REGISTER
PROJECT_MODES = (Mode.START, Mode.FORM, Mode.HUB, Mode.SECTION, Mode.REVIEW)


def menu(event: Event) -> None:
    """Back to the main menu, saying the draft is saved."""
    leave(event.state, event.out, quiet=False)


def start(event: Event) -> None:
    """Back to the main menu quietly (``/start``, following an invitation or the app again)."""
    leave(event.state, event.out, quiet=True)


def help_text(event: Event) -> None:
    """What the bot can do; the screen stays."""
    event.out.say("help.text")


def new_project(event: Event) -> None:
    """A new project registration (owners only)."""
    state = event.state
    if event.ctx.user.role is not Role.OWNER:
        event.out.say("menu.owners_only")
        return
    reset_project(state)
    state.flow = DEFAULT_FLOW
    form.start_project(event.flows[DEFAULT_FLOW], state)
    form.take_known(event.flows[DEFAULT_FLOW], state, event.ctx)


def mine(event: Event) -> None:
    """My projects."""
    go(event.state, Mode.PROJECTS)


def my_reports(event: Event) -> None:
    """My quarterly reports (owners only)."""
    if event.ctx.user.role is not Role.OWNER:
        event.out.say("reports.owners_only")
    else:
        go(event.state, Mode.REPORTS)


def inbox(event: Event) -> None:
    """Items awaiting a decision (deciders only)."""
    if not decisions.is_decider(event.ctx):
        event.out.say("inbox.directors_only")
    else:
        go(event.state, Mode.INBOX)


def show_history(event: Event) -> None:
    """A project's history."""
    history(event.state, event.inp, event.out)


def ask(event: Event) -> None:
    """A question about the data (or an admin's command), answered by the service."""
    asks.ask(event.inp, event.ctx, event.out)


def save(event: Event) -> None:
    """Leave the item, saying it is saved."""
    leave(event.state, event.out, quiet=False)


def can_save(state: State) -> bool:
    """"Save" means something with an item open, or on the start questions."""
    return state.project_id is not None or state.mode is Mode.START


def cancel_press(event: Event) -> None:
    """Cancel (see :func:`cancel`)."""
    cancel(event.state, event.out)


def resume_press(event: Event) -> None:
    """Continue where the form was left."""
    resume(event.flows, event.state, event.out)


def to_hub(event: Event) -> None:
    """The item's hub."""
    _overview(event.state, Mode.HUB)


def to_review(event: Event) -> None:
    """The item's review card."""
    _overview(event.state, Mode.REVIEW)


def _overview(state: State, mode: Mode) -> None:
    state.mode, state.sub, state.stack, state.selection = mode, None, [], None


def can_overview(state: State) -> bool:
    """Hub and review: with an item open, not from a confirmation, a decision or a history."""
    return state.project_id is not None and state.mode not in (Mode.CONFIRM, Mode.ITEM, Mode.COMMENT, Mode.HISTORY)


def submit(event: Event) -> None:
    """Submit the open item, or say what is missing."""
    ask_submit(event.flows[event.state.flow], event.state, event.out)


def can_submit(state: State) -> bool:
    """Submit: from the item's own screens."""
    return state.project_id is not None and state.mode is not Mode.CONFIRM and state.mode in PROJECT_MODES


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


def resume(flows: Mapping[str, Flow], state: State, out: Output) -> None:
    """Return to the remembered position when it still belongs to the open item."""
    resume = state.resume
    if (resume is not None and resume.at.same_item(state.flow, state.project_id, state.report_id)
            and (state.project_id is not None or resume.at.mode == Mode.START)):
        dialog.reopen(state, resume)
        state.resume = None
        form.sanitize(flows[state.flow], state)
    elif state.project_id is not None:
        state.mode = Mode.HUB
    else:
        out.say("menu.nothing_to_continue")
        state.mode = Mode.PROJECTS


def cancel(state: State, out: Output) -> None:
    """Cancel: a new draft after a confirmation (deleting it), otherwise leave without change; a draft sent once
    and taken back is never deleted, so it is left as it is and the user is told so rather than offered 🗑."""
    if state.mode is Mode.START:
        confirm(state, "cancel_start")
    elif state.mode in PROJECT_MODES and state.flow == DEFAULT_FLOW and state.project_status == ItemStatus.DRAFT:
        if state.sent_before:
            out.say("cancel.kept_sent")
            leave(state, out, quiet=True)
        else:
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
    states = flow_states(flow, state.answers)
    if not all_done(states):
        pending = [render(s.section.title) for s in states if s.status.value in ("attention", "not_started")]
        out.say("submit.not_ready", sections=", ".join(pending))
        state.mode, state.sub = Mode.HUB, None
        return
    unseen = copied.unseen_titles(flow, state.copied) if flow.id == DEFAULT_FLOW else []
    if unseen:  # a copy: every section it brought must have been opened once
        out.say("submit.unseen", sections=", ".join(unseen))
        state.mode, state.sub = Mode.HUB, None
        return
    submission = _submission(flow, state) if state.mode is Mode.REVIEW else None
    if submission is not None:
        # the review card on show is the whole item above its submit button, saying once what sending means:
        # it is the confirmation (from the hub, which shows neither, "submit" still asks)
        out.effect(submission)
        reset_project(state)
        state.mode = Mode.MENU
        return
    confirm(state, "submit" if flow.id == DEFAULT_FLOW else "submit_report")


def _submission(flow: Flow, state: State) -> SubmitProject | SubmitReport | None:
    """The effect that submits the open item: its report in the report flow, else the project."""
    if flow.id == FlowId.REPORT:
        return SubmitReport(state.report_id) if state.report_id is not None else None
    return SubmitProject(state.project_id) if state.project_id is not None else None


def reset_project(state: State) -> None:
    """Forget the open item (it stays in the database), and the echo's buttons of a list taken in it: sent and
    taken back, the same draft would otherwise show them under its review card again."""
    state.project_id, state.project_code, state.project_status, state.answers = None, "", "draft", {}
    state.report_id, state.period, state.flow, state.synced = None, "", DEFAULT_FLOW, ""
    state.section, state.step, state.sub, state.back, state.stack, state.resume = "", "", None, [], [], None
    state.selection, state.copied, state.taken, state.sent_before = None, {}, {}, False
    state.returned = ""


