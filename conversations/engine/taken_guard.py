"""A text that looks like another item of a list just taken, typed at the question after it: asked about first.

After a list is taken in one message (``engine/taken.py``) the next question is asked with the list's ➕ under
it. A person still thinking of the list may type one more item there (a second objective, starting "เพื่อ"),
which would otherwise be stored as that question's answer. While the ➕ is live, a text that matches the list's
``Group.item_hint`` is held, not stored, and the person is asked which it is: "➕ เพิ่มเป็น…" adds it to the list
(the question is asked again, its ➕ still there) and "✔️ ใช้ตอบข้อนี้" stores it as the answer. The text held is
``State.taken["held"]``, plain JSON, so a restart keeps the question.
"""

from __future__ import annotations

import dataclasses

from conversations.copy import render
from conversations.engine import bulk, taken
from conversations.engine.context import Context
from conversations.engine.nav import Input
from conversations.engine.output import Output
from conversations.engine.picks import Pick, value
from conversations.engine.state import State
from conversations.flows.flow import ITEM_HINT_STRUCTURED, Flow, Group
from conversations.messages import Choice, Reply
from conversations.parsers.lines import looks_structured
from conversations.parsers.thai_text import excerpt, normalize_text
from conversations.tokens import encode

MORE, ANSWER = value(Pick.TAKEN, "more"), value(Pick.TAKEN, "answer")  # the two buttons of the question
HELD = "held"


def looks_like_item(group: Group, text: str) -> bool:
    """Whether every line of ``text`` reads as an item of ``group`` by its declared hint."""
    lines = [normalize_text(line) for line in text.splitlines() if line.strip()]
    if not group.item_hint or not lines:
        return False
    if group.item_hint == ITEM_HINT_STRUCTURED:
        return all(looks_structured(group.bulk, line) for line in lines)
    return all(line.startswith(group.item_hint) for line in lines)


def handle(flow: Flow, state: State, step: object, inp: Input, ctx: Context, out: Output) -> Input | None:
    """Hold a text that looks like another item, or settle a text held: None when the input is dealt with,
    else the input to handle as the question's own (the text held, when it is to answer the question). A text
    the step on screen reads as its own list (budget lines after activities) is its own, never held."""
    group = taken.live_group(flow, state)
    if group is None:
        return inp
    held = state.taken.pop(HELD, None)
    if isinstance(held, str) and inp.value == ANSWER:
        return Input(text=held)
    if isinstance(held, str) and inp.value == MORE:
        _add(group, state, held, ctx, out)
        return None
    own = isinstance(step, Group) and bulk.takes(step, inp.text or "")
    if inp.text is not None and not own and looks_like_item(group, inp.text):
        state.taken[HELD] = inp.text
        out.say("taken.which", text=excerpt(inp.text), item=render(group.item))
        return None
    return inp


def _add(group: Group, state: State, text: str, ctx: Context, out: Output) -> None:
    """The text held added to the list (its wrong lines named, nothing of them added)."""
    found = bulk.read(group, state, text, ctx)
    for problem in found["wrong"]:
        out.say("bulk.wrong_line", line=problem["line"], text=problem["text"],
                problem=render(problem["reason"], **problem["params"]))
    if bulk.count(found) == 0:
        out.say(f"bulk.{group.bulk}.format")
        return
    bulk.add(group, state.answers, found)
    out.say("bulk.added", count=bulk.count(found), item=render(group.item))
    out.save()


def with_buttons(flow: Flow, state: State, reply: Reply) -> Reply:
    """The question with the two buttons first while a text is held."""
    group = taken.live_group(flow, state)
    if group is None or not isinstance(state.taken.get(HELD), str):
        return reply
    pairs = [(MORE, render(f"taken.{group.bulk}.another")), (ANSWER, render("taken.answer_here"))]
    state.offered = [*state.offered, *(choice for choice, _ in pairs)]
    extra = tuple(Choice(encode(state.prompt, choice), label) for choice, label in pairs)
    return dataclasses.replace(reply, choices=extra + reply.choices)
