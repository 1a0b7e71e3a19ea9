"""The export's columns and the data API's fields, derived from the flow's declarations.

A question is one column (a quarter plan four, a multi-select of yes/no columns one per option) headed by its
label (or its declared ``header``), its values shown by its kind: Thai dates, yes/no, an option's words,
quarters as ``Q1,Q2``, "not measured" for an unknown number. In the API a question is the field named by its
key. What is not a question (a code, a status, an office, a sum) is declared as an explicit extra column.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from conversations.copy import render
from conversations.flows.flow import Flow, Group, JsonItems, Kind, Question, Rows, header_key, steps
from conversations.formatting import format_date
from conversations.service.field_store import QUARTERS, columns_of
from models.fiscal import BANGKOK

Cell = Callable[[Any], Any]


def cell(value: Any) -> Any:
    """A value as a cell: lists one per line, dates in Thai with the BE year, yes/no in words."""
    if isinstance(value, list):
        return "\n".join(str(item) for item in value)
    if isinstance(value, datetime):
        return format_date(value.astimezone(BANGKOK).date())
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, bool):
        return render("value.yes" if value else "value.no")
    if isinstance(value, Enum):
        return value.value
    return value


def words(label: str) -> str:
    """A button's label without its icon ("✅ เสร็จแล้ว" → "เสร็จแล้ว"): a cell holds the words."""
    start = 0
    while start < len(label) and unicodedata.category(label[start])[0] not in "LN":
        start += 1
    return label[start:].strip()


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a sheet: its header (a copy key and its parameters), the field read from each row (a
    ``values()`` path, or a name the sheet's reader computes), and how a value becomes a cell."""

    header: str
    field: str
    show: Cell = cell
    money: bool = False
    computed: bool = False  # filled in by the sheet's reader, not read from the database
    params: tuple[tuple[str, object], ...] = ()

    def title(self) -> str:
        """The header as people read it."""
        return render(self.header, **dict(self.params))


def _choice(question: Question) -> Cell:
    labels = {option.value: option.label for option in question.options}

    def show(value: Any) -> Any:
        if value is None or value == "":
            return ""
        code = value.value if isinstance(value, Enum) else str(value)
        return words(render(labels[code])) if code in labels else code
    return show


def _quarters(value: Any) -> str:
    return ",".join(f"Q{quarter}" for quarter in value or [])


def _unknown(question: Question) -> Cell:
    def show(value: Any) -> Any:
        return render(question.unknown) if value is None else value
    return show


def question_columns(question: Question) -> tuple[Column, ...]:
    """The export columns of one question, in its kind's way."""
    if question.kind is Kind.MULTI and not question.column:
        return tuple(Column(option.label, option.column) for option in question.options)
    if question.kind is Kind.QUARTER_PLAN:
        return tuple(Column(header_key(question), column, money=True, params=(("quarter", quarter),))
                     for quarter, column in zip(QUARTERS, columns_of(question), strict=True))
    show: Cell = cell
    if question.kind is Kind.CHOICE and question.options:
        show = _choice(question)
    elif question.kind is Kind.QUARTERS:
        show = _quarters
    elif question.unknown:
        show = _unknown(question)
    return (Column(header_key(question), question.column, show, money=question.kind is Kind.MONEY),)


def _distinct(columns: Iterable[Column]) -> tuple[Column, ...]:
    """One column per field: questions that share a column (a budget line's agency or province) show once."""
    seen: dict[str, Column] = {}
    for column in columns:
        seen.setdefault(column.field, column)
    return tuple(seen.values())


def _record_fields(flow: Flow) -> Iterator[tuple[str, tuple[Column, ...]]]:
    for step in steps(flow):
        if isinstance(step, Question):
            yield step.key, question_columns(step)
        elif isinstance(step, Group) and isinstance(step.store, JsonItems) and not step.store.keyed_by:
            [question] = step.questions
            yield step.key, (Column(header_key(question), step.store.column),)


Placed = Column | str  # an extra column, or a question (or JSON list) of the record placed by its key


def record_columns(flow: Flow, first: tuple[Placed, ...] = (), last: tuple[Placed, ...] = ()) -> tuple[Column, ...]:
    """The main record's columns: ``first``, then every other question in flow order, then ``last``; a key in
    ``first`` or ``last`` places that question there."""
    fields = dict(_record_fields(flow))
    placed = {key for key in (*first, *last) if isinstance(key, str)}

    def expand(items: tuple[Placed, ...]) -> list[Column]:
        return [column for item in items for column in ((item,) if isinstance(item, Column) else fields[item])]

    rest = [column for key, columns in fields.items() if key not in placed for column in columns]
    return _distinct([*expand(first), *rest, *expand(last)])


def item_columns(group: Group, first: tuple[Column, ...] = (), last: tuple[Column, ...] = ()) -> tuple[Column, ...]:
    """A group's columns (its children's too, when they live in the same rows): ``first``, every question in
    order, ``last``."""
    questions = list(group.questions)
    if group.children is not None and isinstance(group.children.store, Rows):
        questions += group.children.questions
    return _distinct([*first, *(column for question in questions for column in question_columns(question)),
                      *last])


def api_value(question: Question, row: Any) -> Any:
    """A question's value in the data API, read from a row: stored codes, ISO dates, decimals as text, a
    multi-select of yes/no columns as the list of chosen options, a quarter plan as its four amounts."""
    if question.kind is Kind.MULTI and not question.column:
        return [option.value for option in question.options if getattr(row, option.column)]
    if question.kind is Kind.QUARTER_PLAN:
        return [json_value(getattr(row, column)) for column in columns_of(question)]
    return json_value(getattr(row, question.column))


def json_value(value: Any) -> Any:
    """A stored value as JSON: decimals as text (no float rounding), dates ISO, codes as their value."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


def api_fields(questions: Iterable[Question], row: Any) -> dict[str, Any]:
    """Every question's field (named by its key) read from one row."""
    return {question.key: api_value(question, row) for question in questions}
