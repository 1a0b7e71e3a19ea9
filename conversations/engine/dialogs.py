"""The conversation machine, declared: every screen with its renderer, its buttons, their actions and targets.

Read a screen's line as "on this screen, this button does that and shows this". The dispatcher (``machine``)
looks a press up here; ``machine_check`` checks the whole machine when it is built; ``diagram`` draws it.
"""

from __future__ import annotations

from conversations.engine import (
    actions,
    asks,
    copying,
    decisions,
    dialog,
    documents,
    form,
    handover,
    history,
    presses,
    reports,
    screens,
    taken,
)
from conversations.engine.actions import DEFAULT_FLOW
from conversations.engine.machine import Action, Button, Done, Event, Resume, Say, Screen, Start, button, effect, switch
from conversations.engine.modes import Mode
from conversations.engine.nav import Nav
from conversations.engine.picks import Pick
from conversations.flows.flow import FlowId

M = Mode
CONFIRMATIONS = {  # what a confirmation asks about → the effect of its "yes" and where it lands
    "cancel_start": effect("cancel", M.MENU), "cancel_draft": effect("delete draft", M.MENU),
    "submit": effect("submit project", M.MENU), "submit_report": effect("submit report", M.MENU),
    "approve": effect("approve", M.INBOX), "reopen": effect("reopen", M.MENU),
}
_DONE = Done()


# typed commands (and the LINE rich menu) that work on every screen, each with its one handler (``actions``) and
# when it applies (otherwise the screen on show takes the word); the engine looks a word up here before the screen
# is asked. A question about the data (and an admin's command) is answered by the service as an effect, before
# the screen the user was on, which stays
ANYWHERE: tuple[Button, ...] = (
    button(Nav.START, "", switch(M.MENU), run=actions.start),
    button(Nav.MENU, "nav.menu", switch(M.MENU), run=actions.menu),
    button(Nav.HELP, "menu.help", Say("help"), run=actions.help_text),
    button(Nav.NEW, "menu.new", switch(M.START), run=actions.new_project),
    button(Nav.COPY, "copy.menu", switch(M.COPY), run=copying.start),
    button(Nav.MINE, "nav.mine", switch(M.PROJECTS), run=actions.mine),
    button(Nav.REPORTS, "menu.reports", switch(M.REPORTS), run=actions.my_reports),
    button(Nav.INBOX, "menu.inbox", switch(M.INBOX), run=actions.inbox),
    button(Nav.HISTORY, "nav.history", Start(M.HISTORY), run=actions.show_history),
    button(Nav.CONTINUE, "menu.continue", Resume(), run=actions.resume_press),
    button(Nav.SAVE, "nav.save", switch(M.MENU), run=actions.save, when=actions.can_save),
    button(Nav.CANCEL, "nav.cancel", Start(M.CONFIRM), switch(M.MENU), run=actions.cancel_press),
    button(Nav.HUB, "nav.hub", switch(M.HUB), run=actions.to_hub, when=actions.can_overview),
    button(Nav.REVIEW, "nav.review", switch(M.REVIEW), run=actions.to_review, when=actions.can_overview),
    button(Nav.SUBMIT, "nav.submit", Start(M.CONFIRM), switch(M.HUB), effect("submit project", M.MENU),
           effect("submit report", M.MENU),
           run=actions.submit, when=actions.can_submit),
    *(button(ask, "", effect("admin answer" if ask in asks.ADMIN else "answer a question"), run=actions.ask)
      for ask in sorted(asks.ASKS)),
)
GLOBAL: dict[Nav, Button] = {declared.token: declared for declared in ANYWHERE if isinstance(declared.token, Nav)}
# the words a form's questions take as answers (skip, keep, a group's add…), handled by the form, not a button
FORM_WORDS = frozenset({Nav.SKIP, Nav.KEEP, Nav.DONE, Nav.ADD, Nav.ADD_CHILD, Nav.EDIT, Nav.REMOVE, Nav.UP, Nav.PICK,
                        Nav.SEARCH})


def _nav(token: Nav, label: str = "", *actions: Action) -> Button:
    """A word of ``ANYWHERE`` shown as a button on a screen: its one handler, the label and the actions the
    screen shows (by default those of the declaration)."""
    declared = GLOBAL[token]
    return button(token, label or declared.label, *(actions or declared.actions), run=declared.run,
                  when=declared.when)


