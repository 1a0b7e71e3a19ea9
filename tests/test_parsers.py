"""Parsers of what people type: accepted and rejected tables, and the messages of refusals."""

from __future__ import annotations

import re
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from conversations.copy import COPY, render
from conversations.copy.errors import ERRORS
from conversations.copy.reference import PROVINCE_ALIASES, PROVINCES
from conversations.parsers.choices import (
    match_choice,
    parse_fiscal_year,
    parse_text,
)
from conversations.parsers.contacts import parse_email
from conversations.parsers.dates import parse_date
from conversations.parsers.errors import InvalidAnswer
from conversations.parsers.numbers import parse_money
from conversations.parsers.quarter_plan import parse_quarter_plan
from models.fiscal import FiscalQuarter
from tests.support.parsing import CHOICES, PARSERS, outcome, raised

ROOT = Path(__file__).resolve().parent.parent

# --- Accepted and rejected tables ------------------------------------------------------------------------------

D = Decimal
ACCEPTED: list[tuple[str, str, object]] = [
    *[("province", text, value) for text, value in [
        ("เชียงใหม่", "เชียงใหม่"), ("จ.เชียงใหม่", "เชียงใหม่"), ("จังหวัด เชียงใหม่", "เชียงใหม่"),
        ("เชียงใหม", "เชียงใหม่"), ("กรุงเทพ", "กรุงเทพมหานคร"), ("  ลำปาง ", "ลำปาง"),
        ("กทม", "กรุงเทพมหานคร"), ("กทม.", "กรุงเทพมหานคร"), ("โคราช", "นครราชสีมา"), ("จ.อุบล", "อุบลราชธานี"),
    ]],
    *[("money", text, D(value)) for text, value in [
        ("350000", "350000"), ("350,000", "350000"), ("350,000.50", "350000.50"), ("3.5 แสน", "350000"),
        ("1.2 ล้าน", "1200000"), ("1.5 ล้าน", "1500000"), ("๓๕๐,๐๐๐ บาท", "350000"), ("120,000 บาท", "120000"),
        ("150000บาท", "150000"), ("หนึ่งแสนห้าหมื่น", "150000"), ("หนึ่งแสนห้าหมื่นบาท", "150000"),
        ("หนึ่งแสนห้าหมื่นบาทถ้วน", "150000"), ("สามแสนห้าหมื่นบาทห้าสิบสตางค์", "350000.50"), ("2 หมื่น", "20000"),
        ("5 พัน", "5000"), ("0", "0"), ("  1.2ล้าน ", "1200000"), ("1 ล้าน 5 แสน", "1500000"), ("2 พันล้าน", "2000000000"),
        ("฿350,000", "350000"), ("350,000.-", "350000"), ("350,000 บ.", "350000"),
        ("999,999,999,999.99", "999999999999.99"),
        ("0.5", "0.50"), ("ศูนย์บาทถ้วน", "0"), ("-0", "0"), ("1\u200b50,000", "150000"), ("350,000.- บาท", "350000"),
        ("350,000 บาท 50 สตางค์", "350000.50"), ("ห้าสิบสตางค์", "0.50"), ("THB 1,000", "1000"), ("ร้อยเอ็ด", "101"),
    ]],
    *[("number", text, D(value)) for text, value in [
        ("85", "85"), ("85.5", "85.5"), ("ร้อยละ 85", "85"), ("85%", "85"), ("240 คน", "240"), ("๒๔๐", "240"),
        ("1,200", "1200"), ("0", "0"), ("12 แห่ง", "12"), ("3 ครั้ง/ปี", "3"), ("1.2 ล้านคน", "1200000"),
        ("ห้าสิบ", "50"), ("85.25", "85.25"), ("5 พันคน", "5000"), ("5 พันธุ์", "5"), ("1.2 ล้าน คน", "1200000"),
        ("85 %", "85"), ("-0", "0"), ("หนึ่งร้อยแปดสิบคน", "180"), ("หนึ่งร้อยแปดสิบ คน", "180"),
        ("ห้าพันธุ์", "5"), ("สามพันคน", "3000"),
    ]],
    *[("percent", text, value) for text, value in [
        ("60", 60), ("60%", 60), ("ร้อยละ 60", 60), ("๖๐", 60), ("0", 0), ("100", 100), ("60 %", 60), ("60.0", 60),
        ("60 เปอร์เซ็นต์", 60),
    ]],
    *[("date", text, value) for text, value in [
        ("1 ต.ค. 2569", date(2026, 10, 1)), ("๑ ต.ค. ๖๙", date(2026, 10, 1)), ("1/10/69", date(2026, 10, 1)),
        ("1/10/2569", date(2026, 10, 1)), ("01/10/2569", date(2026, 10, 1)), ("2026-10-01", date(2026, 10, 1)),
        ("30 กันยายน 2570", date(2027, 9, 30)), ("1 ตค 69", date(2026, 10, 1)), ("1 ต.ค 2569", date(2026, 10, 1)),
        ("1 ตุลาคม 69", date(2026, 10, 1)), ("1-10-2569", date(2026, 10, 1)), ("1.10.2569", date(2026, 10, 1)),
        ("1 Oct 2026", date(2026, 10, 1)), ("1 october 2026", date(2026, 10, 1)), ("1/10/2026", date(2026, 10, 1)),
        ("29 ก.พ. 2571", date(2028, 2, 29)), ("1ต.ค.69", date(2026, 10, 1)), ("วันที่ 1 ต.ค. 2569", date(2026, 10, 1)),
        ("1 ต.ค. พ.ศ. 2569", date(2026, 10, 1)), ("1 ตุลา 69", date(2026, 10, 1)), ("5 กรกฏาคม 2570", date(2027, 7, 5)),
        ("2569-10-01", date(2026, 10, 1)), ("1-ต.ค.-69", date(2026, 10, 1)), ("1 ต.ค., 2569", date(2026, 10, 1)),
        ("1 ต.ค. ค.ศ. 2026", date(2026, 10, 1)), ("วันพุธที่ 1 ต.ค. 69", date(2026, 10, 1)),
        ("31 ธ.ค. 2700", date(2157, 12, 31)), ("1 ม.ค. 2500", date(1957, 1, 1)),
    ]],
    *[("email", text, value) for text, value in [
        ("Somchai.J@Example.go.th", "somchai.j@example.go.th"), ("  a@b.co ", "a@b.co"),
        ("first.last+tag@sub.obec.go.th", "first.last+tag@sub.obec.go.th"), ("<nid@moe.go.th>", "nid@moe.go.th"),
        ("อีเมล nid@moe.go.th", "nid@moe.go.th"),
    ]],
    *[("phone", text, value) for text, value in [
        ("053-112-233", "053-112-233"), ("053 112 233", "053-112-233"), ("0812345678", "081-234-5678"),
        ("081-234-5678", "081-234-5678"), ("+66 81 234 5678", "081-234-5678"), ("+66812345678", "081-234-5678"),
        ("66812345678", "081-234-5678"), ("๐๘๑-๒๓๔-๕๖๗๘", "081-234-5678"), ("02-288-5555", "02-288-5555"),
        ("022885555", "02-288-5555"), ("02-288-5555 ต่อ 123", "02-288-5555 ต่อ 123"),
        ("02-288-5555 ext 123", "02-288-5555 ต่อ 123"), ("02-288-5555 #123", "02-288-5555 ต่อ 123"),
        ("+66 2 288 5555", "02-288-5555"), ("โทร 0612345678", "061-234-5678"), ("(02) 288 5555", "02-288-5555"),
    ]],
    *[("yes_no", text, True) for text in [
        "ใช่", "ช่าย", "ครับ", "ค่ะ", "คะ", "ใช้", "มี", "y", "yes", "ok", "ตกลง", "👍", "YES", " Ok ", "ใช่ครับ",
        "ใช่ค่ะ", "มีครับ", "ได้ครับ", "👍🏽", "ใช่ครับ!", "โอเคค่ะ",
        "ยืนยัน", "ยืนยันค่ะ",  # the confirm button's own word (📤 ยืนยันส่ง)
    ]],
    *[("yes_no", text, False) for text in [
        "ไม่", "ไม่ใช่", "ไม่ใช้", "ไม่มี", "n", "no", "NO", "ไม่มีค่ะ", "ไม่ครับ", "ไม่ใช่นะคะ", "ไม่เอาค่ะ",
        "ไม่มีแล้วค่ะ", "ไม่แล้วครับ",
    ]],
    *[("quarters", text, value) for text, value in [
        ("1", (1,)), ("Q1", (1,)), ("q1,q2", (1, 2)), ("1,2", (1, 2)), ("1 2", (1, 2)), ("1-3", (1, 2, 3)),
        ("Q1-Q2", (1, 2)), ("ไตรมาส 1", (1,)), ("ไตรมาส 1-2", (1, 2)), ("ไตรมาส ๒", (2,)), ("ทั้งปี", (1, 2, 3, 4)),
        ("ทุกไตรมาส", (1, 2, 3, 4)), ("ทั้งหมด", (1, 2, 3, 4)), ("2,1,2", (1, 2)), ("1 และ 3", (1, 3)),
        ("ไตรมาส 1–2, 4", (1, 2, 4)), ("ทั้งปี (ไตรมาส 1–4)", (1, 2, 3, 4)), ("ทั้งปี ไตรมาส 1–4", (1, 2, 3, 4)),
        ("ไตรมาสที่ 3", (3,)),
    ]],
    *[("fiscal_year", text, value) for text, value in [
        ("2570", 2570), ("๒๕๗๐", 2570), ("70", 2570), ("ปีงบ 2570", 2570), ("ปีงบประมาณ พ.ศ. 2570", 2570),
        ("ปี 2569", 2569), ("FY2570", 2570), ("2500", 2500), ("2700", 2700),
    ]],
    *[("quarter_ref", text, FiscalQuarter(2569, 2)) for text in [
        "Q2/2569", "q2/69", "Q2 2569", "ไตรมาส 2/2569", "ไตรมาส 2 ปี 2569", "2/2569", "ไตรมาสที่ 2 ปีงบประมาณ 2569",
        "Q2/FY2569", "ไตรมาส ๒/๒๕๖๙",
    ]],
    *[("choice", text, value) for text, value in [
        ("1", "report"), ("๒", "register"), ("4", "help"), ("รายงานผล", "report"), ("📊 รายงานผล", "report"),
        ("REPORT", "report"), ("ลง", "register"), ("ช่วย", "help"), ("  ช่วยเหลือ  ", "help"), ("รายงาน", "report"),
    ]],
    *[("text", text, value) for text, value in [
        ("โครงการ", "โครงการ"), ("  สอง   วรรค  ", "สอง วรรค"), ("abc", "abc"), ("x" * 20, "x" * 20),
        ("๓,๖๐๐ คน", "๓,๖๐๐ คน"),  # free text keeps the digits as typed (numbers parse them)
    ]],
]

