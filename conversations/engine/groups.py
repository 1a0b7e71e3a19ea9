"""Repeat groups (objectives, KPIs, activities with sub-activities, budget lines): add, list, edit, remove.

``state.sub`` is a :class:`GroupCursor`: ``view`` is ``item`` (answering an item's question, named by its key),
``menu`` (the list with add/edit/remove/done), ``pick`` (choosing an item for ``purpose``), ``child`` (offering a
sub-item right after an item was added) or ``confirm``. The item being filled is kept in the cursor, so a half
answered item survives a restart too.
"""

from __future__ import annotations

import copy
from typing import Any

from conversations.copy import render
from conversations.engine import batch, bulk, carried_texts, taken
from conversations.engine.context import Context
from conversations.engine.nav import Input, Nav
from conversations.engine.output import Output
from conversations.engine.questions import Slot, applies, handle
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
        pending = _first_pending(group, state)
        if pending is None:
            state.sub = GroupCursor()
        else:
            _start_item(group, state, parent=None, path=[pending])
            if offers_all(group, state):
                cursor(state).purpose = ALL
    elif state.answers.get(group.key):
        state.sub = GroupCursor()
    else:
        _start_item(group, state, parent=None)


def _first_pending(group: Group, state: State) -> int | None:
    """The first known item with an unanswered question (fixed lists)."""
    for index, item in enumerate(state.answers.get(group.key, [])):
        if any(applies(q.when, item) and q.key not in item for q in group.questions):
            return index
    return None


def cursor(state: State) -> GroupCursor:
    """The group cursor in ``state.sub`` (the list, when the state holds none)."""
    if not isinstance(state.sub, GroupCursor):
        state.sub = GroupCursor()
    return state.sub


def position_valid(group: Group, state: State) -> bool:
    """Whether the cursor in ``state.sub`` still points at existing items and an existing question."""
    sub = state.sub
    if not isinstance(sub, GroupCursor) or not _items_exist(group, state, sub):
        return False
    return sub.view != "item" or question_index(item_group(group, sub), sub.question) is not None


def _items_exist(group: Group, state: State, sub: GroupCursor) -> bool:
    """Whether the item the cursor edits (``path``) or adds a sub-item under (``parent``) is still there."""
    if sub.path is not None and not (sub.path and _exists(group, state, list(sub.path))):
        return False
    return sub.parent is None or 0 <= sub.parent < len(state.answers.get(group.key, []))


def repair(group: Group, state: State) -> bool:
    """A half-answered item whose question on screen is no longer asked (the flow changed) moves on to the item's
    first question still unanswered, its answers kept; False when the cursor's item itself is gone."""
    sub = state.sub
    if not isinstance(sub, GroupCursor) or sub.view != "item" or not _items_exist(group, state, sub):
        return False
    target = item_group(group, sub)
    unanswered = [question.key for question in target.questions
                  if applies(question.when, sub.item) and question.key not in sub.item]
    sub.question = unanswered[0] if unanswered else target.questions[0].key
    state.selection = None
    return True


def item_group(group: Group, sub: GroupCursor) -> Group:
    """The group whose item is being answered: the sub-item group for a child, else the group."""
    return group.children if sub.is_child and group.children is not None else group


def question_index(group: Group, key: str) -> int | None:
    """Where the item question ``key`` is in the group now (None when it is no longer asked)."""
    return next((index for index, question in enumerate(group.questions) if question.key == key), None)


def _next_question(group: Group, item: dict[str, Any], start: int) -> str | None:
    for question in group.questions[start:]:
        if applies(question.when, item):
            return question.key
    return None


def _previous_question(group: Group, item: dict[str, Any], before: int) -> str | None:
    for question in reversed(group.questions[:before]):
        if applies(question.when, item):
            return question.key
    return None


