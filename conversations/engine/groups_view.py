"""How a repeat group looks on screen: the item being filled, the list, a pick, an offer, a confirmation."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from conversations.copy import render
from conversations.engine import batch, bulk, carried_texts, taken
from conversations.engine.answers import display
from conversations.engine.context import Context
from conversations.engine.groups import (
    ALL,
    children_key,
    cursor,
    item_group,
    locate,
    previous_text,
    question_index,
    slot,
)
from conversations.engine.nav import Nav, nav
from conversations.engine.output import buttons, present
from conversations.engine.questions import Slot, applies, render_question, step_position
from conversations.engine.state import State
from conversations.engine.status import item_label
from conversations.engine.views import budget_totals, item_summary, numbered_items
from conversations.flows.flow import Group, Kind
from conversations.formatting import shorten
from conversations.messages import InputHint, Reply

Navigation = list[tuple[str, str]]
ABOUT_LIMIT = 60


def _item_number(group: Group, state: State) -> str:
    """The item's number as the lists show it: ``2``, ``2.1`` for a sub-item, a report item's own number."""
    sub = cursor(state)
    path = sub.path
    if path is not None and len(path) == 2:
        return f"{int(path[0]) + 1}.{int(path[1]) + 1}"
    if path is not None:
        return item_label(locate(group, state, list(path)), int(path[0]) + 1)
    if sub.parent is not None:
        parent = int(sub.parent)
        return f"{parent + 1}.{len(state.answers[group.key][parent].get(children_key(group), [])) + 1}"
    return str(len(state.answers.get(group.key, [])) + 1)


def _item_about(group: Group, state: State) -> str:
    """Which item the question belongs to, so a question resumed days later says so: what the item already
    holds (its name, the answers so far) or, for a new sub-item, its parent."""
    sub = cursor(state)
    target = item_group(group, sub)
    item = sub.item
    asked = {question.key for question in target.questions}
    parts = [str(item["name"])] if isinstance(item.get("name"), str) and "name" not in asked else []
    parts += [display(question, item[question.key]) for question in target.questions
              if question.key != sub.question and question.key in item and applies(question.when, item)]
    if parts:
        return render("header.item_about", summary=shorten(" · ".join(parts), ABOUT_LIMIT))
    if sub.parent is not None:
        parent = state.answers[group.key][int(sub.parent)]
        return render("header.item_under", parent=shorten(str(parent.get("name", "")), ABOUT_LIMIT))
    return ""


def render_group(group: Group, state: State, ctx: Context, identity: str, header: str,
                 navigation: Navigation) -> Reply:
    """The group's current screen."""
    sub = cursor(state)
    mode = sub.view
    if mode == "item":
        target = item_group(group, sub)
        count = _item_number(group, state)
        step, steps = step_position(target.questions, sub.item, question_index(target, sub.question) or 0)
        item_header = render("header.item", header=header, item=render(target.item), number=count,
                             about=_item_about(group, state), step=step, steps=steps)
        if group.help and target is group and not state.answers.get(group.key):
            item_header = f"{render(group.help)}\n{item_header}"
        if group.batch and sub.origin != "menu" and not any(
                question.key in item for item in (*state.answers.get(group.key, []), sub.item)
                for question in group.questions):
            item_header = f"{item_header}\n{batch.prompt(group, state)}"  # all of them in one message, or by taps
        asked = slot(group, state)
        if group.same_for_all and target is group:
            asked, item_header, navigation = _same_for_all(group, state, asked, item_header, navigation)
        shown = f"{identity}:item:{sub.path}:{sub.question}" + (":all" if sub.purpose == ALL else "")  # as before
        last = carried_texts.hint(group, state.answers.get(group.key, [])) if sub.purpose == ALL else ""
        lead = [(nav(Nav.KEEP), render("nav.same_as_last"))] if last else []  # first, as for any carried answer
        at_once = taken.applies(group, state)  # the whole list in one message, then on
        if at_once and taken.offers_one_by_one(group):
            value, label = taken.ONE_BY_ONE_BUTTON
            navigation = [(value, render(label)), *navigation]
        elif sub.purpose == taken.ONE_BY_ONE:
            shown = f"{shown}:one"
        reply = render_question(asked, state, ctx, shown, item_header, navigation, lead=lead)
        reply = replace(reply, text=f"{reply.text}\n{last}") if last else reply  # each plan's text of last quarter
        if at_once:
            reply = replace(reply, text=f"{reply.text}\n{render(f'taken.{group.bulk}.how')}")
        elif group.bulk and target is group and sub.path is None and sub.question == group.questions[0].key:
            reply = replace(reply, text=f"{reply.text}\n{render(f'bulk.{group.bulk}.how')}")  # or the whole list
        return reply
    if mode == bulk.CARD:
        return _card(group, state, identity, header)
    items = numbered_items(group, state.answers.get(group.key, []))
    listing = "\n".join(f"{number}. {text}" for number, text in items) or render("value.none")
    if mode == "child" and group.children is not None:
        parent = state.answers[group.key][sub.parent or 0]
        text = render("group.offer_child", child=render(group.children.item),
                      parent=shorten(parent.get("name", ""), 60))
        pairs = [(nav(Nav.ADD_CHILD), render("nav.add_item", item=render(group.children.item))),
                 (nav(Nav.NO), render("nav.no_more"))]
        return _screen(state, f"{identity}:child:{sub.parent}", text, pairs, [])
    if mode == "pick":
        purpose = sub.purpose or "edit"
        choices = [(number, text) for number, text in items if purpose != "child" or "." not in number]
        text = render(f"group.pick.{purpose}", item=render(group.item), items=listing)
        pairs = [(f"i{number}", f"{number} {shorten(summary, 30)}") for number, summary in choices]
        # typed numbers are item numbers (1.2), not button positions
        return _screen(state, f"{identity}:pick:{purpose}", text, pairs, [(nav(Nav.BACK), render("nav.back"))],
                       hint=InputHint.NUMBER)
    if mode == "confirm":
        doomed = locate(group, state, list(sub.path or []))
        children = len(doomed.get(children_key(group), []))
        text = render("group.confirm_remove", item=render(group.item), summary=item_summary(group, doomed),
                      count=children)
        pairs = [(nav(Nav.YES), render("group.confirm_remove.yes")), (nav(Nav.NO), render("group.confirm_remove.no"))]
        return _screen(state, f"{identity}:confirm:{sub.path}", text, pairs, [])
    if group.totals and items:
        listing += "\n" + "\n".join(f"{label}: {value}" for label, value in budget_totals(state.answers[group.key]))
    typed = group.questions[0].kind in (Kind.TEXT, Kind.LONG_TEXT)  # typing adds only where a name comes first
    text = render("group.menu_fixed" if group.fixed else "group.menu", header=header, item=render(group.item),
                  items=listing, typed=_typed_note(group, typed),
                  help=render(group.help) if group.help else "")
    pairs = [] if group.fixed else [(nav(Nav.ADD), render("nav.add_item", item=render(group.item)))]
    if group.children is not None and items:
        pairs.append((nav(Nav.ADD_CHILD), render("nav.add_item", item=render(group.children.item))))
    if items:
        pairs.append((nav(Nav.EDIT), render("nav.edit")))
    if items and not group.fixed:
        pairs.append((nav(Nav.REMOVE), render("nav.remove")))
    pairs.append((nav(Nav.DONE), render("nav.done")))
    return _screen(state, f"{identity}:menu", text, pairs, navigation)


