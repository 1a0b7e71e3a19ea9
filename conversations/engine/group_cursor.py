"""Where a repeat group's cursor points and how an item is kept: the item being answered, its questions in order,
the items it may edit or add under, and storing it when its last question is answered.

Split from ``groups`` (which takes the inputs) so the list's own screens and the fixed lists' ways of answering
several items at once (``group_fixed``) share one notion of "the item on screen".
"""

from __future__ import annotations

import copy
from typing import Any

from conversations.copy import render
from conversations.engine.output import Output
from conversations.engine.questions import Slot, applies
from conversations.engine.state import State
from conversations.engine.substates import GroupCursor
from conversations.engine.views import item_summary
from conversations.flows.flow import Group


def cursor(state: State) -> GroupCursor:
    """The group cursor in ``state.sub`` (the list, when the state holds none)."""
    if not isinstance(state.sub, GroupCursor):
        state.sub = GroupCursor()
    return state.sub


def position_valid(group: Group, state: State) -> bool:
    """Whether the cursor in ``state.sub`` still points at existing items and an existing question."""
    sub = state.sub
    if not isinstance(sub, GroupCursor) or not items_exist(group, state, sub):
        return False
    return sub.view != "item" or question_index(item_group(group, sub), sub.question) is not None


def items_exist(group: Group, state: State, sub: GroupCursor) -> bool:
    """Whether the item the cursor edits (``path``) or adds a sub-item under (``parent``) is still there."""
    if sub.path is not None and not (sub.path and exists(group, state, list(sub.path))):
        return False
    return sub.parent is None or 0 <= sub.parent < len(state.answers.get(group.key, []))


def repair(group: Group, state: State) -> bool:
    """A half-answered item whose question on screen is no longer asked (the flow changed) moves on to the item's
    first question still unanswered, its answers kept; False when the cursor's item itself is gone."""
    sub = state.sub
    if not isinstance(sub, GroupCursor) or sub.view != "item" or not items_exist(group, state, sub):
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


def next_question(group: Group, item: dict[str, Any], start: int) -> str | None:
    """The first item question from ``start`` on that applies to the item's answers so far (None: it is complete)."""
    for question in group.questions[start:]:
        if applies(question.when, item):
            return question.key
    return None


def previous_question(group: Group, item: dict[str, Any], before: int) -> str | None:
    """The last item question before ``before`` that applies to the item (None: this is its first), for ⬅️."""
    for question in reversed(group.questions[:before]):
        if applies(question.when, item):
            return question.key
    return None


def start_item(group: Group, state: State, parent: int | None, path: list[int] | None = None) -> None:
    """Open an item on its first question: a new one (under ``parent`` for a sub-item), or a copy of the stored
    item at ``path`` to change, which replaces it only once committed."""
    item: dict[str, Any] = {}
    target = item_group(group, GroupCursor(parent=parent, path=path))
    if path is not None:
        existing = locate(group, state, path)
        item = {key: copy.deepcopy(value) for key, value in existing.items() if key != children_key(group)}
    first = next_question(target, item, 0) or target.questions[0].key
    state.sub = GroupCursor(view="item", question=first, item=item, parent=parent, path=path)
    state.selection = None


def start_edit(group: Group, state: State, index: int) -> None:
    """Open the known item ``index`` of a fixed list to change it; answered, the list is done (the edit returns
    to the screen that opened it)."""
    start_item(group, state, parent=None, path=[index])


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


def parent_item(group: Group, state: State) -> dict[str, Any] | None:
    """The stored parent of the sub-item being answered (new or changed), for checks against it; None for a
    top-level item."""
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
    return Slot(question, state.answers, item, item, parent_item(group, state))


def first_pending(group: Group, state: State) -> int | None:
    """The first known item with an unanswered question (fixed lists)."""
    for index, item in enumerate(state.answers.get(group.key, [])):
        if any(applies(q.when, item) and q.key not in item for q in group.questions):
            return index
    return None


def exists(group: Group, state: State, path: list[int]) -> bool:
    """Whether ``path`` still names a stored item (a saved position may outlive an item removed since)."""
    items = state.answers.get(group.key, [])
    if path[0] >= len(items):
        return False
    return len(path) == 1 or path[1] < len(items[path[0]].get(children_key(group), []))


def commit(group: Group, state: State, out: Output) -> None:
    """Store the item being answered (added, or replacing the one at its path, answers no longer asked dropped),
    acknowledge it, and return to the list (or to the new item's sub-items)."""
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
            out.replace_last("ack.answer", "ack.item_updated", item=render(target.item),
                             summary=item_summary(target, existing))
    elif sub.parent is not None:
        items[sub.parent].setdefault(children_key(group), []).append(item)
        out.replace_last("ack.answer", "ack.item_added", item=render(target.item), summary=item_summary(target, item))
    else:
        items.append(item)
        new_parent = len(items) - 1
        out.replace_last("ack.answer", "ack.item_added", item=render(target.item), summary=item_summary(target, item))
    out.save()
    state.sub = GroupCursor(view="child", parent=new_parent) if group.children and new_parent is not None \
        else GroupCursor()
