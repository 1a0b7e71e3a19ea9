"""What each kind of question accepts, how its answer is kept in JSON, and how it is shown back in Thai."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from conversations.copy import render
from conversations.copy.reference import PROVINCES
from conversations.flows.flow import Kind, Question
from conversations.formatting import (
    baht_words,
    format_date,
    format_money,
    format_number,
    format_percent,
    format_quarters,
    shorten,
)
from conversations.parsers.choices import (
    exact_choice,
    match_choice,
    parse_fiscal_year,
    parse_quarters,
    parse_text,
    parse_yes_no,
)
from conversations.parsers.contacts import parse_email, parse_phone
from conversations.parsers.dates import parse_date
from conversations.parsers.errors import InvalidAnswer
from conversations.parsers.numbers import parse_money, parse_number, parse_percent
from conversations.parsers.provinces import parse_province
from conversations.parsers.quarter_plan import parse_quarter_plan
from conversations.parsers.thai_text import excerpt

ECHO_LIMIT = 120
Options = list[tuple[str, str]]  # (value, Thai label)


def parse_typed(question: Question, text: str, options: Options, item: dict[str, Any]) -> Any:
    """The JSON value of a typed answer, or :class:`InvalidAnswer`."""
    kind = question.kind
    if kind in (Kind.MONEY, Kind.NUMBER) and options and (pressed := exact_choice(text, options)) is not None:
        return button_answer(question, pressed, options)
    if kind is Kind.TEXT and question.accepts == "province":  # a text that must name one of the 77
        return parse_province(text, PROVINCES)
    if kind in (Kind.TEXT, Kind.LONG_TEXT):
        return parse_text(text, max_length=question.max_length, multiline=kind is Kind.LONG_TEXT)
    if kind is Kind.CHOICE:
        return match_choice(text, options)
    if kind is Kind.YES_NO:
        return parse_yes_no(text)
    if kind is Kind.DATE:
        return parse_date(text).isoformat()
    if kind is Kind.MONEY:
        return str(_money(question, text))
    if kind is Kind.NUMBER:
        return str(parse_number(text))
    if kind is Kind.PERCENT:
        return parse_percent(text)
    if kind is Kind.EMAIL:
        return parse_email(text)
    if kind is Kind.PHONE:
        return parse_phone(text)
    if kind is Kind.QUARTERS:
        return list(parse_quarters(text))
    if kind is Kind.FISCAL_YEAR:
        return parse_fiscal_year(text)
    if kind is Kind.QUARTER_PLAN:
        amount = Decimal(str(item.get("amount", "0")))
        return [str(value) for value in parse_quarter_plan(text, amount)]
    if kind is Kind.MULTI:
        picked = [match_choice(part, options) for part in _split_list(text)]
        if not picked:  # only separators typed: the message quotes what was typed, as match_choice's does
            raise InvalidAnswer("invalid.choice.unknown", text=excerpt(text), count=len(options))
        return multi_answer(question, picked, options)
    raise InvalidAnswer("invalid.unsupported")


def _split_list(text: str) -> list[str]:
    parts = [part.strip() for part in text.replace("、", ",").replace(";", ",").replace("\n", ",").split(",")]
    return [part for part in parts if part]


def multi_answer(question: Question, values: list[str], options: Options) -> list[str]:
    """A multi-select answer in option order: option values, or labels for a dynamic source."""
    chosen = set(values)
    if question.source:
        return [label for value, label in options if value in chosen]
    return [value for value, _ in options if value in chosen]


def multi_selected(question: Question, answer: Any, options: Options) -> list[str]:
    """The option values ticked by a stored multi-select answer (the inverse of :func:`multi_answer`)."""
    stored = set(answer or [])
    if question.source:
        return [value for value, label in options if label in stored]
    return [value for value, _ in options if value in stored]


def button_answer(question: Question, value: str, options: Options) -> Any:
    """The JSON value of a pressed option button, or :class:`InvalidAnswer` for a value not offered."""
    labels = dict(options)
    if question.kind is Kind.YES_NO:
        if value in ("y", "n"):
            return value == "y"
    elif question.kind in (Kind.TEXT, Kind.LONG_TEXT) and value in labels:
        return labels[value]
    elif question.kind is Kind.FISCAL_YEAR and value in labels:
        return int(value)
    elif question.kind is Kind.CHOICE and value in labels:
        return value
    elif question.kind in (Kind.MONEY, Kind.NUMBER) and value in labels:
        return value  # a figure offered as a button: "0" for "ยังไม่ได้เบิกจ่าย"
    raise InvalidAnswer("invalid.choice.unknown", text=excerpt(value), count=len(options))


def display(question: Question, value: Any, options: Options | None = None) -> str:
    """The stored answer in Thai, for echoes, cards and lists."""
    if value is None:
        return render(question.unknown or "value.skipped")
    kind = question.kind
    labels = dict(options or [])
    static = {option.value: render(option.label) for option in question.options}
    if kind is Kind.YES_NO:
        return render("value.yes" if value else "value.no")
    if kind is Kind.CHOICE:
        return static.get(value) or labels.get(value) or str(value)
    if kind is Kind.MULTI:
        return ", ".join(static.get(item, item) for item in value) if value else render("value.none")
    if kind is Kind.DATE:
        return format_date(date.fromisoformat(value))
    if kind is Kind.MONEY:
        return format_money(Decimal(value))
    if kind is Kind.NUMBER:
        return format_number(Decimal(value))
    if kind is Kind.PERCENT:
        return format_percent(value)
    if kind is Kind.QUARTERS:
        return format_quarters(value)
    if kind is Kind.QUARTER_PLAN:
        return " · ".join(
            render("fmt.plan_quarter", quarter=index, amount=format_money(Decimal(amount)))
            for index, amount in enumerate(value, start=1)
            if Decimal(amount)
        ) or render("value.none")
    return str(value)


def echo(question: Question, value: Any, options: Options | None = None, note: str = "") -> str:
    """The short confirmation of what was understood: the value, the amount in words for money, a note."""
    shown = shorten(display(question, value, options), ECHO_LIMIT)
    if question.kind is Kind.MONEY and value is not None:
        shown = f"{shown} ({baht_words(Decimal(value))})"
    return f"{shown} — {note}" if note else shown


def _money(question: Question, text: str) -> Decimal:
    """An amount; a negative one for a budget line is told what a line takes (more than 0), not "0 and up"."""
    try:
        return parse_money(text)
    except InvalidAnswer as problem:
        if problem.reason == "invalid.money.negative" and question.check == "positive_amount":
            raise InvalidAnswer("invalid.money.negative_line", **problem.params) from problem
        raise