REJECTED: list[tuple[str, str, str]] = [
    *[("money", text, reason) for text, reason in [
        ("-5000", "invalid.money.negative"), ("−5,000", "invalid.money.negative"), ("ลบห้าพัน", "invalid.money.negative"),
        ("350.555", "invalid.money.decimals"), ("abc", "invalid.money.format"), ("😀", "invalid.money.format"),
        ("1,2,3", "invalid.money.format"), ("9999999999999", "invalid.money.too_large"), ("", "invalid.money.format"),
        ("1 ล้านล้าน", "invalid.money.too_large"), ("350 000", "invalid.money.format"),
        ("(sticker)", "invalid.money.format"), ("1 ล้าน 2 ล้าน", "invalid.money.format"),
        ("-abc", "invalid.money.format"),
        ("ล้าน" * 25 + "x", "invalid.money.format"), ("240 คน", "invalid.money.format"),
        ("1" * 5000, "invalid.money.format"), ("1e5", "invalid.money.format"),
    ]],
    *[("number", text, reason) for text, reason in [
        ("-5", "invalid.number.negative"), ("abc", "invalid.number.format"), ("🎉", "invalid.number.format"),
        ("ห้าง", "invalid.number.format"), ("หกสิบสี่จุดห้า", "invalid.number.format"),  # not a numeral and a unit
        ("85.555", "invalid.number.decimals"), ("1" * 15, "invalid.number.too_large"),
        ("240 คน 5", "invalid.number.format"),
        ("", "invalid.number.format"), ("NaN", "invalid.number.format"), ("1 2", "invalid.number.format"),
    ]],
    *[("percent", text, reason) for text, reason in [
        ("101", "invalid.percent.range"), ("-1", "invalid.percent.range"), ("60.5", "invalid.percent.decimal"),
        ("หกสิบห้าเปอร์", "invalid.percent.format"), ("text", "invalid.percent.format"), ("", "invalid.percent.format"),
    ]],
    *[("date", text, reason) for text, reason in [
        ("31 ก.พ. 2570", "invalid.date.no_such_day"), ("29 ก.พ. 2570", "invalid.date.no_such_day"),
        ("31/4/2569", "invalid.date.no_such_day"), ("0/10/2569", "invalid.date.no_such_day"),
        ("1/13/2569", "invalid.date.no_such_month"), ("2026-13-01", "invalid.date.no_such_month"),
        ("hello", "invalid.date.format"), ("", "invalid.date.format"), ("1 foo 2569", "invalid.date.format"),
        ("1/10/1800", "invalid.date.year_out_of_range"), ("1 ต.ค. 2800", "invalid.date.year_out_of_range"),
        ("1/10/2300", "invalid.date.year_out_of_range"), ("1 ต.ค.", "invalid.date.no_year"),
        ("1/10-2569", "invalid.date.format"),
        ("1/10/569", "invalid.date.format"), ("📅", "invalid.date.format"),
    ]],
    *[("date_range", text, reason) for text, reason in [
        ("ถึง 30/9/70", "invalid.date_range.format"), ("1/10/69 –", "invalid.date_range.format"),
        ("1/10/69 - 31/9/70", "invalid.date.no_such_day"), ("1/10/69 ถึง สิ้นปี", "invalid.date.format"),
    ]],
    *[("email", text, "invalid.email.format") for text in [
        "somchai", "a b@x.com", "a@@b.com", "a@b", "@b.com", "a@b.c", "a..b@x.com", "สมชาย@x.com", "", "a@-b.com",
    ]],
    *[("phone", text, reason) for text, reason in [
        ("abc", "invalid.phone.format"), ("081-234-567a", "invalid.phone.format"),
        ("1234567890", "invalid.phone.format"), ("08123", "invalid.phone.length"),
        ("081234567890", "invalid.phone.length"), ("02-288-55555", "invalid.phone.length"),
        ("", "invalid.phone.format"), ("0112345678", "invalid.phone.format"),
    ]],
    *[("province", text, "invalid.province") for text in ["งบดำเนินงาน", "จ.", "", "สพฐ.", "ชียง"]],
    *[("yes_no", text, "invalid.yes_no") for text in ["maybe", "", "อาจจะ", "ครับครับไม่", "🤔", "ใช่ไหม"]],
    *[("quarters", text, "invalid.quarters") for text in ["0", "5", "text", "", "1-5", "3-1", "Q0", "ไตรมาส"]],
    *[("fiscal_year", text, reason) for text, reason in [
        ("2027", "invalid.fiscal_year.ce"), ("ค.ศ. 2027", "invalid.fiscal_year.ce"),
        ("1800", "invalid.fiscal_year.range"), ("2800", "invalid.fiscal_year.range"),
        ("257", "invalid.fiscal_year.range"), ("abc", "invalid.fiscal_year.format"),
        ("", "invalid.fiscal_year.format"), ("25x0", "invalid.fiscal_year.format"),
    ]],
    *[("quarter_ref", text, reason) for text, reason in [
        ("Q5/2569", "invalid.quarter_ref.quarter"), ("Q0/2569", "invalid.quarter_ref.quarter"),
        ("Q2/2027", "invalid.fiscal_year.ce"), ("Q2/1800", "invalid.fiscal_year.range"),
        ("Q2", "invalid.quarter_ref.format"),
        ("", "invalid.quarter_ref.format"), ("ไตรมาส", "invalid.quarter_ref.format"),
    ]],
    *[("choice", text, reason) for text, reason in [
        ("5", "invalid.choice.unknown"), ("0", "invalid.choice.unknown"), ("xyz", "invalid.choice.unknown"),
        ("ร", "invalid.choice.unknown"), ("", "invalid.choice.unknown"), ("ราย", "invalid.choice.ambiguous"),
    ]],
    *[("text", text, reason) for text, reason in [
        ("", "invalid.text.empty"), ("   \u200b ", "invalid.text.empty"), ("x" * 21, "invalid.text.too_long"),
        ("ab", "invalid.text.too_short"),
    ]],
]


