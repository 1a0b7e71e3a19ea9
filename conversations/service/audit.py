"""What changed between two versions of a project's or report's answers, field by field and item by item.

Questions are recorded with their raw values (shown through the question's own display later); list items
and plan links are recorded as the one-line summaries people read, one entry per added, removed or changed
item, so that the history says "ตัวชี้วัด: — → จำนวนครูที่ผ่านการอบรม — เป้าหมาย 240 คน", not "2 → 2".
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from conversations.engine.views import item_summary
from conversations.flows.flow import Evidence, Flow, Group, Kind, PlanLinks, Question

IDENTITY_KEYS = ("id", "kpi_id", "activity_id", "link")


@dataclass(frozen=True, slots=True)
class Change:
    """One audit entry to write: the field, and its before and after as JSON text."""

    field: str
    before: str
    after: str


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _identity(item: dict[str, Any], index: int) -> object:
    for key in IDENTITY_KEYS:
        if item.get(key) is not None:
            return (key, item[key])
    return ("index", index)


def _link_text(link: dict[str, Any]) -> str:
    text = f"{link.get('code', '')} {link.get('title', '')}".strip()
    return f"{text}: {link['ref']}" if link.get("ref") else text


def _links(links: list[dict[str, Any]]) -> dict[object, str]:
    return {(link.get("code"), link.get("ref", "")): _link_text(link) for link in links}


def _items(group: Group, items: list[dict[str, Any]]) -> dict[object, str]:
    summaries: dict[object, str] = {}
    for index, item in enumerate(items):
        if group.fixed and not any(question.key in item for question in group.questions):
            continue  # a known item (a KPI to report on) not answered yet is no change
        summaries[_identity(item, index)] = item_summary(group, item)
        if group.children is not None:
            for sub_index, child in enumerate(item.get(group.children.key, [])):
                summaries[("child", _identity(item, index), _identity(child, sub_index))] = item_summary(
                    group.children, child)
    return summaries


def _list_changes(field: str, before: dict[object, str], after: dict[object, str]) -> Iterator[Change]:
    for key in [*before, *(key for key in after if key not in before)]:
        old, new = before.get(key), after.get(key)
        if old != new:
            yield Change(field, _json(old), _json(new))


def _same(question: Question, old: Any, new: Any) -> bool:
    """Equal answers, amounts compared as numbers: "0.00" as loaded and "0" as typed again are no change."""
    if old == new:
        return True
    if question.kind in (Kind.MONEY, Kind.NUMBER, Kind.PERCENT) and old is not None and new is not None:
        try:
            return Decimal(str(old)) == Decimal(str(new))
        except InvalidOperation:
            return False
    return False


def changes(flow: Flow, previous: dict[str, Any], current: dict[str, Any]) -> list[Change]:
    """Every change the owner made, in flow order (context values and evidence files are not answers)."""
    found: list[Change] = []
    steps = [*flow.start, *(step for section in flow.sections for step in section.steps)]
    for step in steps:
        old, new = previous.get(step.key), current.get(step.key)
        if isinstance(step, Question):
            if (step.key in previous or step.key in current) and not _same(step, old, new):
                found.append(Change(step.key, _json(old), _json(new)))
        elif old == new:
            continue  # an unchanged list: its summaries are equal too, so they are not drawn (most turns)
        elif isinstance(step, Group):
            found.extend(_list_changes(step.key, _items(step, old or []), _items(step, new or [])))
        elif isinstance(step, PlanLinks):
            found.extend(_list_changes(step.key, _links(old or []), _links(new or [])))
        elif isinstance(step, Evidence):
            continue  # files are audited when stored or removed
    return found
