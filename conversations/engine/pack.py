"""The eMENSCR copy pack: a project's or a report's answers as eMENSCR's steps, each a list of values to copy.

eMENSCR takes no import: its web form is filled by hand, step by step (M1 the plan links level by level, M2, M3,
M4, M5; M6 a quarter's report). The pack walks the flows' own declarations (sections, questions, groups, their
labels from the copy catalog), so a question added to a flow is in the pack without a list kept here. Values are
written as a web form takes them: money and numbers as plain digits (``350000``, never ``350,000 บาท``), a
quarterly plan as one value per quarter, choices and dates as the bot shows them. Pure: answers in, steps out.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from conversations.copy import render
from conversations.engine.answers import display
from conversations.engine.questions import applies
from conversations.engine.status import item_label
from conversations.flows.flow import Evidence, Flow, Group, Kind, PlanLinks, Question, Section, label_key
from conversations.formatting import shorten

NAME_IN_LABEL = 40  # a known item's name (a report's KPI) in its fields' labels
LEVELS = (1, 2, 3)


@dataclass(frozen=True, slots=True)
class PackField:
    """One field of eMENSCR's form: its name and the value to paste into it."""

    label: str
    value: str


@dataclass(frozen=True, slots=True)
class PackStep:
    """One step of eMENSCR's form (``m1.2`` the level-2 plan links, ``m3``, ``r5``…) and its fields, in order."""

    key: str
    title: str
    fields: tuple[PackField, ...]


def plain(value: Any) -> str:
    """A number as a web form takes it: digits and a point, no separators, no useless zeros."""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    if number == number.to_integral_value():
        return f"{number.to_integral_value():f}"
    return f"{number.normalize():f}"


def _values(question: Question, value: Any) -> list[tuple[str, str]]:
    """A stored answer as (label suffix, value) pairs: one pair, or one per quarter for a quarterly plan."""
    if value is None:
        return [("", display(question, value))]
    if question.kind is Kind.QUARTER_PLAN:
        return [(render("pack.plan_quarter", quarter=index), plain(amount))
                for index, amount in enumerate(value, start=1)]
    if question.kind in (Kind.MONEY, Kind.NUMBER, Kind.PERCENT):
        return [("", plain(value))]
    return [("", display(question, value))]


def _question_fields(question: Question, answers: dict[str, Any], prefix: str = "") -> list[PackField]:
    if not applies(question.when, answers):
        return []
    label = f"{prefix}{render(label_key(question))}"
    if question.key not in answers:
        return [PackField(label, render("value.missing"))]
    return [PackField(f"{label} · {suffix}" if suffix else label, text)
            for suffix, text in _values(question, answers[question.key])]


def _group_fields(group: Group, items: list[dict[str, Any]], parent: str = "") -> list[PackField]:
    fields: list[PackField] = []
    for position, item in enumerate(items, start=1):
        number = f"{parent}.{position}" if parent else item_label(item, position)
        name = item.get("name") or item.get("title") if group.fixed else ""
        known = f" ({shorten(str(name), NAME_IN_LABEL)})" if name else ""
        prefix = f"{render(group.item)} {number}{known} · "
        for question in group.questions:
            fields.extend(_question_fields(question, item, prefix))
        if group.children is not None:
            fields.extend(_group_fields(group.children, item.get(group.children.key, []), number))
    return fields


def _section_fields(section: Section, answers: dict[str, Any]) -> list[PackField]:
    fields = [PackField(render(f"fact.{fact}"), str(answers[fact])) for fact in section.facts if answers.get(fact)]
    for step in section.steps:
        if isinstance(step, Group):
            fields.extend(_group_fields(step, answers.get(step.key, [])))
        elif isinstance(step, Evidence):
            fields.extend(PackField(render("label.evidence"), str(item.get("filename", "")))
                          for item in answers.get(step.key, []))
        elif isinstance(step, Question):
            fields.extend(_question_fields(step, answers))
    return fields


def _link_steps(section: Section, links_step: PlanLinks, answers: dict[str, Any]) -> list[PackStep]:
    """M1 level by level: each linked plan's code and title (and the law's or resolution's reference)."""
    links = answers.get(links_step.key, [])
    steps = []
    for level in LEVELS:
        fields: list[PackField] = []
        for number, link in enumerate((link for link in links if link.get("level") == level), start=1):
            prefix = render("pack.link", number=number)
            fields.append(PackField(f"{prefix} · {render('pack.link_code')}", str(link.get("code", ""))))
            fields.append(PackField(f"{prefix} · {render('pack.link_title')}", str(link.get("title", ""))))
            if link.get("ref"):
                fields.append(PackField(f"{prefix} · {render('pack.link_ref')}", str(link["ref"])))
        if fields or level in links_step.required_levels:
            title = f"{render(section.title)} · {render('label.plan_level', level=level)}"
            steps.append(PackStep(f"{section.id}.{level}", title,
                                  tuple(fields) or (PackField(render("pack.link"), render("value.missing")),)))
    return steps


def project_pack(flow: Flow, answers: dict[str, Any]) -> tuple[PackStep, ...]:
    """A registered project as eMENSCR's steps M1 (per plan level) to M5; the project's name and fiscal year
    (asked before the sections) open M2, where eMENSCR asks them."""
    steps: list[PackStep] = []
    start = [field for question in flow.start for field in _question_fields(question, answers)]
    for section in flow.sections:
        if not applies(section.when, answers):
            continue
        links = next((step for step in section.steps if isinstance(step, PlanLinks)), None)
        if links is not None:
            steps.extend(_link_steps(section, links, answers))
            continue
        fields = _section_fields(section, answers)
        if start:
            fields, start = start + fields, []
        steps.append(PackStep(section.id, render(section.title), tuple(fields)))
    return tuple(steps)


def report_pack(flow: Flow, answers: dict[str, Any]) -> tuple[PackStep, ...]:
    """A quarterly report as eMENSCR's M6, one step per part of the report that applies."""
    return tuple(PackStep(section.id, render("pack.m6", section=render(section.title)),
                          tuple(_section_fields(section, answers)))
                 for section in flow.sections if applies(section.when, answers))


def first_open(steps: tuple[PackStep, ...], keyed: frozenset[str]) -> int:
    """The first step not keyed in yet (the last one when all are)."""
    return next((index for index, step in enumerate(steps) if step.key not in keyed), max(len(steps) - 1, 0))


def complete(steps: tuple[PackStep, ...], keyed: frozenset[str] | set[str]) -> bool:
    """Whether every step of the pack is keyed in."""
    return bool(steps) and all(step.key in keyed for step in steps)
