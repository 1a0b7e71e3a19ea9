"""A list typed in one message: each line of objectives, KPIs, an activity outline or budget lines split into the
words that answer each of one item's questions.

Splitting is all this module does: the words are then read by the questions' own parsers (money, numbers,
quarters, a quarterly plan), so a line accepts exactly what the one-item-at-a-time questions accept. A splitter
raises :class:`InvalidAnswer` when a line lacks a part (no target, no quarters, no expense category…).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from pythainlp.util import thai_digit_to_arabic_digit

from conversations.parsers.errors import InvalidAnswer
from conversations.parsers.numbers import parse_money
from conversations.parsers.thai_text import excerpt, normalize_input, normalize_text

MAX_LINES = 30  # a list longer than any project's; more is refused rather than half read
_BULLET = re.compile(r"^(?:[•\-*–·]|[0-9]+[.)])\s+")
_OUTLINE = re.compile(r"^([0-9]+)(?:\.([0-9]+))?\.?\)?\s+(.+)$")
_NUMBER = r"[0-9][0-9,]*(?:\.[0-9]+)?"
# a KPI: its name (digits allowed, ป.1), then the last number of the line, then a unit without digits
_KPI = re.compile(rf"^(?P<name>.+)\s+(?P<target>(?:ร้อยละ\s*)?{_NUMBER})\s*(?P<unit>%|[^0-9]*)$")
_QUARTER_WORD = r"(?:q|ไตรมาส(?:ที่)?)\s*"
_QUARTER_LIST = rf"{_QUARTER_WORD}[1-4](?:\s*(?:-|–|ถึง|,|และ)\s*(?:{_QUARTER_WORD})?[1-4])*"
_QUARTERS = re.compile(rf"\s*\(?(?P<quarters>{_QUARTER_LIST}|ทั้งปี|ทุกไตรมาส|ทั้ง 4 ไตรมาส)\)?\s*$", re.IGNORECASE)
# expense categories as people write them, longest first (งบเงินอุดหนุน before เงินอุดหนุน)
CATEGORIES = (
    ("งบเงินอุดหนุน", "subsidy"), ("เงินอุดหนุน", "subsidy"), ("งบดำเนินงาน", "operating"),
    ("ค่าดำเนินงาน", "operating"), ("งบลงทุน", "investment"), ("ค่าครุภัณฑ์", "investment"),
    ("งบบุคลากร", "personnel"), ("งบรายจ่ายอื่น", "other"), ("รายจ่ายอื่น", "other"), ("งบกลาง", "central"),
)
_PLAN_START = re.compile(rf"{_QUARTER_WORD}[1-4]|เท่า|เฉลี่ย|แบ่ง|even", re.IGNORECASE)
_DIRECT = re.compile(r"^(?:งบ)?(?:ของ)?(?:หน่วยงาน(?:เอง)?|ตัวเอง|เอง|ตรง)$")
_PROVINCE = re.compile(r"^(?:งบ)?(?:จังหวัด|จ\.)\s*(?P<name>.*)$")
_VIA = re.compile(r"^(?:ผ่าน|โดย|จาก)\s*(?P<name>.+)$")
# a Thai number word: an amount after the category may be written in words (สามแสน, หนึ่งล้าน, ห้าหมื่นบาท)
_NUMBER_WORD = re.compile(r"หนึ่ง|สอง|สาม|สี่|ห้า|หก|เจ็ด|แปด|เก้า|สิบ|ร้อย|พัน|หมื่น|แสน|ล้าน")


Splitter = Callable[[str], tuple[str, dict[str, str]]]


def lines_of(text: str) -> list[tuple[int, str]]:
    """The message's non-empty lines with their line numbers, spaces tidied.

    Raises:
        InvalidAnswer: ``bulk.too_many`` past :data:`MAX_LINES`.
    """
    found = [(number, normalize_text(line)) for number, line in enumerate(text.splitlines(), start=1)]
    found = [(number, line) for number, line in found if line]
    if len(found) > MAX_LINES:
        raise InvalidAnswer("bulk.too_many", count=len(found), limit=MAX_LINES)
    return found


def _digits(text: str) -> str:
    """Thai digits as Arabic ones, character for character: positions found in the result hold in ``text``, so
    the words kept (a name) keep their digits as typed while the patterns read one kind of digit."""
    return thai_digit_to_arabic_digit(text)


def split_objective(line: str) -> tuple[str, dict[str, str]]:
    """``1. เพื่อพัฒนาครู…`` → the objective (a bullet or number in front dropped)."""
    return "", {"text": _BULLET.sub("", line, count=1)}


def split_kpi(line: str) -> tuple[str, dict[str, str]]:
    """``ร้อยละนักเรียนที่อ่านออกเขียนได้ตามเกณฑ์ 85 ร้อยละ`` → name, target and unit (``85%`` is ร้อยละ).

    Raises:
        InvalidAnswer: ``bulk.kpi.no_target`` or ``bulk.kpi.no_unit``.
    """
    raw = normalize_text(_BULLET.sub("", line, count=1))
    match = _KPI.match(_digits(raw))
    if match is None:
        raise InvalidAnswer("bulk.kpi.no_target", text=excerpt(line))
    name, target, unit = raw[: match.end("name")].strip(), match["target"], match["unit"].strip()
    if not unit and name.endswith(" ร้อยละ"):  # ``… ร้อยละ 85``: the unit written before the number
        name, target = name.removesuffix(" ร้อยละ").strip(), f"ร้อยละ {target}"
    if unit == "%" or (not unit and target.startswith("ร้อยละ")):
        unit = "ร้อยละ"
    if not unit:
        raise InvalidAnswer("bulk.kpi.no_unit", text=excerpt(line))
    return "", {"name": name, "target_value": target, "unit": unit}


def split_activity(line: str) -> tuple[str, dict[str, str]]:
    """``1. ประชุมเชิงปฏิบัติการ Q1-Q2`` / ``1.1 อบรมครู ป.1 ไตรมาส ๑`` → outline number, name and quarters.

    Raises:
        InvalidAnswer: ``bulk.activity.no_quarters`` or ``bulk.activity.no_name``.
    """
    raw = normalize_text(line)
    outline = ""
    numbered = _OUTLINE.match(_digits(raw))
    if numbered is not None:
        outline = numbered[1] + (f".{numbered[2]}" if numbered[2] else "")
        raw = raw[numbered.start(3):]
    else:
        raw = _BULLET.sub("", raw, count=1)
    quarters = _QUARTERS.search(_digits(raw))
    if quarters is None:
        raise InvalidAnswer("bulk.activity.no_quarters", text=excerpt(line))
    name = raw[: quarters.start()].strip(" -–:,")
    if not name:
        raise InvalidAnswer("bulk.activity.no_name", text=excerpt(line))
    return outline, {"name": name, "quarters": quarters["quarters"]}


def split_budget(line: str) -> tuple[str, dict[str, str]]:
    """``สพฐ. งบดำเนินงาน 120,000 Q2`` → source (via สพฐ.), expense category, amount and quarterly plan.

    Before the category: nothing or ``งบหน่วยงาน`` (the office's own budget), ``จังหวัดเชียงใหม่`` (the
    province's) or another agency's name (``สพฐ.``, ``ผ่าน สพฐ.``). After it: the amount, in any form the amount
    question takes (``350,000``, ``3.5 แสน``, ``ห้าหมื่นบาท``), then the plan. The category splits the line, so
    number words before it stay the source's (``จังหวัดร้อยเอ็ด``, ``สพป. เขตสอง``).

    Raises:
        InvalidAnswer: ``bulk.budget.no_category``, ``.no_amount``, ``.bad_amount`` or ``.no_plan`` (or the
        money parser's own reason for an amount read but not allowed: negative, too large, past the satang).
    """
    body = normalize_input(_BULLET.sub("", line, count=1))
    found = _category(body)
    if found is None:
        raise InvalidAnswer("bulk.budget.no_category", text=excerpt(line))
    at, word, category = found
    before, after = body[:at].strip(), body[at + len(word):].strip()
    plan = _PLAN_START.search(after)
    amount = (after[: plan.start()] if plan else after).strip(" :,")
    if not amount:
        raise InvalidAnswer("bulk.budget.no_amount", text=excerpt(line))
    _check_amount(amount)
    if plan is None:
        raise InvalidAnswer("bulk.budget.no_plan", text=excerpt(line))
    fields = {"expense_category": category, "amount": amount, "plan": after[plan.start():].strip()}
    fields.update(_source(before))
    return "", fields


def _category(body: str) -> tuple[int, str, str] | None:
    """Where the line's expense category is, its words and its value (the first category the list names)."""
    return next(((body.find(word), word, value) for word, value in CATEGORIES if word in body), None)


def _check_amount(amount: str) -> None:
    """Read the amount with the amount question's own parser, so that the line names an amount it cannot read
    here (where the amount goes) rather than later as a bare "not understood"."""
    try:
        parse_money(amount)
    except InvalidAnswer as problem:
        if problem.reason != "invalid.money.format":
            raise
        raise InvalidAnswer("bulk.budget.bad_amount", text=excerpt(amount)) from problem


def _source(words: str) -> dict[str, str]:
    """The budget line's source from the words before its category."""
    words = words.strip(" :,")
    if not words or _DIRECT.match(words):
        return {"source": "direct"}
    province = _PROVINCE.match(words)
    if province is not None:
        return {"source": "province", **({"province": province["name"].strip()} if province["name"].strip() else {})}
    via = _VIA.match(words)
    return {"source": "via_agency", "agency": via["name"].strip() if via else words}


def looks_structured(name: str, line: str) -> bool:
    """Whether one line typed where one item's first answer is asked is a whole item in the one-line format
    (a KPI ending in a target and unit, an activity ending in quarters, a budget line with a category and an
    amount) rather than just that first answer; an objective is always just itself."""
    body = normalize_input(line)
    if name == "kpi":
        match = _KPI.match(body)
        return match is not None and bool(match["unit"].strip() or match["name"].endswith(" ร้อยละ")
                                          or match["target"].startswith("ร้อยละ"))
    if name == "activity":
        return _QUARTERS.search(body) is not None and bool(_QUARTERS.sub("", body).strip())
    if name == "budget":  # a category and an amount: digits, or number words after the category
        found = _category(body)
        return found is not None and (any(char.isdigit() for char in body)
                                      or _NUMBER_WORD.search(body[found[0] + len(found[1]):]) is not None)
    return False


SPLITTERS: dict[str, Splitter] = {
    "objective": split_objective,
    "kpi": split_kpi,
    "activity": split_activity,
    "budget": split_budget,
}