@pytest.mark.parametrize(("kind", "text", "expected"), ACCEPTED)
def test_accepted(kind: str, text: str, expected: object) -> None:
    result = PARSERS[kind](text)
    assert result == expected
    assert type(result) is type(expected)
    if isinstance(result, Decimal) and kind == "money":
        assert result.as_tuple().exponent == -2


@pytest.mark.parametrize(("kind", "text", "reason"), REJECTED)
def test_rejected(kind: str, text: str, reason: str) -> None:
    assert raised(PARSERS[kind], text).reason == reason


def test_every_message_is_reachable_and_every_reason_has_a_message() -> None:
    assert {reason for _, _, reason in REJECTED} == set(ERRORS)


def test_every_literal_reason_in_the_parsers_has_a_message() -> None:
    mine = ("choices", "contacts", "dates", "numbers", "thai_text", "provinces")
    source = "\n".join((ROOT / f"conversations/parsers/{name}.py").read_text(encoding="utf-8") for name in mine)
    literal = set(re.findall(r'InvalidAnswer\(\s*"([^"]+)"', source))
    templated = set(re.findall(r'InvalidAnswer\(\s*f"invalid\.\{kind\}\.([a-z_]+)"', source))
    assert literal and templated
    assert literal <= set(ERRORS)
    assert {f"invalid.{kind}.{suffix}" for kind in ("money", "number") for suffix in templated} <= set(ERRORS)
    assert set(ERRORS) <= set(COPY)


