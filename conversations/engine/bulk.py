"""A repeat group's list typed in one message: read line by line, shown as a card to confirm, then added.

A group declares ``bulk=`` the name of a line splitter (``conversations/parsers/lines.py``); each line's words are
read by the item questions' own parsers and checks, exactly as when answered one at a time. Lines that cannot be
read are named (line number, what is wrong, the format accepted); the lines read are kept on the card
(``GroupCursor`` view ``bulk``, its ``item`` holding ``items``, ``under``, ``wrong`` and ``outlines``, the outline
number each item was typed with) while the person types the wrong lines again, and are added only on ✅ ยืนยัน.
A sub-item typed again finds its parent among the card's items by that number, else among the list's own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from conversations.copy import render
from conversations.engine.answers import parse_typed
from conversations.engine.context import Context
from conversations.engine.nav import Input, Nav
from conversations.engine.output import Output
from conversations.engine.questions import Slot, applies, options_for, prefill, run_check
from conversations.engine.state import State
from conversations.engine.substates import GroupCursor
from conversations.flows.flow import Group, label_key
from conversations.parsers.choices import yes_or_no
from conversations.parsers.errors import InvalidAnswer
from conversations.parsers.lines import SPLITTERS, lines_of, looks_structured
from conversations.parsers.thai_text import excerpt

CARD = "bulk"
RETYPE = "retype"  # the card's ✏️: the next message replaces what was read


def takes(group: Group, text: str) -> bool:
    """Whether typed text is a list in one message for this group: several lines, or one line in the full
    one-line format (a single plain name stays the one-at-a-time answer it always was)."""
    if not group.bulk:
        return False
    lines = [line for line in text.splitlines() if line.strip()]
    return len(lines) > 1 or (len(lines) == 1 and looks_structured(group.bulk, lines[0]))


def _children_key(group: Group) -> str:
    return group.children.key if group.children is not None else ""


def _item(target: Group, fields: dict[str, str], answers: dict[str, Any], parent: dict[str, Any] | None,
          ctx: Context) -> dict[str, Any]:
    """One item from a line's words, each read by its question's parser and check; :class:`InvalidAnswer`."""
    item: dict[str, Any] = {}
    for question in target.questions:
        if not applies(question.when, item):
            continue
        words = fields.get(question.key)
        known = prefill(question, ctx, answers) if words is None else None
        if words is None and known is None:
            if question.optional:
                continue
            raise InvalidAnswer("bulk.missing", what=render(label_key(question)))
        values = {option.value for option in question.options}
        if words is None:
            value = known  # left out where a value is known (a province line: the office's province)
        elif words in values:
            value = words
        else:
            value = parse_typed(question, words, options_for(question, ctx, answers), item)
        run_check(Slot(question, answers, item, item, parent), value)
        item[question.key] = value
    return item


@dataclass(slots=True)
class _Reading:
    """A message being read: the items so far, sub-items of listed items, the wrong lines, and which outline
    numbers were read (or were wrong), so a sub-item finds its parent in the same message."""

    group: Group
    answers: dict[str, Any]
    ctx: Context
    items: list[dict[str, Any]] = field(default_factory=list)
    under: list[dict[str, Any]] = field(default_factory=list)
    wrong: list[dict[str, Any]] = field(default_factory=list)
    by_outline: dict[str, dict[str, Any]] = field(default_factory=dict)
    failed: set[str] = field(default_factory=set)
    outlines: dict[str, int] = field(default_factory=dict)

    def line(self, number: int, line: str) -> None:
        """Read one line into an item, a sub-item or a wrong line."""
        outline = ""
        try:
            outline, fields = SPLITTERS[self.group.bulk](line)
            if "." in outline and self.group.children is not None:
                self.child(outline.split(".")[0], fields)
                return
            item = _item(self.group, fields, self.answers, None, self.ctx)
        except InvalidAnswer as problem:
            if outline:
                self.failed.add(outline)
            self.wrong.append(_wrong(number, line, problem))
            return
        self.items.append(item)
        if outline:
            self.by_outline[outline] = item
            self.outlines[outline] = len(self.items) - 1

    def child(self, parent_number: str, fields: dict[str, str]) -> None:
        """A sub-item under its parent in this message, else under the listed item of that number."""
        assert self.group.children is not None
        existing: list[dict[str, Any]] = self.answers.get(self.group.key, [])
        parent = self.by_outline.get(parent_number)
        if parent is None and parent_number in self.failed:
            raise InvalidAnswer("bulk.parent_wrong", number=parent_number)
        if parent is None and not 1 <= int(parent_number) <= len(existing):
            raise InvalidAnswer("bulk.no_parent", number=parent_number)
        holder = parent if parent is not None else existing[int(parent_number) - 1]
        child = _item(self.group.children, fields, self.answers, holder, self.ctx)
        if parent is not None:
            parent.setdefault(_children_key(self.group), []).append(child)
        else:
            self.under.append({"parent": int(parent_number) - 1, "item": child})


def read(group: Group, state: State, text: str, ctx: Context, card: dict[str, Any] | None = None) -> dict[str, Any]:
    """What the message holds: ``items`` (new items, sub-items inside), ``under`` (sub-items of items already in
    the list: ``{"parent": index, "item": …}``), ``wrong`` (``{"line", "text", "reason", "params"}``) and
    ``outlines`` (outline number → index in ``items``). ``card``: what a card already holds, whose items a
    sub-item typed now may belong under (the sub-item goes inside that item of the card)."""
    try:
        lines = lines_of(text)
    except InvalidAnswer as problem:
        return {"items": [], "under": [], "wrong": [_wrong(0, text, problem)], "outlines": {}}
    reading = _Reading(group, state.answers, ctx)
    if card is not None:
        reading.by_outline.update(_card_outlines(card, len(state.answers.get(group.key, []))))
    for number, line in lines:
        reading.line(number, line)
    return {"items": reading.items, "under": reading.under, "wrong": reading.wrong, "outlines": reading.outlines}


def _card_outlines(card: dict[str, Any], listed: int) -> dict[str, dict[str, Any]]:
    """The card's items by the outline number they were typed with (a card kept before the numbers were: by
    their place after the ``listed`` items already in the list)."""
    items: list[dict[str, Any]] = card.get("items", [])
    outlines: dict[str, int] = card.get("outlines") or {str(listed + index + 1): index for index in range(len(items))}
    return {outline: items[index] for outline, index in outlines.items() if 0 <= index < len(items)}


def _wrong(number: int, line: str, problem: InvalidAnswer) -> dict[str, Any]:
    params = {name: value if isinstance(value, int) else str(value) for name, value in problem.params.items()}
    return {"line": number, "text": excerpt(line), "reason": problem.reason, "params": params}


def count(found: dict[str, Any]) -> int:
    """How many items and sub-items the card holds."""
    items: list[dict[str, Any]] = found.get("items", [])
    nested = sum(len(value) for item in items for value in item.values() if isinstance(value, list)
                 and value and isinstance(value[0], dict))
    return len(items) + nested + len(found.get("under", []))


def take(group: Group, state: State, text: str, ctx: Context, out: Output) -> None:
    """Read a typed list: the card when any line was read (on the card, the lines read join those kept there,
    or replace them after ✏️), else the problems, with the question on screen asked again."""
    sub = state.sub if isinstance(state.sub, GroupCursor) and state.sub.view == CARD else None
    kept = sub.item if sub is not None and sub.purpose != RETYPE else None
    found = read(group, state, text, ctx, kept)
    if kept is not None:
        before: list[dict[str, Any]] = kept.get("items", [])
        outlines = {**kept.get("outlines", {}), **{outline: len(before) + index
                                                   for outline, index in found["outlines"].items()}}
        found = {"items": before + found["items"], "under": kept.get("under", []) + found["under"],
                 "wrong": found["wrong"], "outlines": outlines}
    if count(found) == 0:
        for problem in found["wrong"]:
            out.say("bulk.wrong_line", line=problem["line"], text=problem["text"],
                    problem=render(problem["reason"], **problem["params"]))
        out.say(f"bulk.{group.bulk}.format")
        return
    state.sub = GroupCursor(view=CARD, item=found)
    state.selection = None


def handle_card(group: Group, state: State, inp: Input, ctx: Context, out: Output) -> bool:
    """The card's buttons, or more lines typed; True when the list is added and the person is done with it (one
    tap where ✅ and then the list's "done" took two: a list typed in one message is usually the whole list)."""
    sub = state.sub
    assert isinstance(sub, GroupCursor)
    answer = yes_or_no(inp.text) if inp.text is not None and sub.purpose != RETYPE else None
    action = inp.action if answer is None else (Nav.YES if answer else Nav.NO)  # "ใช่" typed is ✅, never a line
    if inp.text is not None and answer is None:
        take(group, state, inp.text, ctx, out)
    elif action is Nav.YES:
        _add(group, state, sub.item, out)
    elif action is Nav.DONE:
        _add(group, state, sub.item, out)
        if len(state.answers.get(group.key, [])) >= group.min_items:
            return True
        out.say("problem.too_few", count=group.min_items, item=render(group.item))
    elif action is Nav.EDIT:
        sub.purpose = RETYPE
    elif action is Nav.NO:
        out.say("bulk.dropped", count=count(sub.item))
        state.sub = GroupCursor()
    else:
        out.say("group.use_buttons")
    return False


def add(group: Group, answers: dict[str, Any], found: dict[str, Any]) -> None:
    """Put what was read into the list: the new items at its end, sub-items under their listed parents."""
    items: list[dict[str, Any]] = answers.setdefault(group.key, [])
    items.extend(found.get("items", []))
    for child in found.get("under", []):
        if 0 <= child["parent"] < len(items):
            items[child["parent"]].setdefault(_children_key(group), []).append(child["item"])


def _add(group: Group, state: State, found: dict[str, Any], out: Output) -> None:
    add(group, state.answers, found)
    out.say("bulk.added", count=count(found), item=render(group.item))
    out.save()
    state.sub = GroupCursor()