MENU_ = _nav(Nav.MENU)
HUB_ = _nav(Nav.HUB)
REVIEW_ = _nav(Nav.REVIEW)
SAVE_ = _nav(Nav.SAVE)
SUBMIT_ = _nav(Nav.SUBMIT)
HISTORY_ = _nav(Nav.HISTORY)
NEW_ = _nav(Nav.NEW)
MINE_ = _nav(Nav.MINE)
PDF_ = button(Nav.PDF, "doc.button", effect("document"), run=documents.ask_pdf)
DONE_BACK = button(Nav.BACK, "nav.back", _DONE, run=lambda event: dialog.done(event.state))


def _form_back(event: Event) -> None:
    form.go_back(event.flow, event.state, event.ctx, event.out)


def _answer(event: Event) -> None:
    form.handle_form(event.flow, event.state, event.inp, event.ctx, event.out)


def _back(parent: Mode) -> Button:
    return button(Nav.BACK, "nav.back", switch(parent), run=presses.back_to(parent))


SCREENS: dict[Mode, Screen] = {screen.id: screen for screen in (
    Screen(M.MENU, ("menu.text", "menu.next", "value.central"), lambda flows, state, ctx: screens.menu(state, ctx), (
        NEW_, _nav(Nav.REPORTS), _nav(Nav.INBOX), _nav(Nav.MINE, "menu.mine"), _nav(Nav.COPY), _nav(Nav.CONTINUE),
        _nav(Nav.HELP),
    ), _back(M.MENU), labels=("menu.office",)),
    Screen(M.START, ("header.start",), lambda flows, state, ctx: form.render_form(flows[state.flow], state, ctx), (
        _nav(Nav.CANCEL, "nav.cancel", Start(M.CONFIRM)),
    ), button(Nav.BACK, "nav.back", _DONE, switch(M.START), run=_form_back), root=False, other=_answer,
        words=FORM_WORDS,
        answered=(switch(M.START, M.FORM), _DONE)),
    Screen(M.FORM, ("header.section",), lambda flows, state, ctx: form.render_form(flows[state.flow], state, ctx), (
        HUB_, SAVE_,
    ), button(Nav.BACK, "nav.back", _DONE, switch(M.FORM, M.HUB), run=_form_back), root=False, other=_answer,
        words=FORM_WORDS,
        answered=(switch(M.FORM, M.SECTION, M.REVIEW, M.HUB), _DONE)),
    Screen(M.HUB, ("hub.text",), lambda flows, state, ctx: screens.hub(state, flows[state.flow]), (
        button(Pick.SECTION, "", switch(M.FORM, M.SECTION, M.HUB), run=presses.open_section),
        REVIEW_, SUBMIT_, SAVE_,
    ), _back(M.MENU)),
    Screen(M.SECTION, ("section.pick_edit",), lambda flows, state, ctx: screens.section_view(
        state, flows[state.flow]), (
        button(Pick.EDIT, "nav.edit_field", Start(M.FORM), run=presses.edit_step), HUB_, REVIEW_,
    ), _back(M.HUB)),
    Screen(M.REVIEW, ("review.ready.report", "review.ready.register", "review.not_ready"),
           lambda flows, state, ctx: taken.with_buttons(flows[state.flow], state,
                                                        screens.review(state, flows[state.flow], ctx)), (
        button(Pick.START_QUESTION, "nav.edit_field", Start(M.START), run=presses.edit_start_question),
        button(Pick.TAKEN, "taken.edit", Start(M.FORM), run=lambda event: taken.press(event.flow, event.state,
                                                                                       event.inp, event.out)),
        button(Pick.VIEW, "nav.edit_field", switch(M.SECTION), run=presses.view_section),
        SUBMIT_, HUB_, SAVE_,
    ), _back(M.HUB)),
    Screen(M.PROJECTS, ("projects.text", "projects.none", "projects.more", "project.progress"),
           lambda flows, state, ctx: screens.projects(state, ctx), (
        button(Pick.PROJECT, "", switch(M.PROJECT), run=presses.view_project), NEW_, MENU_,
    ), _back(M.MENU)),
    Screen(M.PROJECT, ("project.not_found", "project.returned_comment", "project.quarters", "pack.card_progress"),
           lambda flows, state, ctx: screens.project(state, ctx, flows[DEFAULT_FLOW]), (
        button(Nav.OPEN, "project.open", switch(M.HUB), run=presses.open_project),
        button(Pick.QUARTER, "", Start(M.ITEM), run=presses.project_quarter),
        button(Nav.REOPEN, "project.reopen", Start(M.CONFIRM), run=presses.reopen_project),
        button(Nav.WITHDRAW, "project.withdraw", effect("withdraw", M.MENU), run=presses.withdraw_project),
        button(Nav.EMENSCR, "pack.open", Start(M.PACK), run=handover.open_project_pack),
        PDF_, _nav(Nav.COPY), HISTORY_, MINE_, MENU_,
    ), _back(M.PROJECTS)),
    Screen(M.CONFIRM, tuple(f"confirm.{action}" for action in CONFIRMATIONS),
           lambda flows, state, ctx: screens.confirm(state), (
        button(Nav.YES, "", *CONFIRMATIONS.values(), run=presses.confirmed),
        button(Nav.NO, "", _DONE, run=presses.kept),
    ), button(Nav.BACK, "nav.back", _DONE, run=presses.kept), root=False,
        other=presses.typed_on_confirm,  # a typed yes or no: its buttons
        labels=tuple(f"confirm.{action}.{answer}" for action in CONFIRMATIONS for answer in ("yes", "no"))),
    Screen(M.REPORTS, ("reports.text", "reports.none"), lambda flows, state, ctx: reports.render_tasks(state, ctx), (
        button(Pick.QUARTER, "", Start(M.ITEM), switch(M.FORM, M.REVIEW), run=presses.pick_quarter), MENU_,
    ), _back(M.MENU)),
    Screen(M.INBOX, ("inbox.text", "inbox.none", "inbox.project", "inbox.report", "inbox.late", "inbox.resubmitted"),
           lambda flows, state, ctx: decisions.render_inbox(state, ctx), (
        button(Pick.PROJECT, "", Start(M.ITEM), run=presses.pick_inbox_item),
        button(Pick.REPORT, "", Start(M.ITEM), run=presses.pick_inbox_item), MENU_,
    ), _back(M.MENU), labels=("menu.inbox",)),
    Screen(M.ITEM, ("item.what.project", "item.what.report"),
           lambda flows, state, ctx: decisions.render_item(state, ctx, dict(flows)), (
        button(Nav.APPROVE, "decide.approve", Start(M.CONFIRM), run=decisions.approve),
        button(Nav.RETURN, "decide.return", Start(M.COMMENT), run=decisions.return_item),
        button(Nav.REOPEN, "project.reopen", Start(M.CONFIRM), run=decisions.reopen_report),
        button(Pick.FILE, "", effect("evidence file"), run=decisions.open_evidence),
        button(Nav.EMENSCR, "pack.open", Start(M.PACK), run=handover.open_report_pack),
        PDF_, HISTORY_,
    ), DONE_BACK, root=False),
    Screen(M.COMMENT, ("decide.ask_comment", "decide.ask_comment_again"),
           lambda flows, state, ctx: decisions.render_comment(state), (),
           button(Nav.BACK, "nav.back", _DONE, run=decisions.back_from_comment), root=False,
           other=decisions.on_comment, answered=(effect("return", M.INBOX),)),
    Screen(M.PACK, ("pack.text", "pack.all_done", "pack.not_approved", "project.not_found"),
           lambda flows, state, ctx: handover.render_pack(state, ctx, flows), (
        button(Nav.KEYED, "pack.keyed", effect("keyed in", M.PACK), run=handover.keyed),
        button(Nav.NEXT, "pack.next", switch(M.PACK), run=handover.turn(1)),
        button(Nav.PREV, "pack.prev", switch(M.PACK), run=handover.turn(-1)),
        button(Nav.EMENSCR_ID, "pack.set_id", Start(M.PACK_ID), run=handover.ask_id),
    ), DONE_BACK, root=False, labels=("pack.change_id",)),
    Screen(M.PACK_ID, ("pack.ask_id", "pack.ask_id_again", "pack.id_invalid"),
           lambda flows, state, ctx: handover.render_ask_id(state), (),
           button(Nav.BACK, "nav.back", _DONE, run=handover.back_from_id), root=False,
           other=handover.on_id, answered=(effect("emenscr id", M.PACK),)),
    Screen(M.COPY, ("copy.pick_source", "copy.none", "copy.pick_year"),
           lambda flows, state, ctx: copying.render_copy(state, ctx), (
        button(Pick.COPY_FROM, "", switch(M.COPY), run=copying.pick_source),
        button(Pick.YEAR, "copy.year", effect("copy project", M.HUB, M.MENU), run=copying.pick_year), MENU_,
    ), button(Nav.BACK, "nav.back", switch(M.COPY, M.MENU), run=copying.back), other=copying.typed_year,
        answered=(effect("copy project", M.HUB, M.MENU),)),
    Screen(M.HISTORY, ("history.text", "history.not_found", "history.empty", "history.more"),
           lambda flows, state, ctx: history.render_history(state, ctx, dict(flows)), (MENU_,),
           DONE_BACK, root=False),
)}
FORM_FLOWS = (FlowId.REGISTER, FlowId.REPORT)  # drawn as the form's sub-states
