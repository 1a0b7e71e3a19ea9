"""Valid answers to every question of a flow, generated from its declarations, and what the export and the data
API should show for each: the round-trip tests' half that knows nothing of the store, export or API code."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from itertools import count
from typing import Any

from conversations.copy import render
from conversations.engine.questions import applies
from conversations.flows.flow import AnswerBelow, Flow, Group, Kind, PlanLinks, Question, steps
from conversations.formatting import format_date

PROVINCES = ("เชียงใหม่", "ลำพูน", "ลำปาง")
PLAN = ["1000.50", "2000.00", "0.00", "3000.25"]
AMOUNT = "6000.75"  # the plan's sum
BELOW = "0.50"  # an amount compared with a known one (a disbursement against its plan): below it


class Answerer:
    """Answers a flow's questions, item by item, so that every option and every conditional question is used."""

    def __init__(self, flow: Flow) -> None:
        self.below = {step.when.key for step in _questions(flow) if isinstance(step.when, AnswerBelow)}
        self.dates = count()

    def value(self, question: Question, index: int) -> Any:
        """A valid answer of the question's kind, different for each item ``index``."""
        kind = question.kind
        if question.unknown and index == 1:
            return None  # "not measured yet"
        if kind in (Kind.TEXT, Kind.LONG_TEXT):
            return PROVINCES[index % 3] if question.accepts == "province" else f"{question.key} ข้อ {index + 1}"
        if kind is Kind.CHOICE:
            return question.options[index % len(question.options)].value
        if kind is Kind.MULTI:
            return [question.options[-1].value] if question.options else list(PROVINCES[:2])
        values: dict[Kind, Any] = {
            Kind.YES_NO: True, Kind.EMAIL: f"person{index}@example.org", Kind.PHONE: f"08123456{index:02d}",
            Kind.MONEY: BELOW if question.key in self.below else AMOUNT, Kind.NUMBER: f"{index + 1}2.5",
            Kind.PERCENT: 40 + index, Kind.QUARTERS: [1, 3], Kind.QUARTER_PLAN: PLAN, Kind.FISCAL_YEAR: 2570,
        }
        if kind is Kind.DATE:
            return (date(2026, 10, 1) + timedelta(days=300 * next(self.dates))).isoformat()
        return values[kind]

    def answer(self, questions: tuple[Question, ...], into: dict[str, Any], index: int = 0) -> dict[str, Any]:
        """Every question that applies, answered into ``into`` (an item's known values stay)."""
        for question in questions:
            if applies(question.when, into):
                into[question.key] = self.value(question, index)
        return into

    def items(self, group: Group) -> list[dict[str, Any]]:
        """Enough items of a list that every option of its choices is picked once; one child under each."""
        wanted = max([3, *(len(question.options) for question in group.questions if question.kind is Kind.CHOICE)])
        items = [self.answer(group.questions, {}, index) for index in range(wanted)]
        if group.children is not None:
            for item in items:
                item[group.children.key] = [self.answer(group.children.questions, {"quarters": [1]}, 0)]
                item[group.children.key][0]["quarters"] = [1]  # within the parent's quarters
        return items

    def flow(self, flow: Flow, answers: dict[str, Any], links: list[dict[str, Any]]) -> dict[str, Any]:
        """Every question and list of the flow answered into ``answers`` (known items answered one by one)."""
        for step in steps(flow):
            if isinstance(step, Question) and applies(step.when, answers):
                answers[step.key] = self.value(step, 0)
            elif isinstance(step, PlanLinks):
                answers[step.key] = links
            elif isinstance(step, Group) and step.fixed:
                for index, item in enumerate(answers.get(step.key, [])):
                    self.answer(step.questions, item, index)
            elif isinstance(step, Group):
                answers[step.key] = self.items(step)
        return answers


def _questions(flow: Flow) -> list[Question]:
    found: list[Question] = []
    for step in steps(flow):
        if isinstance(step, Question):
            found.append(step)
        elif isinstance(step, Group):
            found += step.questions
    return found


def cells(question: Question, answer: Any) -> list[Any]:
    """What the export should show for an answer, one value per column of the question."""
    if answer is None and question.unknown:
        return [render(question.unknown)]
    if question.kind is Kind.MULTI and not question.column:
        return [render("value.yes" if option.value in answer else "value.no") for option in question.options]
    if question.kind is Kind.QUARTER_PLAN:
        return [float(value) for value in answer]
    if question.kind in (Kind.MONEY, Kind.NUMBER):
        return [float(answer)]
    shown: dict[Kind, Any] = {
        Kind.DATE: lambda: format_date(date.fromisoformat(answer)),
        Kind.YES_NO: lambda: render("value.yes" if answer else "value.no"),
        Kind.QUARTERS: lambda: ",".join(f"Q{quarter}" for quarter in answer),
        Kind.MULTI: lambda: "\n".join(answer),
        Kind.CHOICE: lambda: next(render(option.label) for option in question.options if option.value == answer),
    }
    return [shown[question.kind]() if question.kind in shown else answer]


def same_cell(expected: Any, cell: Any) -> bool:
    """An exported cell shows the expected value (a choice's words without its button's icon)."""
    if isinstance(expected, str) and isinstance(cell, str) and expected != cell:
        return bool(cell) and expected.endswith(" " + cell)
    return bool(expected == cell)


def same_value(question: Question, answer: Any, served: Any) -> bool:
    """The API serves the answer: numbers compared as numbers ("12.50" is "12.5")."""
    if question.kind in (Kind.MONEY, Kind.NUMBER, Kind.PERCENT) and answer is not None and served is not None:
        return Decimal(str(answer)) == Decimal(str(served))
    if question.kind is Kind.QUARTER_PLAN:
        return [Decimal(value) for value in answer] == [Decimal(value) for value in served]
    return bool(answer == served)
