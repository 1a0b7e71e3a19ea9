"""Display helpers: the Thai forms the bot echoes back, at their edges."""

from __future__ import annotations

import unicodedata
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pythainlp.util import bahttext

from conversations.formatting import (
    baht_words,
    format_date,
    format_money,
    format_number,
    format_percent,
    format_quarters,
    shorten,
)

D = Decimal
THAI_MARKS = {"\u0e31", "\u0e33", *map(chr, range(0x0E34, 0x0E3B)), *map(chr, range(0x0E47, 0x0E4F))}


@pytest.mark.parametrize(
    ("day", "short", "long"),
    [
        (date(2026, 10, 1), "1 ต.ค. 2569", "1 ตุลาคม 2569"),
        (date(2027, 9, 30), "30 ก.ย. 2570", "30 กันยายน 2570"),
        (date(2028, 2, 29), "29 ก.พ. 2571", "29 กุมภาพันธ์ 2571"),
        (date(2027, 1, 15), "15 ม.ค. 2570", "15 มกราคม 2570"),
    ],
)
def test_format_date(day: date, short: str, long: str) -> None:
    assert format_date(day) == short
    assert format_date(day, long=True) == long


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (D("350000"), "350,000 บาท"),
        (D("350000.50"), "350,000.50 บาท"),
        (D("350000.5"), "350,000.50 บาท"),
        (D("350000.00"), "350,000 บาท"),
        (D("0"), "0 บาท"),
        (D("0.01"), "0.01 บาท"),
        (D("999999999999.99"), "999,999,999,999.99 บาท"),
        (D("1.2E+6"), "1,200,000 บาท"),
    ],
)
def test_format_money(amount: Decimal, expected: str) -> None:
    assert format_money(amount) == expected


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (D("350000"), "สามแสนห้าหมื่นบาทถ้วน"),
        (D("350000.50"), "สามแสนห้าหมื่นบาทห้าสิบสตางค์"),
        (D("0"), "ศูนย์บาทถ้วน"),
        (D("0.1") + D("0.2"), "สามสิบสตางค์"),
        (D("21.01"), "ยี่สิบเอ็ดบาทหนึ่งสตางค์"),
        (D("1000001"), "หนึ่งล้านเอ็ดบาทถ้วน"),
        (D("100"), "หนึ่งร้อยบาทถ้วน"),
        (D("999999999999.99"), "เก้าแสนเก้าหมื่นเก้าพันเก้าร้อยเก้าสิบเก้าล้านเก้าแสนเก้าหมื่นเก้าพันเก้าร้อยเก้าสิบเก้าบาทเก้าสิบเก้าสตางค์"),
        (D("9007199254740993"), "เก้าพันเจ็ดล้านหนึ่งแสนเก้าหมื่นเก้าพันสองร้อยห้าสิบสี่ล้านเจ็ดแสนสี่หมื่นเก้าร้อยเก้าสิบสามบาทถ้วน"),
    ],
)
def test_baht_words(amount: Decimal, expected: str) -> None:
    assert baht_words(amount) == expected


@settings(max_examples=200, deadline=None)
@given(baht=st.integers(min_value=0, max_value=10**15))
def test_baht_words_agrees_with_pythainlp_for_whole_baht(baht: int) -> None:
    assert baht_words(Decimal(baht)) == bahttext(baht)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D("1200"), "1,200"),
        (D("85.5"), "85.5"),
        (D("85.50"), "85.5"),
        (D("85.25"), "85.25"),
        (D("1200.00"), "1,200"),
        (D("0"), "0"),
        (D("0.00"), "0"),
        (D("1.2E+3"), "1,200"),
        (D("1234567.8"), "1,234,567.8"),
    ],
)
def test_format_number(value: Decimal, expected: str) -> None:
    assert format_number(value) == expected


@pytest.mark.parametrize(
    ("quarters", "expected"),
    [
        ([1], "ไตรมาส 1"),
        ([1, 2], "ไตรมาส 1–2"),
        ([2, 1, 2], "ไตรมาส 1–2"),
        ([1, 3], "ไตรมาส 1, 3"),
        ([2, 3, 4], "ไตรมาส 2–4"),
        ([1, 2, 4], "ไตรมาส 1–2, 4"),
        ((1, 2, 3, 4), "ทั้งปี ไตรมาส 1–4"),  # no brackets: echoes put it in brackets
        (range(1, 5), "ทั้งปี ไตรมาส 1–4"),
    ],
)
def test_format_quarters(quarters: list[int], expected: str) -> None:
    assert format_quarters(quarters) == expected


@pytest.mark.parametrize("quarters", [[], [0], [5], [1, 5]])
def test_format_quarters_refuses_impossible_quarters(quarters: list[int]) -> None:
    with pytest.raises(ValueError, match="quarters"):
        format_quarters(quarters)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (73, "73%"),
        (D("72.9"), "72.9%"),
        (D("72.94"), "72.9%"),
        (D("72.95"), "73%"),
        (72.95, "73%"),
        (D("73.0"), "73%"),
        (0, "0%"),
        (100.0, "100%"),
        (0.1 + 0.2, "0.3%"),
        (D("33.333"), "33.3%"),
    ],
)
def test_format_percent(value: Decimal | float | int, expected: str) -> None:
    assert format_percent(value) == expected


@pytest.mark.parametrize("value", [float("nan"), float("inf"), D("NaN"), D("-Infinity")])
def test_format_percent_refuses_non_numbers(value: Decimal | float) -> None:
    with pytest.raises(ValueError, match="percentage"):
        format_percent(value)


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("สั้น", 10, "สั้น"),
        ("abcdef", 6, "abcdef"),
        ("abcdef", 5, "abcd…"),
        ("abcdef", 1, "…"),
        ("ที่ทำการ", 3, "…"),  # the vowel and tone mark stay with ท, so "ที่" goes whole
        ("ที่ทำการ", 4, "ที่…"),
        ("น้ำ", 2, "…"),
        ("กำลัง", 2, "…"),  # ก | ำ : SARA AM belongs to its consonant
        ("กำลัง", 3, "กำ…"),
        ("เกม", 2, "…"),  # never end on a leading vowel
        ("hello world", 7, "hello…"),
        ("👍🏽👍🏽👍🏽", 3, "👍🏽…"),
    ],
)
def test_shorten(text: str, limit: int, expected: str) -> None:
    assert shorten(text, limit) == expected


def test_shorten_needs_room_for_the_ellipsis() -> None:
    with pytest.raises(ValueError, match="limit"):
        shorten("abc", 0)


@settings(max_examples=500, deadline=None)
@given(text=st.text(), limit=st.integers(min_value=1, max_value=60))
def test_shorten_never_exceeds_the_limit_nor_splits_a_mark_from_its_base(text: str, limit: int) -> None:
    result = shorten(text, limit)
    assert len(result) <= limit
    if len(text) <= limit:
        assert result == text
        return
    assert result.endswith("…")
    kept = result[:-1]
    assert text.startswith(kept)
    following = text[len(kept)] if len(kept) < len(text) else ""
    if following == " " or not kept:  # the cut fell on spaces, or nothing was kept: no base was split from a mark
        return
    assert following not in THAI_MARKS
    assert unicodedata.category(following or "a") not in {"Mn", "Mc", "Me"}