def _start_item(group: Group, state: State, parent: int | None, path: list[int] | None = None) -> None:
    item: dict[str, Any] = {}
    target = item_group(group, GroupCursor(parent=parent, path=path))
    if path is not None:
        existing = locate(group, state, path)
        item = {key: copy.deepcopy(value) for key, value in existing.items() if key != children_key(group)}
    first = _next_question(target, item, 0) or target.questions[0].key
    state.sub = GroupCursor(view="item", question=first, item=item, parent=parent, path=path)
    state.selection = None


def start_edit(group: Group, state: State, index: int) -> None:
    """Open the known item ``index`` of a fixed list to change it; answered, the list is done (the edit returns
    to the screen that opened it)."""
    _start_item(group, state, parent=None, path=[index])


def children_key(group: Group) -> str:
    """Where an item keeps its sub-items ("" when the group has none)."""
    return group.children.key if group.children is not None else ""


def locate(group: Group, state: State, path: list[int]) -> dict[str, Any]:
    """The item at ``[i]`` or sub-item at ``[i, j]``."""
    items: list[dict[str, Any]] = state.answers.setdefault(group.key, [])
    item = items[path[0]]
    if len(path) == 2:
        item = item[children_key(group)][path[1]]
    return item


def _parent_item(group: Group, state: State) -> dict[str, Any] | None:
    sub = cursor(state)
    if sub.parent is not None:
        parent: dict[str, Any] = state.answers[group.key][sub.parent]
        return parent
    path = sub.path or []
    if len(path) != 2:
        return None
    top: dict[str, Any] = state.answers[group.key][path[0]]
    return top


def slot(group: Group, state: State) -> Slot:
    """The question of the item being answered, with its item and parent."""
    sub = cursor(state)
    target = item_group(group, sub)
    item = sub.item
    question = target.questions[question_index(target, sub.question) or 0]
    return Slot(question, state.answers, item, item, _parent_item(group, state))


def handle_input(group: Group, state: State, inp: Input, ctx: Context, out: Output) -> bool:
    """Take one input inside the group; True when the user is done with the whole list."""
    mode = cursor(state).view
    if mode == bulk.CARD:
        return bulk.handle_card(group, state, inp, ctx, out)
    if mode in ("item", "menu") and batch.takes(group, inp.text):
        return _whole_list(group, state, str(inp.text), out)
    if mode == "item" and group.same_for_all and inp.action in (Nav.PICK, Nav.DONE):
        return _one_text(group, state, inp, out)
    if mode == "item" and cursor(state).purpose == ALL and inp.action is Nav.KEEP:
        return _last_texts(group, state, out)
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
            _start_item(group, state, parent=cursor(state).parent)
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
        _carry_on(target, sub)
    following = _next_question(target, sub.item, (question_index(target, sub.question) or 0) + 1)
    while following is not None and inp.action is Nav.KEEP and following in sub.item and _carried(target, following):
        following = _next_question(target, sub.item, (question_index(target, following) or 0) + 1)  # taken along
    if following is not None:
        sub.question = following
        return False
    editing_known = group.fixed and sub.origin != "menu"
    if sub.purpose == ALL:  # one text (or "nothing new") for every item still unanswered
        _fill_rest(group, state, sub.item.get(target.questions[0].key), out)
    _commit(group, state, out)
    if editing_known:
        pending = _first_pending(group, state)
        if pending is None:
            return True
        _start_item(group, state, parent=None, path=[pending])
    return False


ALL = "all"  # GroupCursor.purpose of a same-for-all list's first item: the answer is every item's


def offers_all(group: Group, state: State) -> bool:
    """Whether a same-for-all list asks one text for every item: two or more items, none answered yet."""
    items = state.answers.get(group.key, [])
    key = group.questions[0].key
    return group.same_for_all and len(items) > 1 and not any(key in item for item in items)