def test_messages_quote_the_text_and_shorten_long_input() -> None:
    error = raised(parse_money, "ก" * 5000)
    assert error.params["text"] == "ก" * 39 + "…"
    assert "ก" * 39 + "…" in render(error.reason, **error.params)


def test_messages_quote_what_was_typed_not_a_case_folded_copy() -> None:
    assert raised(parse_money, "THB Fifty").params["text"] == "THB Fifty"
    assert raised(parse_email, "  Somchai AT Example  ").params["text"] == "Somchai AT Example"


def test_no_such_day_explains_the_month() -> None:
    error = raised(parse_date, "31 ก.พ. 2570")
    assert "กุมภาพันธ์ 2570 มีแค่ 28 วัน" in render(error.reason, **error.params)


def test_ce_fiscal_year_suggests_the_be_year() -> None:
    error = raised(parse_fiscal_year, "2027")
    assert error.params["suggestion"] == 2570
    assert "2570" in render(error.reason, **error.params)


def test_too_long_states_limit_and_length_with_separators() -> None:
    with pytest.raises(InvalidAnswer) as caught:
        parse_text("ก" * 3000, max_length=1000)
    assert caught.value.params == {"limit": "1,000", "length": "3,000"}
    assert "3,000" in render("invalid.text.too_long", **caught.value.params)


