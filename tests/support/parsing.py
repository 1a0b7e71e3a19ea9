"""What the parser tests share: every parser under a name, and how a refusal is checked."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from conversations.copy import placeholders, render
from conversations.copy.errors import ERRORS
from conversations.copy.reference import PROVINCES
from conversations.parsers.choices import (
    match_choice,
    parse_fiscal_year,
    parse_quarter_ref,
    parse_quarters,
    parse_text,
    parse_yes_no,
)
from conversations.parsers.contacts import parse_email, parse_phone
from conversations.parsers.date_range import parse_date_range
from conversations.parsers.dates import parse_date
from conversations.parsers.errors import InvalidAnswer
from conversations.parsers.numbers import parse_money, parse_number, parse_percent
from conversations.parsers.provinces import parse_province

MAX_MONEY = Decimal("999999999999.99")
CHOICES = [
    ("report", "📊 รายงานผล"),
    ("register", "📝 ลงทะเบียนโครงการ"),
    ("reports", "รายชื่อโครงการ"),
    ("help", "ช่วยเหลือ"),
]
PARSERS: dict[str, Callable[[str], object]] = {
    "money": parse_money,
    "number": parse_number,
    "percent": parse_percent,
    "date": parse_date,
    "date_range": parse_date_range,
    "email": parse_email,
    "phone": parse_phone,
    "yes_no": parse_yes_no,
    "quarters": parse_quarters,
    "fiscal_year": parse_fiscal_year,
    "quarter_ref": parse_quarter_ref,
    "choice": lambda text: match_choice(text, CHOICES),
    "text": lambda text: parse_text(text, max_length=20, min_length=3),
    "province": lambda text: parse_province(text, PROVINCES),
}


def outcome(parse: Callable[[str], object], text: str) -> InvalidAnswer | None:
    """The InvalidAnswer a parser raises for ``text``, or None when it accepts it."""
    try:
        parse(text)
    except InvalidAnswer as error:
        return error
    return None


def assert_renders(error: InvalidAnswer) -> None:
    """The reason is a catalog key and its message renders with exactly the params given."""
    assert error.reason.startswith("invalid.") and error.reason in ERRORS
    assert placeholders(error.reason) <= set(error.params)
    assert render(error.reason, **error.params)
    assert len(str(error.params.get("text", ""))) <= 40


def raised(parse: Callable[[str], object], text: str) -> InvalidAnswer:
    """The InvalidAnswer a parser raises, after checking that its message renders with the params given."""
    with pytest.raises(InvalidAnswer) as caught:
        parse(text)
    assert_renders(caught.value)
    return caught.value