def previous_text(group: Group, state: State) -> str:
    """The text of the last answered item before the one on screen ("" when none), offered for the rest."""
    sub = cursor(state)
    key = group.questions[0].key
    before = state.answers.get(group.key, [])[:(sub.path or [0])[0]]
    return next((str(item[key]) for item in reversed(before) if item.get(key)), "")


def _fill_rest(group: Group, state: State, value: object, out: Output) -> None:
    key = group.questions[0].key
    rest = [item for item in state.answers.get(group.key, []) if key not in item]
    for item in rest:
        item[key] = value
    if rest:
        out.say("rep.same_for_all_taken", count=len(rest))  # the item on screen is among them


def _one_text(group: Group, state: State, inp: Input, out: Output) -> bool:
    """A same-for-all list: "answer each item" leaves the one-text question; "the same text for every item"
    answers this item and the rest with the text of the item before."""
    sub = cursor(state)
    if inp.action is Nav.PICK:
        sub.purpose = ""
        return False
    text = previous_text(group, state)
    if not text:
        out.say("group.use_buttons")
        return False
    sub.item[group.questions[0].key] = text
    out.say("ack.answer", value=text)
    _fill_rest(group, state, text, out)
    return _answered_together(group, state, out)


def _last_texts(group: Group, state: State, out: Output) -> bool:
    """"เหมือนไตรมาสก่อน" on the one-text question: every item takes its own text of last quarter; those that had
    none are then asked one by one."""
    sub = cursor(state)
    taken = carried_texts.take(group, state.answers.get(group.key, []), sub.item, (sub.path or [0])[0])
    if not taken:  # a button of an older screen: nothing of last quarter is left to take
        out.say("nav.nothing_to_keep")
        return False
    out.say("rep.same_as_last_taken", count=taken)
    sub.purpose = ""
    return _answered_together(group, state, out)


def _answered_together(group: Group, state: State, out: Output) -> bool:
    """After several items were answered at once: keep the one on screen, then the first item still unanswered
    (True when there is none and the list was not opened from its menu)."""
    sub = cursor(state)
    origin = sub.origin
    _commit(group, state, out)
    pending = _first_pending(group, state)
    if origin == "menu" or pending is not None:
        if origin != "menu" and pending is not None:
            _start_item(group, state, parent=None, path=[pending])
        return False
    return True


def _whole_list(group: Group, state: State, text: str, out: Output) -> bool:
    """The whole list answered in one message; True when the fixed list is then complete (from the list
    itself, the list stays on screen with the new answers)."""
    from_menu = cursor(state).view == "menu" or cursor(state).origin == "menu"
    batch.apply(group, state, text, out)
    pending = _first_pending(group, state)
    if pending is None:
        state.sub = GroupCursor()
        return not from_menu
    if not from_menu:
        _start_item(group, state, parent=None, path=[pending])
    return False


def _carried(target: Group, key: str) -> bool:
    """Whether the item question ``key`` is carried from last quarter (taken along by one "เหมือนไตรมาสก่อน"); an
    answer kept while editing (✔️ ใช้ค่านี้) goes on to the next question, so every later one can still be changed."""
    index = question_index(target, key)
    return index is not None and bool(target.questions[index].carried)


def _carry_on(target: Group, sub: GroupCursor) -> None:
    """"เหมือนไตรมาสก่อน" takes the item's later carried answers too (in progress, then its 60%), unless they
    were already given."""
    start = (question_index(target, sub.question) or 0) + 1
    for question in target.questions[start:]:
        if question.carried in sub.item and question.key not in sub.item and applies(question.when, sub.item):
            sub.item[question.key] = sub.item[question.carried]


