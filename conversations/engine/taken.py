"""A list typed in one message into an empty list: taken at once, echoed, and undoable (issue 17, phone effort).

A group declared ``taken=True`` (it reads lines with its ``bulk`` splitter) asks its first item with the plain
instruction to send every item in one message, one a line. When every line of that message is valid, the items
are stored right away, said back in one short echo, and the form moves on to the next question in the same turn:
no card to confirm and no "done" to press. The next question carries the echo's two buttons, ➕ (add more) and ✏️
(change the list), which reopen the list's menu above it; its "done" comes back to that question. A message with
a wrong line gets the card of ``bulk`` as before (the wrong lines named, the good ones kept, nothing added), and
"✍️ ทีละรายการ" keeps the one-item-at-a-time way. A list that already has items keeps its menu as it was.

Where the echo's buttons live between turns is ``State.taken``: the list's key, its section, and (once the form
has moved on) the step its buttons are shown under; it is plain JSON, so a restart keeps them.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from conversations.copy import render
from conversations.engine import bulk, dialog
from conversations.engine.context import Context
from conversations.engine.modes import Mode
from conversations.engine.nav import Input, Nav, nav
from conversations.engine.output import Output
from conversations.engine.picks import Pick, value
from conversations.engine.state import State
from conversations.engine.substates import GroupCursor
from conversations.engine.views import budget_totals, numbered_items
from conversations.flows.flow import Flow, Group, Kind
from conversations.messages import Choice, ChoiceRole, Reply
from conversations.parsers.errors import InvalidAnswer
from conversations.parsers.lines import lines_of
from conversations.tokens import encode

ADD, EDIT = value(Pick.TAKEN, "add"), value(Pick.TAKEN, "edit")  # the echo's buttons
ONE_BY_ONE = "one"  # GroupCursor.purpose: the person chose to add items one at a time
ONE_BY_ONE_BUTTON = (nav(Nav.PICK), "taken.one_by_one")


def applies(group: Group, state: State) -> bool:
    """Whether the list is empty and its first item is asked the one-message way (not one at a time)."""
    sub = state.sub
    return (group.taken and not state.answers.get(group.key) and isinstance(sub, GroupCursor)
            and sub.view == "item" and sub.path is None and sub.parent is None and not sub.item
            and sub.purpose != ONE_BY_ONE and sub.question == group.questions[0].key)


def offers_one_by_one(group: Group) -> bool:
    """Whether the first prompt gets the "one at a time" button (a list whose item starts with typed words; one
    starting with a choice already has its buttons for that)."""
    return group.questions[0].kind in (Kind.TEXT, Kind.LONG_TEXT)


def one_by_one(group: Group, state: State, inp: Input) -> bool:
    """"✍️ ทีละรายการ" pressed on the first prompt: the same item, asked the one-at-a-time way."""
    if not (applies(group, state) and offers_one_by_one(group) and inp.action is Nav.PICK):
        return False
    assert isinstance(state.sub, GroupCursor)
    state.sub.purpose = ONE_BY_ONE
    return True


def take(group: Group, state: State, text: str, ctx: Context, out: Output) -> bool | None:
    """The first message typed into the empty list. True: every line was valid, the items are stored, echoed, and
    the list is done. False: a line is wrong, the card of ``bulk`` names it and waits. None: one line that is just
    the first answer of an item (a KPI's name alone), left to the one-at-a-time way."""
    if not bulk.takes(group, text) and not _whole_line(group, state, text, ctx):
        return None
    found = bulk.read(group, state, text, ctx)
    if found["wrong"] or not found["items"]:
        bulk.take(group, state, text, ctx, out)
        return False
    items: list[dict[str, Any]] = state.answers.setdefault(group.key, [])
    items.extend(found["items"])
    out.save()
    rows = "\n".join(f"   {number} {summary}" if "." in number else f"{number}. {summary}"
                     for number, summary in numbered_items(group, items))  # sub-items under their parents
    if group.totals:
        rows += "\n" + "\n".join(f"{label}: {value}" for label, value in budget_totals(items))
    enough = len(items) >= group.min_items
    out.say("taken.echo" if enough else "taken.echo_short", item=render(group.item), count=bulk.count(found),
            items=rows, minimum=group.min_items)
    state.sub = GroupCursor()  # the list, should it be opened again
    state.selection = None
    if not enough:
        return False  # too few for the list: it stays on screen, one more item away
    state.taken = {"group": group.key, "section": state.section}
    return True


def _whole_line(group: Group, state: State, text: str, ctx: Context) -> bool:
    """One line that reads as a whole item (an objective is just its text; a KPI needs its target and unit)."""
    try:
        lines = lines_of(text)
    except InvalidAnswer:  # too many lines: the card's to say
        return False
    if len(lines) != 1:
        return False
    found = bulk.read(group, state, text, ctx)
    return bool(found["items"]) and not found["wrong"]


def just_taken(state: State, group: Group) -> bool:
    """Whether ``group`` has just been taken this turn (its buttons not yet placed under a question)."""
    return state.taken.get("group") == group.key and "step" not in state.taken


def landed(state: State) -> None:
    """The form moved on after a list was taken: its buttons go under the question now on show, or under the
    review card when the list was the last step; the hub has the sections' own buttons instead."""
    if state.mode is Mode.FORM:
        state.taken = {**state.taken, "at": state.section, "step": state.step, "project": state.project_id}
    elif state.mode is Mode.REVIEW:
        state.taken = {**state.taken, "at": "", "step": str(Mode.REVIEW), "project": state.project_id}
    else:
        state.taken = {}


def _live(state: State) -> bool:
    """Whether the buttons belong under the screen on show (the one the form moved on to, of the same draft)."""
    taken = state.taken
    if not taken.get("step") or taken.get("project") != state.project_id:
        return False
    if state.mode is Mode.REVIEW:
        return taken["step"] == str(Mode.REVIEW) and state.project_status in ("draft", "returned")
    return state.mode is Mode.FORM and state.step == taken["step"] and state.section == taken.get("at")


def with_buttons(flow: Flow, state: State, reply: Reply) -> Reply:
    """The question after a taken list, with the echo's ➕ and ✏️ under it (they are accepted like its own)."""
    if not _live(state):
        return reply
    group = _group(flow, state)
    if group is None:
        return reply
    pairs = [(ADD, render(f"taken.{group.bulk}.add")), (EDIT, render("taken.edit"))]
    state.offered = [*state.offered, *(value for value, _ in pairs)]
    extra = tuple(Choice(encode(state.prompt, value), label) for value, label in pairs)
    answers = tuple(choice for choice in reply.choices if choice.role is ChoiceRole.ANSWER)  # keep their numbers
    rest = tuple(choice for choice in reply.choices if choice.role is not ChoiceRole.ANSWER)
    return dataclasses.replace(reply, choices=answers + extra + rest)


def _group(flow: Flow, state: State) -> Group | None:
    section = next((candidate for candidate in flow.sections if candidate.id == state.taken.get("section")), None)
    if section is None:
        return None
    return next((step for step in section.steps if isinstance(step, Group) and step.key == state.taken.get("group")),
                None)


def reopen(flow: Flow, state: State, inp: Input) -> bool:
    """➕ or ✏️ pressed under the next question: the list opens above it (a new item, or its menu); its "done"
    returns to that question. False when the input is not one of them."""
    if inp.value not in (ADD, EDIT) or not _live(state):
        return False
    group = _group(flow, state)
    if group is None:
        return False
    dialog.start(state, Mode.FORM, keep_position=state.mode is Mode.FORM)
    state.section, state.step, state.selection = str(state.taken["section"]), group.key, None
    state.taken = {}
    if inp.value == ADD:
        first = group.questions[0].key
        state.sub = GroupCursor(view="item", question=first, purpose=ONE_BY_ONE)
    else:
        state.sub = GroupCursor()
    return True


def press(flow: Flow, state: State, inp: Input, out: Output) -> None:
    """➕ or ✏️ under the review card (``dialogs``); a stale one asks for the buttons on show."""
    if not reopen(flow, state, inp):
        out.say("input.use_buttons")


def live_group(flow: Flow, state: State) -> Group | None:
    """The list taken whose ➕ and ✏️ are under the screen on show, if any."""
    return _group(flow, state) if _live(state) else None
