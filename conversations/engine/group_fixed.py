"""A fixed list (a report's KPIs, activities, plan contributions) answered several items at once: one text for every
item (same-for-all), each item's own text of last quarter (carried), or every activity's progress in one message.

Split from ``groups``, which hands these inputs here; each stores what was given and says where the list goes next.
"""

from __future__ import annotations

from conversations.engine import batch, carried_texts
from conversations.engine.group_cursor import commit, cursor, first_pending, question_index, start_item
from conversations.engine.nav import Input, Nav
from conversations.engine.output import Output
from conversations.engine.questions import applies
from conversations.engine.state import State
from conversations.engine.substates import GroupCursor
from conversations.flows.flow import Group

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


def fill_rest(group: Group, state: State, value: object, out: Output) -> None:
    """Give every item not yet answered the same first answer (one text for all), saying how many took it."""
    key = group.questions[0].key
    rest = [item for item in state.answers.get(group.key, []) if key not in item]
    for item in rest:
        item[key] = value
    if rest:
        out.say("rep.same_for_all_taken", count=len(rest))  # the item on screen is among them


def one_text(group: Group, state: State, inp: Input, out: Output) -> bool:
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
    fill_rest(group, state, text, out)
    return answered_together(group, state, out)


def last_texts(group: Group, state: State, out: Output) -> bool:
    """"เหมือนไตรมาสก่อน" on the one-text question: every item takes its own text of last quarter; those that had
    none are then asked one by one."""
    sub = cursor(state)
    taken = carried_texts.take(group, state.answers.get(group.key, []), sub.item, (sub.path or [0])[0])
    if not taken:  # a button of an older screen: nothing of last quarter is left to take
        out.say("nav.nothing_to_keep")
        return False
    out.say("rep.same_as_last_taken", count=taken)
    sub.purpose = ""
    return answered_together(group, state, out)


def answered_together(group: Group, state: State, out: Output) -> bool:
    """After several items were answered at once: keep the one on screen, then the first item still unanswered
    (True when there is none and the list was not opened from its menu)."""
    sub = cursor(state)
    origin = sub.origin
    commit(group, state, out)
    pending = first_pending(group, state)
    if origin == "menu" or pending is not None:
        if origin != "menu" and pending is not None:
            start_item(group, state, parent=None, path=[pending])
        return False
    return True


def whole_list(group: Group, state: State, text: str, out: Output) -> bool:
    """The whole list answered in one message; True when the fixed list is then complete (from the list
    itself, the list stays on screen with the new answers)."""
    from_menu = cursor(state).view == "menu" or cursor(state).origin == "menu"
    batch.apply(group, state, text, out)
    pending = first_pending(group, state)
    if pending is None:
        state.sub = GroupCursor()
        return not from_menu
    if not from_menu:
        start_item(group, state, parent=None, path=[pending])
    return False


def carried(target: Group, key: str) -> bool:
    """Whether the item question ``key`` is carried from last quarter (taken along by one "เหมือนไตรมาสก่อน"); an
    answer kept while editing (✔️ ใช้ค่านี้) goes on to the next question, so every later one can still be changed."""
    index = question_index(target, key)
    return index is not None and bool(target.questions[index].carried)


def carry_on(target: Group, sub: GroupCursor) -> None:
    """"เหมือนไตรมาสก่อน" takes the item's later carried answers too (in progress, then its 60%), unless they
    were already given."""
    start = (question_index(target, sub.question) or 0) + 1
    for question in target.questions[start:]:
        if question.carried in sub.item and question.key not in sub.item and applies(question.when, sub.item):
            sub.item[question.key] = sub.item[question.carried]