def _typed_note(group: Group, typed: bool) -> str:
    """What typing on the list does: add an item, or (for a group that takes one) the whole list at once."""
    note = render("group.menu.typed") if typed else ""
    return f"{note}\n{render(f'bulk.{group.bulk}.how')}" if group.bulk else note


def _card_lines(group: Group, state: State, found: dict[str, Any]) -> list[str]:
    """The items read, numbered where they will go in the list, sub-items under their parents."""
    existing = state.answers.get(group.key, [])
    child = group.children
    lines = []
    for index, item in enumerate(found.get("items", []), start=len(existing) + 1):
        lines.append(f"{index}. {item_summary(group, item)}")
        if child is not None:
            lines += [f"   {index}.{number} {item_summary(child, sub)}"
                      for number, sub in enumerate(item.get(child.key, []), start=1)]
    if child is not None:
        added: dict[int, int] = {}
        for entry in found.get("under", []):
            parent = int(entry["parent"])
            added[parent] = added.get(parent, 0) + 1
            number = len(existing[parent].get(child.key, [])) + added[parent] if parent < len(existing) else 0
            lines.append(f"   {parent + 1}.{number} {item_summary(child, entry['item'])}")
    return lines


def _card(group: Group, state: State, identity: str, header: str) -> Reply:
    """The list read from one message, to confirm; the lines that could not be read, each with what is wrong."""
    sub = cursor(state)
    found = sub.item
    wrong = "\n".join(render("bulk.wrong_line", line=problem["line"], text=problem["text"],
                             problem=render(problem["reason"], **problem["params"])) for problem in found["wrong"])
    if wrong:
        wrong = render("bulk.card.wrong", lines=wrong, format=render(f"bulk.{group.bulk}.format"))
    key = "bulk.retype" if sub.purpose == bulk.RETYPE else "bulk.card"
    text = render(key, header=header, item=render(group.item), count=bulk.count(found),
                  items="\n".join(_card_lines(group, state, found)), wrong=wrong)
    if sub.purpose == bulk.RETYPE:
        pairs = [(nav(Nav.BACK), render("nav.back"))]
        return _screen(state, f"{identity}:bulk:retype", text, pairs, [], hint=InputHint.TEXT)
    pairs = [(nav(Nav.DONE), render("bulk.confirm_done")),
             (nav(Nav.YES), render("bulk.confirm", count=bulk.count(found))), (nav(Nav.EDIT), render("nav.edit")),
             (nav(Nav.NO), render("bulk.drop"))]
    return _screen(state, f"{identity}:bulk:{bulk.count(found)}:{len(found['wrong'])}", text, pairs, [],
                   hint=InputHint.TEXT)