def test_ambiguous_choice_lists_the_matching_labels() -> None:
    error = raised(lambda text: match_choice(text, CHOICES), "ราย")
    assert error.params["options"] == "📊 รายงานผล, รายชื่อโครงการ"
    assert raised(lambda text: match_choice(text, CHOICES), "9").params["count"] == 4


def test_choice_labels_with_emoji_keycaps_and_symbols() -> None:
    choices = [("a", "1️⃣ ลงทะเบียน"), ("b", "2️⃣ รายงานผล ✅"), ("c", "👍"), ("d", "ดูสถานะ »")]
    assert match_choice("ลงทะเบียน", choices) == "a"
    assert match_choice("รายงาน", choices) == "b"
    assert match_choice("รายงานผล", choices) == "b"
    assert match_choice("👍", choices) == "c"
    assert match_choice("ดูสถานะ", choices) == "d"
    assert match_choice("ดู", choices) == "d"


def test_adversarial_input_is_refused_quickly() -> None:
    nasty = ["ล้าน" * 60 + "x", "หนึ่ง" * 40 + "ก", "1," * 2000 + "x", "q1 ปี " * 30 + "x", "a." * 120 + "@", "9" * 5000]
    started = time.perf_counter()
    for text in nasty:
        for parse in PARSERS.values():
            outcome(parse, text)
    assert time.perf_counter() - started < 5


@pytest.mark.parametrize(("text", "plan"), [
    ("150000, 100000, 60000, 40000", (150000, 100000, 60000, 40000)),
    ("150000,100000,60000,40000", (150000, 100000, 60000, 40000)),  # commas that cannot group thousands
    ("๑๕๐๐๐๐,๑๐๐๐๐๐,๖๐๐๐๐,๔๐๐๐๐", (150000, 100000, 60000, 40000)),
    ("150,000 100,000 60,000 40,000", (150000, 100000, 60000, 40000)),
])
def test_a_quarterly_plan_is_read_however_its_amounts_are_separated(text: str, plan: tuple[int, ...]) -> None:
    assert parse_quarter_plan(text, D("350000")) == tuple(D(value) for value in plan)


def test_thousands_grouping_is_one_amount_not_a_list() -> None:
    with pytest.raises(InvalidAnswer) as refused:
        parse_quarter_plan("350,000", D("350000"))
    assert refused.value.reason == "invalid.plan.count"


def test_every_province_alias_names_a_province() -> None:
    assert set(PROVINCE_ALIASES.values()) <= set(PROVINCES)
    assert not set(PROVINCE_ALIASES) & set(PROVINCES)  # an alias is another name, never the official one
