"""A self-check of a project against NESDC's screening criteria, before the director decides (pure).

NESDC screens projects for eMENSCR on criteria of which the first is a gate: the project moves a target (Y1) of a
master plan's sub-plan through its value chain. Then come need and evidence, clear objectives, outputs, outcomes
and beneficiaries, clear and feasible activities, measurable KPIs with targets, and no fund, committee, repair,
construction or equipment purchase that does not clearly move a Y1. Only part of that can be read from the data;
this module checks that part and returns typed findings. It advises: nothing here blocks a submission or an
approval, and what a person must still judge is said in the README ("The self-check").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from difflib import SequenceMatcher
from enum import StrEnum
from typing import Any

from conversations.catalog_view import CatalogView
from conversations.flows.checks import allowed_quarters
from conversations.parsers.thai_text import normalize_input

NEAR_COPY = 0.9  # similarity (0–1) from which two statements are taken as one written twice
MOST = Decimal("0.5")  # the share of investment budget from which it is flagged: most of the budget
TARGET_KIND = "target"  # the catalog's kind of a sub-plan's target (Y1)
INVESTMENT = "investment"  # the expense category งบลงทุน


class Check(StrEnum):
    """What was checked; each has its copy key ``check.<value>``."""

    NO_Y1 = "no_y1"  # criterion 1: no M1 link reaches a master plan's target (Y1)
    MISSING = "missing"  # an objective, output target, outcome target or target group is not there
    COPIED = "copied"  # two of them say the same thing
    NO_FIGURE = "no_figure"  # the rationale gives no figure (evidence of the need)
    NO_KPI = "no_kpi"
    KPI_NUMBER = "kpi_number"  # a KPI without a numeric target
    KPI_UNIT = "kpi_unit"  # a KPI without a unit
    NO_ACTIVITY = "no_activity"
    UNCOVERED = "uncovered"  # quarters of the project's dates in which no activity runs
    INVESTMENT = "investment"  # the share of the budget that is งบลงทุน (shown always, flagged when most)
    WORDS = "words"  # words of a fund, committee, repair, construction or equipment purchase


class Level(StrEnum):
    """How much a finding weighs: the gate of criterion 1, something to fix, or a note to read."""

    GATE = "gate"
    FIX = "fix"
    NOTE = "note"


@dataclass(frozen=True, slots=True)
class Finding:
    """One result of the self-check: what, how much it weighs, the section to fix it in, and the values the
    message names (already as text)."""

    check: Check
    level: Level
    section: str
    params: dict[str, str] = field(default_factory=dict)


# the statements of M3 that must each be there and say something of their own, with their labels' copy keys
STATEMENTS = (("output_target", "reg.output_target.label"), ("outcome_target", "reg.outcome_target.label"),
              ("target_groups", "reg.target_groups.label"))
OBJECTIVE_LABEL = "reg.objective.label"
# words that name what NESDC screens out unless it clearly moves a Y1, by the kind of thing they name
HINT_WORDS = (
    "กองทุน",  # a fund
    "แต่งตั้งคณะกรรมการ", "จัดตั้งคณะกรรมการ",  # a committee
    "ซ่อมแซม", "ซ่อมบำรุง", "ปรับปรุงอาคาร", "ปรับปรุงห้อง",  # repair
    "ก่อสร้าง", "สร้างอาคาร", "ต่อเติม",  # construction
    "จัดซื้อ", "ครุภัณฑ์", "ซื้ออุปกรณ์",  # equipment
)
_FILLER = re.compile(r"[\s\-–—.,;:()\"'“”‘’/]+")
_LEADING = ("เพื่อให้", "เพื่อ")  # how objectives start: not what makes two statements different
_DIGIT = re.compile(r"\d")


def self_check(answers: dict[str, Any], catalog: CatalogView) -> list[Finding]:
    """Every finding for a project's answers, the gate first; an empty list when nothing was found."""
    found = [*_gate(answers, catalog), *_statements(answers), *_rationale(answers), *_kpis(answers),
             *_activities(answers), *_budget(answers), *_words(answers)]
    order = {Level.GATE: 0, Level.FIX: 1, Level.NOTE: 2}
    return sorted(found, key=lambda finding: order[finding.level])


def reaches_y1(answers: dict[str, Any], catalog: CatalogView) -> bool:
    """Whether an M1 link is a sub-plan's target (Y1), the way a project moves one through its value chain."""
    for link in answers.get("plan_links") or []:
        item = catalog.get(str(link.get("code", "")))
        if item is not None and item.kind == TARGET_KIND:
            return True
    return False


def _gate(answers: dict[str, Any], catalog: CatalogView) -> Iterator[Finding]:
    if not reaches_y1(answers, catalog):
        yield Finding(Check.NO_Y1, Level.GATE, "m1")


