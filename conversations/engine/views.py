"""Read-only renderings of a project's answers: list-item summaries, section rows, the review card."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from conversations.copy import placeholders, render
from conversations.engine.answers import display
from conversations.engine.questions import applies
from conversations.engine.status import ICONS, SectionState, flow_states, item_label, waiting_on
from conversations.flows.flow import Evidence, Flow, Group, Kind, PlanLinks, Question, Section, label_key
from conversations.formatting import baht_words, format_money, format_percent, format_plan_compact, shorten
from conversations.messages import Card, CardSection

VALUE_LIMIT = 300


def item_summary(group: Group, item: dict[str, Any]) -> str:
    """One list item in a line, from its summary template (known fields of a fixed item included)."""
    values = {key: str(value) for key, value in item.items() if isinstance(value, str | int) and key != "id"}
    values.update({question.key: "" for question in group.questions})
    values["share"] = _share(item)
    for question in group.questions:
        if question.key in item and applies(question.when, item):
            values[question.key] = display(question, item[question.key])
            if question.kind is Kind.QUARTER_PLAN and isinstance(item[question.key], list):
                values[f"{question.key}_by_quarter"] = format_plan_compact(item[question.key])  # "{plan_by_quarter}"
    wanted = {name: values.get(name, "") for name in placeholders(group.summary)}
    return shorten(" ".join(render(group.summary, **wanted).split()), VALUE_LIMIT)


def _share(item: dict[str, Any]) -> str:
    """`` · 72.9%``: a reported value as a share of its target, when the item has both (a KPI in a report);
    nothing for a value not measured yet (None), which is no share at all rather than 0%."""
    try:
        target, value = Decimal(str(item["target"])), Decimal(str(item["value"]))
    except (KeyError, ArithmeticError, ValueError):
        return ""
    return f" · {format_percent((value * 100 / target).quantize(Decimal('0.1')))}" if target > 0 else ""


def numbered_items(group: Group, items: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """Items and sub-items as (number, summary): ``1``, ``1.1``, ``1.2``, ``2``…"""
    rows = []
    for index, item in enumerate(items, start=1):
        rows.append((item_label(item, index), item_summary(group, item)))
        if group.children is not None:
            for sub, child in enumerate(item.get(group.children.key, []), start=1):
                rows.append((f"{index}.{sub}", item_summary(group.children, child)))
    return rows


def link_rows(step: PlanLinks, answers: dict[str, Any]) -> list[tuple[str, str]]:
    """Plan links as (level, code and title) rows."""
    rows = []
    for link in sorted(answers.get(step.key, []), key=lambda link: link.get("level", 9)):
        text = f"{link['code']} {link.get('title', '')}".strip()
        if link.get("ref"):
            text = f"{text}: {link['ref']}"
        rows.append((render("label.plan_level", level=link.get("level", "?")), shorten(text, VALUE_LIMIT)))
    return rows


def question_row(question: Question, answers: dict[str, Any]) -> tuple[str, str]:
    """A question's label and its displayed answer (or that it is missing)."""
    value = display(question, answers[question.key]) if question.key in answers else render("value.missing")
    return render(label_key(question)), shorten(value, VALUE_LIMIT)


def budget_totals(lines: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """Totals of budget lines by source and overall, with the amount in Thai words."""
    totals: dict[str, Decimal] = {}
    for line in lines:
        source = line.get("source", "")
        totals[source] = totals.get(source, Decimal(0)) + Decimal(str(line.get("amount", "0")))
    if not totals:
        return []
    rows = [(render("label.total_source", source=render(f"opt.source.{source}")), format_money(amount))
            for source, amount in totals.items()]
    grand = sum(totals.values(), Decimal(0))
    rows.append((render("label.total"), f"{format_money(grand)} ({baht_words(grand)})"))
    return rows


def section_rows(section: Section, answers: dict[str, Any]) -> list[tuple[str, str]]:
    """Every applicable step of a section as rows, after the known values it shows."""
    rows: list[tuple[str, str]] = [(render(f"fact.{fact}"), str(answers[fact])) for fact in section.facts
                                   if answers.get(fact)]
    for step in section.steps:
        if isinstance(step, PlanLinks):
            rows.extend(link_rows(step, answers) or [(render("label.plan_links"), render("value.missing"))])
        elif isinstance(step, Evidence):
            files = answers.get(step.key, [])
            rows.extend((render("label.evidence"), f"{'🖼' if item.get('kind') == 'image' else '📄'} "
                         f"{item.get('filename', '')}") for item in files)
            if not files:
                rows.append((render("label.evidence"), render("value.none")))
        elif isinstance(step, Group):
            items = numbered_items(step, answers.get(step.key, []))
            child = render(step.children.item) if step.children is not None else ""
            rows.extend((f"{child if child and '.' in number else render(step.item)} {number}", text)
                        for number, text in items)
            if not items:
                rows.append((render(step.item), render("value.missing")))
        elif applies(step.when, answers):
            rows.append(question_row(step, answers))
        if isinstance(step, Group) and step.totals:
            rows.extend(budget_totals(answers.get(step.key, [])))
    return rows


def review_card(flow: Flow, answers: dict[str, Any], *, title: str = "", code: str = "", status: str = "",
                states: list[SectionState] | None = None) -> Card:
    """The whole project (or report) as a card: one block per section, with its status icon.

    With a ``status`` (its label) the footer says it and the project's ``code`` (or that it has none yet).
    ``states``: the sections' states of ``answers`` when the caller has drawn them already.
    """
    blocks = []
    for section, state in zip(flow.sections, flow_states(flow, answers) if states is None else states, strict=True):
        heading = f"{ICONS[state.status]} {render(section.title)}"
        waiting = waiting_on(flow, section, answers)
        rows = ((waiting, ""),) if waiting else (
            () if not applies(section.when, answers) else tuple(section_rows(section, answers)))
        blocks.append(CardSection(heading, rows or ((render("value.skipped_section"), ""),)))
    start = (CardSection(render("sec.start"), tuple(question_row(question, answers) for question in flow.start)),
             ) if flow.start else ()
    footer = render("project.status_line", code=code or render("value.no_code"), status=status) if status else ""
    return Card(title=title or answers.get("name") or render("value.untitled"), sections=(*start, *blocks),
                footer=footer, code=code, status=status)


def card_text(card: Card) -> str:
    """A card as plain text, for channels without rich layouts."""
    lines = [f"📋 {card.title}"]
    for block in card.sections:
        lines.append("")
        lines.append(block.title)
        lines.extend(f"• {label}: {value}" if value else f"• {label}" for label, value in block.rows)
    if card.footer:
        lines.extend(["", card.footer])
    return "\n".join(lines)