def _commit(group: Group, state: State, out: Output) -> None:
    sub = cursor(state)
    target = item_group(group, sub)
    asked = {question.key for question in target.questions if applies(question.when, sub.item)}
    item = {key: value for key, value in sub.item.items() if key in asked or key == "id"}
    items: list[dict[str, Any]] = state.answers.setdefault(group.key, [])
    new_parent: int | None = None
    if sub.path is not None:
        existing = locate(group, state, sub.path)
        for question in target.questions:  # drop answers no longer asked; known fields and ids stay
            existing.pop(question.key, None)
        existing.update({key: value for key, value in item.items() if key != "id"})
        if not group.fixed:
            out.say("ack.item_updated", item=render(target.item), summary=item_summary(target, existing))
    elif sub.parent is not None:
        items[sub.parent].setdefault(children_key(group), []).append(item)
        out.say("ack.item_added", item=render(target.item), summary=item_summary(target, item))
    else:
        items.append(item)
        new_parent = len(items) - 1
        out.say("ack.item_added", item=render(target.item), summary=item_summary(target, item))
    out.save()
    state.sub = GroupCursor(view="child", parent=new_parent) if group.children and new_parent is not None \
        else GroupCursor()


def _menu(group: Group, state: State, inp: Input, ctx: Context, out: Output) -> bool:
    items = state.answers.get(group.key, [])
    if inp.text is not None and not group.fixed and yes_or_no(inp.text) is False:
        inp = Input(action=Nav.DONE)  # "ไม่มีแล้วค่ะ" on the list: no more, never an item of that name
    if inp.text is not None and not group.fixed and bulk.takes(group, inp.text):
        bulk.take(group, state, inp.text, ctx, out)
    elif inp.action is Nav.ADD:
        _start_item(group, state, parent=None)
    elif group.fixed and inp.action in (Nav.ADD, Nav.ADD_CHILD, Nav.REMOVE):
        out.say("group.use_buttons")
    elif inp.action is Nav.ADD_CHILD and group.children is not None and items:
        if len(items) == 1:
            _start_item(group, state, parent=0)
        else:
            state.sub = GroupCursor(view="pick", purpose="child")
    elif inp.action in (Nav.EDIT, Nav.REMOVE) and items:
        state.sub = GroupCursor(view="pick", purpose=str(inp.action))
    elif inp.action is Nav.DONE:
        if len(items) >= group.min_items:
            return True
        out.say("problem.too_few", count=group.min_items, item=render(group.item))
    elif inp.text is not None and not group.fixed and group.questions[0].kind in (Kind.TEXT, Kind.LONG_TEXT):
        _start_item(group, state, parent=None)
        _answer(group, state, inp, ctx, out)
    else:
        out.say("group.use_buttons")
    return False


def _exists(group: Group, state: State, path: list[int]) -> bool:
    items = state.answers.get(group.key, [])
    if path[0] >= len(items):
        return False
    return len(path) == 1 or path[1] < len(items[path[0]].get(children_key(group), []))


def _pick(group: Group, state: State, inp: Input, out: Output) -> None:
    if inp.action is Nav.BACK:
        state.sub = GroupCursor()
        return
    purpose = cursor(state).purpose or "edit"
    typed = inp.value or inp.text or ""
    own = group.children is None and any(item.get("number") for item in state.answers.get(group.key, []))
    path = _own_number(group, state, typed) if own else _parse_path(typed)
    if path is None or not _exists(group, state, path) or (purpose == "child" and len(path) != 1):
        out.say("group.pick_again")
        return
    picked = item_group(group, GroupCursor(path=path))
    number = item_label(locate(group, state, path), path[0] + 1) if len(path) == 1 else f"{path[0] + 1}.{path[1] + 1}"
    summary = item_summary(picked, locate(group, state, path))
    if purpose == "child" and group.children is not None:  # typed "2" or tapped: said back either way
        out.say("group.picked.child", child=render(group.children.item), item=render(group.item), number=number,
                summary=summary)
        _start_item(group, state, parent=path[0])
    elif purpose == "edit":
        out.say("group.picked.edit", item=render(picked.item), number=number, summary=summary)
        _start_item(group, state, parent=None, path=path)
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
        previous = _previous_question(target, sub.item, question_index(target, sub.question) or 0)
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