def comparable(text: str) -> str:
    """A statement as compared: Thai digits as Arabic, no case, spaces or punctuation, without its "เพื่อ"."""
    folded = _FILLER.sub("", normalize_input(text).casefold())
    for word in _LEADING:
        if folded.startswith(word):
            return folded[len(word):]
    return folded


def near_copies(first: str, second: str) -> bool:
    """Whether two statements are one written twice (the same words, or nearly: a typo, a word more)."""
    one, other = comparable(first), comparable(second)
    if not one or not other:
        return False
    return one == other or SequenceMatcher(None, one, other).ratio() >= NEAR_COPY


def _statements(answers: dict[str, Any]) -> Iterator[Finding]:
    """Objectives, output and outcome targets and target groups: each there, none a copy of another."""
    named: list[tuple[str, str]] = []  # (label key, text)
    objectives = [str(item.get("text") or "") for item in answers.get("objectives") or []]
    objectives = [text for text in objectives if comparable(text)]
    if not objectives:
        yield Finding(Check.MISSING, Level.FIX, "m3", {"what": OBJECTIVE_LABEL})
    named += [(OBJECTIVE_LABEL, text) for text in objectives]
    for key, label in STATEMENTS:
        text = str(answers.get(key) or "")
        if comparable(text):
            named.append((label, text))
        else:
            yield Finding(Check.MISSING, Level.FIX, "m3", {"what": label})
    for index, (label, text) in enumerate(named):
        for other_label, other in named[index + 1:]:
            if near_copies(text, other):
                yield Finding(Check.COPIED, Level.FIX, "m3", {"what": label, "other": other_label, "text": text})


def _rationale(answers: dict[str, Any]) -> Iterator[Finding]:
    text = normalize_input(str(answers.get("rationale") or ""))
    if text and not _DIGIT.search(text):
        yield Finding(Check.NO_FIGURE, Level.NOTE, "m3")


def _number(value: Any) -> Decimal | None:
    try:
        return Decimal(normalize_input(str(value)).replace(",", "")) if value not in (None, "") else None
    except InvalidOperation:
        return None


def _kpis(answers: dict[str, Any]) -> Iterator[Finding]:
    kpis = answers.get("kpis") or []
    if not kpis:
        yield Finding(Check.NO_KPI, Level.FIX, "m3")
    for number, kpi in enumerate(kpis, start=1):
        name = str(kpi.get("name") or "")
        if _number(kpi.get("target_value")) is None:
            yield Finding(Check.KPI_NUMBER, Level.FIX, "m3", {"number": str(number), "name": name})
        if not comparable(str(kpi.get("unit") or "")):
            yield Finding(Check.KPI_UNIT, Level.FIX, "m3", {"number": str(number), "name": name})


def _all_activities(answers: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for activity in answers.get("activities") or []:
        yield activity
        yield from activity.get("subactivities") or []


def _activities(answers: dict[str, Any]) -> Iterator[Finding]:
    activities = list(_all_activities(answers))
    if not activities:
        yield Finding(Check.NO_ACTIVITY, Level.FIX, "m4")
        return
    running = {int(quarter) for activity in activities for quarter in activity.get("quarters") or []}
    uncovered = [quarter for quarter in allowed_quarters(answers) if quarter not in running]
    if uncovered:
        yield Finding(Check.UNCOVERED, Level.FIX, "m4", {"quarters": ", ".join(f"Q{q}" for q in uncovered)})


def investment_share(lines: Iterable[dict[str, Any]]) -> tuple[Decimal, Decimal]:
    """The investment budget (งบลงทุน) and the whole budget, in baht."""
    invested = total = Decimal(0)
    for line in lines:
        amount = _number(line.get("amount")) or Decimal(0)
        total += amount
        if line.get("expense_category") == INVESTMENT:
            invested += amount
    return invested, total


def _budget(answers: dict[str, Any]) -> Iterator[Finding]:
    if answers.get("uses_budget") is not True:
        return
    invested, total = investment_share(answers.get("budget_lines") or [])
    if total <= 0:
        return
    share = invested / total
    yield Finding(Check.INVESTMENT, Level.FIX if share > MOST else Level.NOTE, "m5",
                  {"invested": str(invested), "total": str(total), "percent": str(round(share * 100))})


def _words(answers: dict[str, Any]) -> Iterator[Finding]:
    """The hint words in the project's name and its activities' names (not in the rationale, which may explain
    that a building is old without the project buying anything)."""
    texts = [str(answers.get("name") or ""), *(str(activity.get("name") or "")
                                               for activity in _all_activities(answers))]
    folded = [normalize_input(text) for text in texts]
    seen = [word for word in HINT_WORDS if any(word in text for text in folded)]
    if seen:
        yield Finding(Check.WORDS, Level.NOTE, "m4", {"words": ", ".join(seen)})