def _same_for_all(group: Group, state: State, asked: Slot, header: str,
                  navigation: Navigation) -> tuple[Slot, str, Navigation]:
    """A list of one text each: first one text for every item (the items listed, "answer each" a button);
    answering item by item, the text of the item before is offered for this one and the rest."""
    sub = cursor(state)
    if sub.purpose == ALL:
        items = state.answers.get(group.key, [])
        listing = "\n".join(f"{index}. {item.get('code', '')} {shorten(str(item.get('title', '')), ABOUT_LIMIT)}"
                            for index, item in enumerate(items, start=1))
        # last quarter's texts are each plan's own: listed here, not the first plan's shown as everyone's
        question = replace(asked.question, prompt=f"{asked.question.prompt}.all", carried="")
        return (Slot(question, asked.answers, asked.target, asked.item, asked.parent),
                render("header.same_for_all", header=header.split("\n")[0], items=listing),
                [(nav(Nav.PICK), render("nav.each_item")), *navigation])
    previous = previous_text(group, state)
    if not previous:
        return asked, header, navigation
    return (asked, f"{header}\n{render('hint.previous_text', text=shorten(previous, ABOUT_LIMIT))}",
            [(nav(Nav.DONE), render("nav.same_for_all")), *navigation])


def _screen(state: State, identity: str, text: str, pairs: Navigation, navigation: Navigation,
            hint: InputHint = InputHint.CHOICE) -> Reply:
    present(state, identity)
    return Reply(text=text, choices=buttons(state, pairs + navigation), hint=hint)
