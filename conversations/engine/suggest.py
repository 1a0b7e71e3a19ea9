"""A typed name that means an official one (its start, or a typo) is matched to it and confirmed first.

Used by questions declared ``near=True`` (M2's budget plan): what the owner typed is stored as typed only when
they say so; a name matching several official ones offers those as buttons. The pending match lives in the
step's sub-state (``near`` of a question's view or a group's cursor) while the question stays on screen.
"""

from __future__ import annotations

from typing import Any, Protocol

from pythainlp.util import thai_digit_to_arabic_digit

from conversations.copy import render
from conversations.flows.flow import Question
from conversations.parsers.choices import parse_text, yes_or_no
from conversations.parsers.errors import InvalidAnswer
from conversations.parsers.near import fold, near_names

KEEP_TYPED = "=typed"  # the button keeping the words as typed
Options = list[tuple[str, str]]


class HoldsNear(Protocol):
    """A sub-state that keeps a pending near match (a question's view, a group's cursor)."""

    near: dict[str, Any] | None


def pending(state_sub: HoldsNear, question: Question) -> dict[str, Any] | None:
    """The match waiting for the owner's word on this question, if any."""
    waiting = state_sub.near
    return waiting if isinstance(waiting, dict) and waiting.get("key") == question.key else None


def pressed(state_sub: HoldsNear, question: Question, value: str) -> str | None:
    """The words as typed, when the button keeping them was pressed; else None."""
    waiting = pending(state_sub, question)
    return str(waiting["typed"]) if waiting is not None and value == KEEP_TYPED else None


def typed(state_sub: HoldsNear, question: Question, text: str, options: Options) -> str | None:
    """The answer a typed text gives, or None when a match is to be confirmed first (kept in ``state_sub``).

    Raises:
        InvalidAnswer: the text is not acceptable as an answer (empty, too long), or "no" was typed to a match.
    """
    waiting = pending(state_sub, question)
    if waiting is not None:
        answer = _reply_to_match(waiting, text)
        if answer is not None:
            return answer
    words = parse_text(text, max_length=question.max_length)
    names = near_names(words, [label for _, label in options])
    if not names:
        return words
    if len(names) == 1 and fold(names[0]) == fold(words):
        return names[0]  # the official name itself (spaces aside)
    state_sub.near = {"key": question.key, "typed": words, "names": names}
    return None


def _reply_to_match(waiting: dict[str, Any], text: str) -> str | None:
    """"ใช่" takes the one match; a candidate's number (as listed) takes it; the words of the keep button keep
    the typed text; "ไม่ใช่" asks again. "ใช่" to several candidates asks which (never stored as the name)."""
    names = [str(name) for name in waiting["names"]]
    if fold(text) == fold(render("near.keep")):
        return str(waiting["typed"])
    number = thai_digit_to_arabic_digit(text.strip().rstrip("."))
    if number.isascii() and number.isdigit() and len(names) > 1:  # "²" is a digit to str.isdigit, not a number
        if 1 <= int(number) <= len(names):
            return names[int(number) - 1]
        raise InvalidAnswer("near.pick", count=len(names))
    yes = yes_or_no(text)
    if yes is None:
        return None  # a new answer: matched afresh
    if yes and len(names) == 1:
        return names[0]
    if yes:
        raise InvalidAnswer("near.pick", count=len(names))
    waiting.clear()
    raise InvalidAnswer("near.retype")


def screen(waiting: dict[str, Any], options: Options) -> tuple[str, list[tuple[str, str]]]:
    """The confirmation: its text and its buttons (the match's own, or each candidate's, and keep as typed)."""
    value_of = {label: value for value, label in options}
    names = [name for name in waiting["names"] if name in value_of]
    keep = (KEEP_TYPED, render("near.keep"))
    if len(names) == 1:
        return (render("near.one", name=names[0], typed=waiting["typed"]),
                [(value_of[names[0]], render("near.yes")), keep])
    listed = "\n".join(f"{index}. {name}" for index, name in enumerate(names, start=1))
    return (render("near.many", names=listed, typed=waiting["typed"]),
            [(value_of[name], name) for name in names] + [keep])
