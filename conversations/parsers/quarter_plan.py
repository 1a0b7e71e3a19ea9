"""A budget line's spending plan per fiscal quarter, typed in the ways people write it.

Accepted: four amounts (``150000, 100000, 60000, 40000``; one per line; separated by ``/`` or ``;``),
labelled amounts (``Q1 1.5 แสน Q2 1 แสน``, missing quarters are zero), one quarter for everything
(``Q2``, ``ไตรมาส 2``), or an even split (``เท่ากัน``). The four amounts must add up to the line's amount.
"""

from __future__ import annotations

import re
from decimal import Decimal

from conversations.formatting import format_money
from conversations.parsers.errors import InvalidAnswer
from conversations.parsers.numbers import parse_money
from conversations.parsers.thai_text import normalize_input

QUARTER_LABEL = r"(?:q|ไตรมาส(?:ที่)?)\s*([1-4])"
LABELLED = re.compile(rf"{QUARTER_LABEL}\s*[:=]?\s*(.*?)\s*(?={QUARTER_LABEL}|$)", re.IGNORECASE)
EVEN = re.compile(r"^(?:เท่า\s*ๆ?\s*กัน|เท่ากัน(?:ทุกไตรมาส)?|เฉลี่ย(?:เท่ากัน)?|แบ่งเท่ากัน|even(?:ly)?)$", re.I)
SEPARATORS = re.compile(r"\s*(?:[;/|\n]|,\s+)\s*")
PLAIN_NUMBER = re.compile(r"^\d[\d,]*(?:\.\d+)?$")
COMMA_LIST = re.compile(r"^\d+(?:\.\d+)?(?:,\d+(?:\.\d+)?)+$")
THOUSANDS = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
CENT = Decimal("0.01")


def parse_quarter_plan(text: str, amount: Decimal) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    """Four quarterly amounts adding up to ``amount``; :class:`InvalidAnswer` otherwise."""
    plan = _read(text, amount)
    total = sum(plan, Decimal(0))
    if total != amount:
        raise InvalidAnswer("invalid.plan.sum", total=format_money(total), amount=format_money(amount))
    return plan


def _read(text: str, amount: Decimal) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    parts = [normalize_input(part) for part in SEPARATORS.split(text.strip())]
    parts = [part for part in parts if part]
    joined = " ".join(parts)
    if not joined:
        raise InvalidAnswer("invalid.plan.format")
    if EVEN.match(joined):
        return _even(amount)
    labelled = LABELLED.findall(joined)
    if labelled and LABELLED.sub("", joined).strip() == "":
        return _labelled(labelled, amount)
    if len(parts) == 1 and all(PLAIN_NUMBER.match(word) for word in joined.split(" ")):
        parts = joined.split(" ")
    if len(parts) == 1 and COMMA_LIST.match(joined) and not THOUSANDS.match(joined):
        parts = joined.split(",")  # "50000,50000,30000,20000": commas that cannot be thousands separators
    if len(parts) != 4:
        raise InvalidAnswer("invalid.plan.count", count=len(parts))
    values = [parse_money(part) for part in parts]
    return values[0], values[1], values[2], values[3]


def _labelled(matches: list[tuple[str, str, str]], amount: Decimal) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    values = [Decimal(0)] * 4
    if len(matches) == 1 and not matches[0][1].strip():
        values[int(matches[0][0]) - 1] = amount
        return values[0], values[1], values[2], values[3]
    seen: set[int] = set()
    for quarter, written, _ in matches:
        index = int(quarter) - 1
        if index in seen:
            raise InvalidAnswer("invalid.plan.repeated", quarter=quarter)
        seen.add(index)
        values[index] = parse_money(written) if written.strip() else Decimal(0)
    return values[0], values[1], values[2], values[3]


def _even(amount: Decimal) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    return spread(amount, [1, 2, 3, 4])


def spread(amount: Decimal, quarters: list[int]) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    """The amount split evenly over the given quarters (the last one takes the satang left over)."""
    values = [Decimal(0)] * 4
    if not quarters:
        return values[0], values[1], values[2], values[3]
    share = (amount / len(quarters)).quantize(CENT, rounding="ROUND_DOWN")
    for quarter in quarters:
        values[quarter - 1] = share
    values[quarters[-1] - 1] = amount - share * (len(quarters) - 1)
    return values[0], values[1], values[2], values[3]
