"""What a copy of last year's project becomes, decided without the database: dates moved by whole years, plan
links mapped to the new year's catalog, row ids dropped, and which sections the owner must look at again.

``conversations.service.copying`` reads and writes; everything it decides is here, so that it is tested purely.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from conversations.engine.copied import LINKS_SECTION
from conversations.engine.status import Status, flow_states
from conversations.flows.flow import Flow, Group, Kind, PlanLinks, Question
from conversations.service.contact_rules import refresh_contacts

Answers = dict[str, Any]


@dataclass(frozen=True, slots=True)
class LinkMapping:
    """The plan links that still exist in the new year's catalog, and the names of those that do not."""

    kept: list[dict[str, Any]]
    dropped: list[str]


@dataclass(frozen=True, slots=True)
class CopyPlan:
    """The new draft's answers and the marks its hub shows until the owner has opened each section."""

    answers: Answers
    unseen: list[str]  # section ids, in flow order
    dropped: list[str]  # "CODE title" of the plan links that no longer exist
    contacts: list[dict[str, Any]] = field(default_factory=list)  # {"key", "before", "after"} made today's


def shift_date(day: date, years: int) -> date:
    """``day`` moved by whole years: the same day of the same month (so the same fiscal quarter).

    29 February becomes 28 February in a common year, and the last day of February stays the last day of
    February (28 Feb 2027 + 1 → 29 Feb 2028), so that a period ending with the month still does.
    """
    year = day.year + years
    last = calendar.monthrange(year, day.month)[1]
    if day.month == 2 and day.day == calendar.monthrange(day.year, 2)[1]:
        return date(year, 2, last)
    return date(year, day.month, min(day.day, last))


def _shift_iso(value: Any, years: int) -> Any:
    """A stored date answer (ISO text) moved; anything else (a skipped answer) as it was."""
    if not isinstance(value, str):
        return value
    try:
        return shift_date(date.fromisoformat(value), years).isoformat()
    except ValueError:
        return value


def _without_ids(value: Any) -> Any:
    """Rows of the copy are new rows: the source's row ids go."""
    if isinstance(value, list):
        return [_without_ids(item) for item in value]
    if isinstance(value, dict):
        return {key: _without_ids(item) for key, item in value.items() if key != "id"}
    return value


def _shift_group(group: Group, items: list[dict[str, Any]], years: int) -> list[dict[str, Any]]:
    dates = [question.key for question in group.questions if question.kind is Kind.DATE]
    for item in items:
        for key in dates:
            if key in item:
                item[key] = _shift_iso(item[key], years)
        if group.children is not None and isinstance(item.get(group.children.key), list):
            _shift_group(group.children, item[group.children.key], years)
    return items


def map_links(links: list[dict[str, Any]], valid: Mapping[str, str]) -> LinkMapping:
    """Links whose code is in the new year's catalog (``valid``: code → its title there), with that title;
    the others dropped, named as people read them (code and title)."""
    kept, dropped = [], []
    for link in links:
        code = str(link.get("code", ""))
        if code in valid:
            kept.append({key: item for key, item in link.items() if key != "id"} | {"title": valid[code]})
        else:
            dropped.append(f"{code} {link.get('title', '')}".strip())
    return LinkMapping(kept, dropped)


def link_codes(answers: Answers) -> set[str]:
    """The plan codes a project's answers link to (to ask the catalog which still exist)."""
    return {str(link.get("code", "")) for link in answers.get("plan_links", []) if link.get("code")}


def plan_copy(flow: Flow, answers: Answers, from_year: int, to_year: int, valid: Mapping[str, str],
              contacts: Mapping[str, Any] | None = None) -> CopyPlan:
    """The answers of a copy for ``to_year``: M1 mapped to that year's catalog, M2–M5 as they were with dates
    moved by whole years, except the contacts the records know today (``contacts``: the copying owner's, their
    office's director's), which replace last year's; every section that came with answers is marked unseen (M1
    also when links dropped)."""
    years = to_year - from_year
    copied: Answers = _without_ids(answers)
    copied["fiscal_year"] = to_year
    dropped: list[str] = []
    for section in flow.sections:
        for step in section.steps:
            if isinstance(step, PlanLinks) and step.key in copied:
                mapping = map_links(answers.get(step.key, []), valid)
                dropped.extend(mapping.dropped)
                if mapping.kept:
                    copied[step.key] = mapping.kept
                else:
                    del copied[step.key]
            elif isinstance(step, Question) and step.kind is Kind.DATE and step.key in copied:
                copied[step.key] = _shift_iso(copied[step.key], years)
            elif isinstance(step, Group) and isinstance(copied.get(step.key), list):
                _shift_group(step, copied[step.key], years)
    changes = refresh_contacts(copied, contacts or {})
    unseen = [state.section.id for state in flow_states(flow, copied)
              if state.status not in (Status.NOT_STARTED, Status.SKIPPED)
              or (state.section.id == LINKS_SECTION and dropped)]
    return CopyPlan(copied, unseen, dropped, changes)


def review_marks(plan: CopyPlan, source_code: str) -> dict[str, Any]:
    """What the project keeps of a copy until its owner has looked (``Project.copy_review``)."""
    marks = {"unseen": list(plan.unseen), "dropped": list(plan.dropped), "from": source_code}
    return marks | {"contacts": [dict(change) for change in plan.contacts]} if plan.contacts else marks
