"""Repeat groups (objectives, KPIs, activities with sub-activities, budget lines): add, list, edit, remove.

``state.sub`` is a :class:`GroupCursor`: ``view`` is ``item`` (answering an item's question, named by its key),
``menu`` (the list with add/edit/remove/done), ``pick`` (choosing an item for ``purpose``), ``child`` (offering a
sub-item right after an item was added) or ``confirm``. The item being filled is kept in the cursor, so a half
answered item survives a restart too. This module takes the inputs; the cursor and how an item is kept are in
``group_cursor``, a fixed list's several-items-at-once answers in ``group_fixed``, a list typed in one message in
``bulk`` (its card) and ``taken`` (an empty list taken at once).
"""

from __future__ import annotations

from conversations.copy import render
from conversations.engine import batch, bulk, taken
from conversations.engine.context import Context
from conversations.engine.group_cursor import (
    children_key,
    commit,
    cursor,
    exists,
    first_pending,
    item_group,
    locate,
    next_question,
    position_valid,
    previous_question,
    question_index,
    repair,
    slot,
    start_edit,
    start_item,
)
from conversations.engine.group_fixed import (
    ALL,
    carried,
    carry_on,
    fill_rest,
    last_texts,
    offers_all,
    one_text,
    previous_text,
    whole_list,
)
from conversations.engine.nav import Input, Nav
from conversations.engine.output import Output
from conversations.engine.questions import handle
from conversations.engine.state import State
from conversations.engine.status import item_label
from conversations.engine.substates import GroupCursor
from conversations.engine.views import item_summary
from conversations.flows.flow import Group, Kind
from conversations.parsers.choices import parse_yes_no, yes_or_no
from conversations.parsers.errors import InvalidAnswer

Navigation = list[tuple[str, str]]


def enter(group: Group, state: State) -> None:
    """Start the step: straight into a first item when the list is empty (or a known item lacks its
    answer), else the list."""
    if group.fixed:
        pending = first_pending(group, state)
        if pending is None:
            state.sub = GroupCursor()
        else:
            start_item(group, state, parent=None, path=[pending])
            if offers_all(group, state):
                cursor(state).purpose = ALL
    elif state.answers.get(group.key):
        state.sub = GroupCursor()
    else:
        start_item(group, state, parent=None)


def handle_input(group: Group, state: State, inp: Input, ctx: Context, out: Output) -> bool:
    """Take one input inside the group; True when the user is done with the whole list."""
    mode = cursor(state).view
    if mode == bulk.CARD:
        return bulk.handle_card(group, state, inp, ctx, out)
    if mode in ("item", "menu") and batch.takes(group, inp.text):
        return whole_list(group, state, str(inp.text), out)
    if mode == "item" and group.same_for_all and inp.action in (Nav.PICK, Nav.DONE):
        return one_text(group, state, inp, out)
    if mode == "item" and cursor(state).purpose == ALL and inp.action is Nav.KEEP:
        return last_texts(group, state, out)
    if mode == "item":
        if taken.one_by_one(group, state, inp):
            return False
        if inp.text is not None and taken.applies(group, state):
            result = taken.take(group, state, inp.text, ctx, out)  # an empty list typed in one message
            if result is not None:
                return result
        if inp.text is not None and _fresh_item(group, state) and bulk.takes(group, inp.text):
            bulk.take(group, state, inp.text, ctx, out)  # the whole list in one message, on its first question
            return False
        return _answer(group, state, inp, ctx, out)
    if mode == "child":
        answer = yes_or_no(inp.text) if inp.text is not None else None
        if inp.action is Nav.ADD_CHILD or answer is True:  # "ใช่" typed to "add a sub-item?" adds one
            start_item(group, state, parent=cursor(state).parent)
            return False
        state.sub = GroupCursor()
        if inp.text is not None and answer is None:  # typed instead of choosing: the next item, as in the list
            return _menu(group, state, inp, ctx, out)
        return False  # "ไม่มีค่ะ" typed is the "none, go on" button, never an item of that name
    if mode == "pick":
        _pick(group, state, inp, out)
        return False
    if mode == "confirm":
        _confirm_remove(group, state, inp, out)
        return False
    return _menu(group, state, inp, ctx, out)


def _fresh_item(group: Group, state: State) -> bool:
    """Whether a new top-level item is on its first question, nothing answered yet (where a list may be typed)."""
    sub = cursor(state)
    return (sub.path is None and sub.parent is None and not sub.item and not group.fixed
            and sub.question == group.questions[0].key)


def _answer(group: Group, state: State, inp: Input, ctx: Context, out: Output) -> bool:
    """Answer one item question; True when a fixed list has just got its last answer."""
    if not handle(slot(group, state), inp, state, ctx, out):
        return False
    sub = cursor(state)
    target = item_group(group, sub)
    if inp.action is Nav.KEEP:
        carry_on(target, sub)
    following = next_question(target, sub.item, (question_index(target, sub.question) or 0) + 1)
    while following is not None and inp.action is Nav.KEEP and following in sub.item and carried(target, following):
        following = next_question(target, sub.item, (question_index(target, following) or 0) + 1)  # taken along
    if following is not None:
        sub.question = following
        return False
    editing_known = group.fixed and sub.origin != "menu"
    if sub.purpose == ALL:  # one text (or "nothing new") for every item still unanswered
        fill_rest(group, state, sub.item.get(target.questions[0].key), out)
    commit(group, state, out)
    if editing_known:
        pending = first_pending(group, state)
        if pending is None:
            return True
        start_item(group, state, parent=None, path=[pending])
    return False


