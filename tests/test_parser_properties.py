"""Properties of the parsers: any text gets a value or a message that renders; values round-trip."""

from __future__ import annotations

import unicodedata
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conversations.copy import render
from conversations.formatting import (
    baht_words,
    format_date,
    format_money,
    format_number,
    format_percent,
    format_quarters,
)
from conversations.parsers.choices import (
    match_choice,
    parse_fiscal_year,
    parse_quarter_ref,
    parse_quarters,
    parse_text,
)
from conversations.parsers.contacts import parse_email, parse_phone
from conversations.parsers.dates import parse_date
from conversations.parsers.errors import InvalidAnswer
from conversations.parsers.numbers import parse_money, parse_number, parse_percent
from conversations.parsers.thai_text import normalize_input
from models.fiscal import FiscalQuarter
from tests.support.parsing import MAX_MONEY, PARSERS, assert_renders, outcome

TOKENS = [
    "1", "2", "0", "9", "๑", "๖๙", "12", "2569", "2570", "2026", ",", ".", "-", "/", " ", "%", "#", "+66", "@", "q",
    "ต.ค.", "ก.พ.", "ตุลาคม", "บาท", "ถ้วน", "สตางค์", "ล้าน", "แสน", "พัน", "หมื่น", "หนึ่ง", "ห้า", "สิบ", "ร้อยละ",
    "ไตรมาส", "ปีงบ", "พ.ศ.", "ค.ศ.", "ใช่", "ไม่", "ครับ", "ค่ะ", "ต่อ", "คน", "ลบ", "ทั้งปี", "😀", "\u200b", "\x00",
    "\u0e48", "\n",
]
ANY_TEXT = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(min_codepoint=0x0E00, max_codepoint=0x0E7F) | st.sampled_from("0123456789 ,./-")),
    st.lists(st.sampled_from(TOKENS), max_size=12).map("".join),
)
PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("kind", sorted(PARSERS))
@PROPERTY
@given(text=ANY_TEXT)
def test_any_text_gives_a_value_or_a_renderable_invalid_answer(kind: str, text: str) -> None:
    error = outcome(PARSERS[kind], text)
    if error is not None:
        assert_renders(error)


@pytest.mark.parametrize("kind", sorted(PARSERS))
@settings(max_examples=20, deadline=None)
@given(text=st.text(min_size=1000, max_size=5000))
def test_long_pastes_are_refused_politely(kind: str, text: str) -> None:
    error = outcome(PARSERS[kind], text)
    if error is not None:
        assert_renders(error)


@PROPERTY
@given(text=st.text())
def test_normalize_input_is_idempotent_and_clean(text: str) -> None:
    once = normalize_input(text)
    assert normalize_input(once) == once
    assert unicodedata.is_normalized("NFC", once)
    assert once == once.strip() and "  " not in once
    assert not set(once) & set("\u200b\u200c\u200d\ufeff๐๑๒๓๔๕๖๗๘๙\n\t\x00")


MONEY = st.decimals(min_value=0, max_value=MAX_MONEY, places=2)


@PROPERTY
@given(amount=MONEY)
def test_money_round_trips_through_its_display_forms(amount: Decimal) -> None:
    assert parse_money(format_money(amount)) == amount
    assert parse_money(baht_words(amount)) == amount
    assert parse_money(str(amount)) == amount
    assert parse_money(f"{amount:,}") == amount


@PROPERTY
@given(value=MONEY)
def test_number_round_trips_through_format_number(value: Decimal) -> None:
    assert parse_number(format_number(value)) == value


@PROPERTY
@given(value=st.integers(min_value=0, max_value=100))
def test_percent_round_trips_through_format_percent(value: int) -> None:
    assert parse_percent(format_percent(value)) == value


@PROPERTY
@given(day=st.dates(min_value=date(1957, 1, 1), max_value=date(2157, 12, 31)))
def test_date_round_trips_through_its_written_forms(day: date) -> None:
    assert parse_date(format_date(day)) == day
    assert parse_date(format_date(day, long=True)) == day
    assert parse_date(day.isoformat()) == day
    assert parse_date(f"{day.day}/{day.month}/{day.year + 543}") == day
    if day.year + 543 < 2600:  # two-digit years are always 25xx
        assert parse_date(f"{day.day:02d}/{day.month:02d}/{(day.year + 543) % 100:02d}") == day


@PROPERTY
@given(quarters=st.sets(st.integers(min_value=1, max_value=4), min_size=1))
def test_quarters_round_trip_through_format_quarters(quarters: set[int]) -> None:
    assert parse_quarters(format_quarters(quarters)) == tuple(sorted(quarters))


@PROPERTY
@given(year=st.integers(min_value=2500, max_value=2700), quarter=st.integers(min_value=1, max_value=4))
def test_quarter_labels_and_years_round_trip(year: int, quarter: int) -> None:
    period = FiscalQuarter(year, quarter)
    assert parse_quarter_ref(period.label()) == period
    assert parse_fiscal_year(str(year)) == year


PHONES = st.one_of(
    st.builds(lambda p, n: f"0{p}{n:08d}", st.sampled_from("689"), st.integers(0, 99_999_999)),
    st.builds(lambda n: f"02{n:07d}", st.integers(0, 9_999_999)),
    st.builds(lambda p, n: f"0{p}{n:07d}", st.sampled_from("3457"), st.integers(0, 9_999_999)),
)


@PROPERTY
@given(number=PHONES, extension=st.one_of(st.just(""), st.integers(1, 999_999).map(lambda n: f" ต่อ {n}")))
def test_phone_canonical_form_is_a_fixed_point(number: str, extension: str) -> None:
    canonical = parse_phone(number + extension)
    assert parse_phone(canonical) == canonical
    assert canonical.replace("-", "").startswith(number)
    assert parse_phone("+66" + number[1:] + extension) == canonical


@PROPERTY
@given(address=st.emails())
def test_email_is_idempotent(address: str) -> None:
    try:
        first = parse_email(address)
    except InvalidAnswer:
        return  # RFC allows far more than a practical address (quoted local parts, IP literals)
    assert parse_email(first.upper()) == first == first.lower()


LABELS = st.lists(st.text(min_size=1, max_size=15), min_size=1, max_size=8, unique=True)


@PROPERTY
@given(labels=LABELS, data=st.data())
def test_choice_by_number_and_by_label(labels: list[str], data: st.DataObject) -> None:
    choices = [(f"v{index}", label) for index, label in enumerate(labels)]
    index = data.draw(st.integers(min_value=0, max_value=len(labels) - 1))
    assert match_choice(str(index + 1), choices) == f"v{index}"
    try:
        found = match_choice(labels[index], choices)
    except InvalidAnswer as error:
        render(error.reason, **error.params)
    else:
        assert found in {value for value, _ in choices}


@PROPERTY
@given(text=st.text(), limits=st.tuples(st.integers(1, 50), st.integers(0, 50)))
def test_parse_text_keeps_to_its_limits(text: str, limits: tuple[int, int]) -> None:
    min_length, extra = limits
    try:
        result = parse_text(text, max_length=min_length + extra, min_length=min_length)
    except InvalidAnswer as error:
        render(error.reason, **error.params)
    else:
        assert result == normalize_input(text)
        assert min_length <= len(result) <= min_length + extra
