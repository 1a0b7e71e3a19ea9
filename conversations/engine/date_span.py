"""A start date answered together with its end date (``Question.span``): the whole fiscal year in one tap, or a
range typed in one message. Both dates pass the checks their own questions have, then both are stored, so the
walk moves past the end-date question; a single date takes the usual path (the end date is then asked)."""

from __future__ import annotations

from datetime import date
from typing import Any

from conversations.copy import render
from conversations.engine.nav import Input
from conversations.engine.output import Output
from conversations.flows.checks import CHECKS, CheckInput
from conversations.flows.flow import SPAN_WHOLE_YEAR, Flow, Question
from conversations.formatting import format_date
from conversations.parsers.date_range import parse_date_range
from conversations.parsers.errors import InvalidAnswer
from models.fiscal import fiscal_year_bounds

WHOLE_YEAR = "fy"  # the button's value


def partner(flow: Flow, question: Question) -> Question | None:
    """The end-date question a start date carries (None for any other question)."""
    if question.span is None:
        return None
    return next((later for later in flow.questions() if later.key == question.span.end), None)


def _year(question: Question, answers: dict[str, Any]) -> tuple[int, date, date] | None:
    """The fiscal year whose whole span is offered, with its first and last day (None while unknown)."""
    key = question.span.fiscal_year if question.span is not None else ""
    fiscal_year = answers.get(key) if key else None
    if not isinstance(fiscal_year, int):
        return None
    first, last = fiscal_year_bounds(fiscal_year)
    return fiscal_year, first, last


def offer(question: Question, answers: dict[str, Any]) -> list[tuple[str, str]]:
    """The whole-year button, when the project's fiscal year is known."""
    year = _year(question, answers)
    if year is None:
        return []
    fiscal_year, first, last = year
    return [(WHOLE_YEAR, render(SPAN_WHOLE_YEAR, fiscal_year=fiscal_year, first=format_date(first),
                                last=format_date(last)))]


def _dates(question: Question, answers: dict[str, Any], inp: Input) -> tuple[date, date] | None:
    if inp.value == WHOLE_YEAR and (year := _year(question, answers)) is not None:
        return year[1], year[2]
    if inp.text is not None:
        return parse_date_range(inp.text)
    return None


def answer(question: Question, end: Question, answers: dict[str, Any], inp: Input, out: Output) -> bool | None:
    """Take both dates when the input gives both: True when stored, False when wrong (said why, asked again),
    None when the input is not a span (a single date: the question's usual path)."""
    try:
        both = _dates(question, answers, inp)
        if both is None:
            return None
        start, finish = both[0].isoformat(), both[1].isoformat()
        if question.check:
            CHECKS[question.check](CheckInput(start, answers))
        if end.check:
            CHECKS[end.check](CheckInput(finish, {**answers, question.key: start}))
    except InvalidAnswer as problem:
        out.say(problem.reason, **problem.params)
        return False
    answers[question.key], answers[end.key] = start, finish
    out.say("ack.answer", value=f"{format_date(both[0])} – {format_date(both[1])}")
    out.save()
    return True