def _menu(group: Group, state: State, inp: Input, ctx: Context, out: Output) -> bool:
    items = state.answers.get(group.key, [])
    if inp.text is not None and not group.fixed and yes_or_no(inp.text) is False:
        inp = Input(action=Nav.DONE)  # "ไม่มีแล้วค่ะ" on the list: no more, never an item of that name
    if inp.text is not None and not group.fixed and bulk.takes(group, inp.text):
        bulk.take(group, state, inp.text, ctx, out)
    elif inp.action is Nav.ADD:
        start_item(group, state, parent=None)
    elif group.fixed and inp.action in (Nav.ADD, Nav.ADD_CHILD, Nav.REMOVE):
        out.say("group.use_buttons")
    elif inp.action is Nav.ADD_CHILD and group.children is not None and items:
        if len(items) == 1:
            start_item(group, state, parent=0)
        else:
            state.sub = GroupCursor(view="pick", purpose="child")
    elif inp.action in (Nav.EDIT, Nav.REMOVE) and items:
        state.sub = GroupCursor(view="pick", purpose=str(inp.action))
    elif inp.action is Nav.DONE:
        if len(items) >= group.min_items:
            return True
        out.say("problem.too_few", count=group.min_items, item=render(group.item))
    elif inp.text is not None and not group.fixed and group.questions[0].kind in (Kind.TEXT, Kind.LONG_TEXT):
        start_item(group, state, parent=None)
        _answer(group, state, inp, ctx, out)
    else:
        out.say("group.use_buttons")
    return False


def _pick(group: Group, state: State, inp: Input, out: Output) -> None:
    if inp.action is Nav.BACK:
        state.sub = GroupCursor()
        return
    purpose = cursor(state).purpose or "edit"
    typed = inp.value or inp.text or ""
    own = group.children is None and any(item.get("number") for item in state.answers.get(group.key, []))
    path = _own_number(group, state, typed) if own else _parse_path(typed)
    if path is None or not exists(group, state, path) or (purpose == "child" and len(path) != 1):
        out.say("group.pick_again")
        return
    picked = item_group(group, GroupCursor(path=path))
    number = item_label(locate(group, state, path), path[0] + 1) if len(path) == 1 else f"{path[0] + 1}.{path[1] + 1}"
    summary = item_summary(picked, locate(group, state, path))
    if purpose == "child" and group.children is not None:  # typed "2" or tapped: said back either way
        out.say("group.picked.child", child=render(group.children.item), item=render(group.item), number=number,
                summary=summary)
        start_item(group, state, parent=path[0])
    elif purpose == "edit":
        out.say("group.picked.edit", item=render(picked.item), number=number, summary=summary)
        start_item(group, state, parent=None, path=path)
        cursor(state).origin = "menu"
    elif len(path) == 1 and locate(group, state, path).get(children_key(group)):
        state.sub = GroupCursor(view="confirm", path=path)  # removing sub-items too: ask first
    else:
        _remove(group, state, path, out)


def _confirm_remove(group: Group, state: State, inp: Input, out: Output) -> None:
    answer = inp.action
    if inp.text is not None:
        try:
            answer = Nav.YES if parse_yes_no(inp.text) else Nav.NO
        except InvalidAnswer:
            out.say("confirm.yes_or_no")
            return
    if answer is Nav.YES:
        _remove(group, state, list(cursor(state).path or []), out)
    else:
        out.say("confirm.kept")
    state.sub = GroupCursor()


def _remove(group: Group, state: State, path: list[int], out: Output) -> None:
    items = state.answers[group.key]
    removed = locate(group, state, path)
    target = item_group(group, GroupCursor(path=path))
    summary = item_summary(target, removed)
    if len(path) == 2:
        del items[path[0]][children_key(group)][path[1]]
    else:
        children = len(items[path[0]].get(children_key(group), []))
        del items[path[0]]
        if children:
            out.say("ack.children_removed", count=children)
    out.say("ack.item_removed", item=render(target.item), summary=summary)
    out.save()
    state.sub = GroupCursor()


def _own_number(group: Group, state: State, text: str) -> list[int] | None:
    """The item a typed or tapped number names where items bring their own numbers (a report's activities
    keep the registration's ``2.1``), or None."""
    raw = text.strip().lstrip("i")
    items = state.answers.get(group.key, [])
    return next(([index] for index, item in enumerate(items) if item_label(item, index + 1) == raw), None)


def _parse_path(text: str) -> list[int] | None:
    raw = text.strip().lstrip("i")
    try:
        numbers = [int(part) for part in raw.split(".")]
    except ValueError:
        return None
    if not 1 <= len(numbers) <= 2 or any(number < 1 for number in numbers):
        return None
    return [number - 1 for number in numbers]


def back(group: Group, state: State) -> bool:
    """Go back inside the group; False when the user backs out of the group altogether."""
    sub = cursor(state)
    if sub.view == "item":
        target = item_group(group, sub)
        previous = previous_question(target, sub.item, question_index(target, sub.question) or 0)
        state.selection = None
        if previous is not None:
            sub.question = previous
            return True
        if state.answers.get(group.key):
            state.sub = GroupCursor()
            return True
        return False
    if sub.view == bulk.CARD and sub.purpose == bulk.RETYPE:
        sub.purpose = ""  # back from ✏️ to the card, what was read kept
        return True
    if sub.view in ("pick", "child", "confirm", bulk.CARD):
        state.sub = GroupCursor()
        return True
    return False


__all__ = ["ALL", "back", "children_key", "cursor", "enter", "handle_input", "item_group", "locate", "offers_all",
           "position_valid", "previous_text", "question_index", "repair", "slot", "start_edit"]
