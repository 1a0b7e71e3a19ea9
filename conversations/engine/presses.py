"""What the buttons of the screens outside the question walk do: hub, review, section, projects, a project's card,
a confirmation. Each handler takes the press as an :class:`~conversations.engine.machine.Event`; which button
runs which handler is declared in ``dialogs``."""

from __future__ import annotations

from conversations.copy import render
from conversations.engine import actions, copied, decisions, dialog, form, reports, returned_note
from conversations.engine.effect_types import DeleteDraft, Reopen, SubmitProject, SubmitReport, Withdraw
from conversations.engine.machine import Event, Handler
from conversations.engine.modes import Mode
from conversations.engine.nav import Input, Nav
from conversations.parsers.choices import parse_yes_no
from conversations.parsers.errors import InvalidAnswer
from models.enums import ItemStatus


def back_to(parent: Mode) -> Handler:
    """Back from a root screen: to its parent, remembering a form position for "continue"."""
    def back(event: Event) -> None:
        actions.remember(event.state)
        event.state.mode = parent
    return back


def open_section(event: Event) -> None:
    """Hub: work on a section (its first pending step, or its answers when none is)."""
    assert event.picked is not None
    copied.mark_seen(event.state, event.picked.name, event.out)
    form.enter_section(event.flow, event.state, event.picked.name, event.out)


def view_section(event: Event) -> None:
    """Review card: one section's answers."""
    assert event.picked is not None
    copied.mark_seen(event.state, event.picked.name, event.out)
    event.state.mode, event.state.section = Mode.SECTION, event.picked.name


def edit_start_question(event: Event) -> None:
    """Review card: change a start question (the name), returning to the card."""
    assert event.picked is not None
    if not event.flow.start:
        event.out.say("input.use_buttons")
        return
    if not form.edit_start_question(event.flow, event.state, event.picked.name):
        event.out.say("input.use_buttons")


def edit_step(event: Event) -> None:
    """Section view: change one step, returning to the section view."""
    assert event.picked is not None
    if not form.edit_step(event.flow, event.state, event.state.section, event.picked.name):
        event.out.say("input.use_buttons")


def view_project(event: Event) -> None:
    """My projects: a project's card."""
    assert event.picked is not None
    event.state.viewing, event.state.mode = event.picked.number, Mode.PROJECT


def pick_quarter(event: Event) -> None:
    """My reports: a quarter to report (or to see)."""
    assert event.picked is not None
    reports.choose(event.state, event.picked, event.ctx, event.out, event.flows[reports.REPORT_FLOW])


def pick_inbox_item(event: Event) -> None:
    """Inbox: an item awaiting a decision."""
    decisions.choose(event.state, event.inp.value or "", event.ctx, event.out)


def open_project(event: Event) -> None:
    """A project's card: work on it (when its owner may still change it)."""
    state, ctx, out = event.state, event.ctx, event.out
    if state.viewing is None:
        out.say("input.use_buttons")
        return
    loaded = ctx.need_project(state.viewing)
    if not loaded.editable:
        out.say("project.not_editable", status=render(f"status.{loaded.status}"))
        return
    actions.reset_project(state)
    state.project_id, state.project_code, state.project_status = loaded.id, loaded.code, str(loaded.status)
    state.answers, state.copied, state.sent_before = dict(loaded.answers), dict(loaded.copied), loaded.sent_before
    state.mode = Mode.HUB
    returned_note.remember(state, str(loaded.status), loaded.decision_comment)
    if loaded.status is ItemStatus.RETURNED and loaded.decision_comment:
        out.say("project.returned_comment", comment=loaded.decision_comment)


def reopen_project(event: Event) -> None:
    """A project's card: ask before reopening an approved project."""
    state = event.state
    if state.viewing is None:
        event.out.say("input.use_buttons")
        return
    state.item = {"kind": "project", "project_id": state.viewing, "code": state.item.get("code", "")}
    actions.confirm(state, "reopen")


def withdraw_project(event: Event) -> None:
    """A project's card: take back a project the director has not decided yet (one tap: it can be sent again).
    The service says whether it was still waiting; the menu follows, replaced by the project's hub once taken back
    (``withdrawn_hub``: the card's answers are loaded for it)."""
    state = event.state
    if state.viewing is None:
        event.out.say("input.use_buttons")
        return
    event.ctx.need_project(state.viewing)
    event.out.effect(Withdraw(state.viewing))
    dialog.forget(state)
    state.mode, state.viewing = Mode.MENU, None


def project_quarter(event: Event) -> None:
    """A project's card: one quarter's report, read-only, above the card."""
    assert event.picked is not None
    project_id, fiscal_year, quarter = event.picked.argument
    state = event.state
    state.item = {"kind": "report", "project_id": project_id, "fy": fiscal_year, "q": quarter,
                  "code": state.item.get("code", "")}
    dialog.start(state, Mode.ITEM)


def confirmed(event: Event) -> None:
    """Yes: do what was asked (the service says whether it went through)."""
    state, out = event.state, event.out
    action = state.confirm.get("action", "")
    state.confirm = {}
    if action == "approve":
        decisions.decide(state, out, approve=True)
        return
    if action == "reopen":
        item = state.item
        item_id = item.get("report_id") or item.get("project_id")
        out.effect(Reopen(kind=item.get("kind", "project"), item_id=int(item_id or 0)))
        dialog.forget(state)
        state.mode = Mode.MENU
        return
    if action == "submit" and state.project_id is not None:
        out.effect(SubmitProject(state.project_id))
    elif action == "submit_report" and state.report_id is not None:
        out.effect(SubmitReport(state.report_id))
    elif action == "cancel_draft" and state.project_id is not None:
        out.effect(DeleteDraft(state.project_id))
    else:
        out.say("cancel.done")
    actions.reset_project(state)
    state.mode = Mode.MENU


def kept(event: Event) -> None:
    """No (or anything but yes): back to where the question was asked, nothing done."""
    dialog.done(event.state)
    event.state.confirm = {}
    event.out.say("confirm.kept")


def typed_on_confirm(event: Event) -> None:
    """A typed "ใช่" is as good as the button; anything else but yes keeps things as they were."""
    if event.inp.text is None:
        kept(event)
        return
    try:
        yes = parse_yes_no(event.inp.text)
    except InvalidAnswer:
        event.out.say("confirm.yes_or_no")
        return
    pressed = Event(event.flows, event.state, event.ctx, Input(action=Nav.YES if yes else Nav.NO), event.out)
    (confirmed if yes else kept)(pressed)
