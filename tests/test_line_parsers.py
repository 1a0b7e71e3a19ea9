"""The one-message formats' splitters and the typed plan references: tables of accepted and refused lines, and
properties (hypothesis) that hold for any name, number and quarter."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pythainlp.util import bahttext, num_to_thaiword

from conversations.copy import COPY
from conversations.parsers.errors import InvalidAnswer
from conversations.parsers.lines import MAX_LINES, SPLITTERS, lines_of, looks_structured
from conversations.parsers.numbers import parse_money
from conversations.parsers.plan_refs import code_of, split_references
from conversations.parsers.quarter_plan import parse_quarter_plan

ACCEPTED = [
    ("objective", "1. เพื่อพัฒนาครู 240 คน", "", {"text": "เพื่อพัฒนาครู 240 คน"}),
    ("objective", "• เพื่อยกระดับการอ่าน", "", {"text": "เพื่อยกระดับการอ่าน"}),
    ("kpi", "ร้อยละนักเรียนที่อ่านออกเขียนได้ตามเกณฑ์ 85 ร้อยละ", "",
     {"name": "ร้อยละนักเรียนที่อ่านออกเขียนได้ตามเกณฑ์", "target_value": "85", "unit": "ร้อยละ"}),
    ("kpi", "ร้อยละนักเรียน ป.1 ที่อ่านออก 85%", "",
     {"name": "ร้อยละนักเรียน ป.1 ที่อ่านออก", "target_value": "85", "unit": "ร้อยละ"}),
    ("kpi", "ร้อยละโรงเรียนที่ผ่านเกณฑ์ ร้อยละ ๘๐", "",
     {"name": "ร้อยละโรงเรียนที่ผ่านเกณฑ์", "target_value": "ร้อยละ 80", "unit": "ร้อยละ"}),
    ("kpi", "ร้อยละนักเรียน ป.๑ ที่อ่านออก ๘๕ ร้อยละ", "",
     {"name": "ร้อยละนักเรียน ป.๑ ที่อ่านออก", "target_value": "85", "unit": "ร้อยละ"}),  # the name as typed
    ("kpi", "จำนวนครูที่ผ่านการอบรม ๒๔๐ คน", "", {"name": "จำนวนครูที่ผ่านการอบรม", "target_value": "240", "unit": "คน"}),
    ("kpi", "จำนวนนักเรียน 4,200 คน", "", {"name": "จำนวนนักเรียน", "target_value": "4,200", "unit": "คน"}),
    ("activity", "1. ประชุมเชิงปฏิบัติการ Q1-Q2", "1", {"name": "ประชุมเชิงปฏิบัติการ", "quarters": "Q1-Q2"}),
    ("activity", "1.1 อบรมครูภาษาไทย ป.1 Q1", "1.1", {"name": "อบรมครูภาษาไทย ป.1", "quarters": "Q1"}),
    ("activity", "2. นิเทศ ติดตาม ไตรมาส 1-2", "2", {"name": "นิเทศ ติดตาม", "quarters": "ไตรมาส 1-2"}),
    ("activity", "๒.๑ นิเทศโรงเรียน ๑๒๐ โรง ไตรมาส ๑", "2.1", {"name": "นิเทศโรงเรียน ๑๒๐ โรง", "quarters": "ไตรมาส 1"}),
    ("activity", "สรุปผล (Q4)", "", {"name": "สรุปผล", "quarters": "Q4"}),
    ("activity", "ประเมินผล ทั้งปี", "", {"name": "ประเมินผล", "quarters": "ทั้งปี"}),
    ("budget", "สพฐ. งบดำเนินงาน 120,000 Q2", "",
     {"source": "via_agency", "agency": "สพฐ.", "expense_category": "operating", "amount": "120,000", "plan": "Q2"}),
    ("budget", "งบดำเนินงาน 350,000 Q1 150000 Q2 100000 Q3 60000 Q4 40000", "",
     {"source": "direct", "expense_category": "operating", "amount": "350,000",
      "plan": "Q1 150000 Q2 100000 Q3 60000 Q4 40000"}),
    ("budget", "จังหวัดเชียงใหม่ งบดำเนินงาน ๕๐,๐๐๐ บาท ไตรมาส ๓", "",
     {"source": "province", "province": "เชียงใหม่", "expense_category": "operating", "amount": "50,000 บาท",
      "plan": "ไตรมาส 3"}),
    ("budget", "ผ่าน สสวท. งบเงินอุดหนุน 1.5 ล้าน เท่ากัน", "",
     {"source": "via_agency", "agency": "สสวท.", "expense_category": "subsidy", "amount": "1.5 ล้าน",
      "plan": "เท่ากัน"}),
    ("budget", "งบหน่วยงาน งบลงทุน 200000 Q3", "",
     {"source": "direct", "expense_category": "investment", "amount": "200000", "plan": "Q3"}),
    # the amount in every form the amount question takes: words, Thai units, Thai digits
    ("budget", "สพฐ. งบดำเนินงาน ห้าหมื่นบาท Q2", "",
     {"source": "via_agency", "agency": "สพฐ.", "expense_category": "operating", "amount": "ห้าหมื่นบาท",
      "plan": "Q2"}),
    ("budget", "งบดำเนินงาน หนึ่งแสนห้าหมื่น เท่ากัน", "",
     {"source": "direct", "expense_category": "operating", "amount": "หนึ่งแสนห้าหมื่น", "plan": "เท่ากัน"}),
    ("budget", "งบลงทุน 3.5 แสน Q1 ห้าหมื่น Q2 1 แสน Q3 2 แสน", "",
     {"source": "direct", "expense_category": "investment", "amount": "3.5 แสน",
      "plan": "Q1 ห้าหมื่น Q2 1 แสน Q3 2 แสน"}),
    ("budget", "งบเงินอุดหนุน 1.2 ล้าน ไตรมาส 4", "",
     {"source": "direct", "expense_category": "subsidy", "amount": "1.2 ล้าน", "plan": "ไตรมาส 4"}),
    ("budget", "งบดำเนินงาน ๓๕๐,๐๐๐ บาท Q1 150000 Q2 100000 Q3 60000 Q4 40000", "",
     {"source": "direct", "expense_category": "operating", "amount": "350,000 บาท",
      "plan": "Q1 150000 Q2 100000 Q3 60000 Q4 40000"}),
    ("budget", "งบดำเนินงานสามแสนห้าหมื่นบาทQ1 หนึ่งแสนQ2 สองแสนห้าหมื่น", "",  # no spaces at all
     {"source": "direct", "expense_category": "operating", "amount": "สามแสนห้าหมื่นบาท",
      "plan": "Q1 หนึ่งแสนQ2 สองแสนห้าหมื่น"}),
    # number words before the category are the source's, never the amount's
    ("budget", "จังหวัดร้อยเอ็ด งบลงทุน หนึ่งแสนห้าหมื่น Q3", "",
     {"source": "province", "province": "ร้อยเอ็ด", "expense_category": "investment", "amount": "หนึ่งแสนห้าหมื่น",
      "plan": "Q3"}),
    ("budget", "ผ่าน สพป.ลำปาง เขตสอง งบดำเนินงาน สามแสน ไตรมาส 2", "",
     {"source": "via_agency", "agency": "สพป.ลำปาง เขตสอง", "expense_category": "operating", "amount": "สามแสน",
      "plan": "ไตรมาส 2"}),
]

REFUSED = [
    ("kpi", "ร้อยละนักเรียนที่อ่านออกเขียนได้", "bulk.kpi.no_target"),
    ("kpi", "จำนวนครูที่ผ่านการอบรม 240", "bulk.kpi.no_unit"),
    ("activity", "1. ประชุมเชิงปฏิบัติการ", "bulk.activity.no_quarters"),
    ("activity", "1. Q1-Q2", "bulk.activity.no_name"),
    ("budget", "สพฐ. 120,000 Q2", "bulk.budget.no_category"),
    ("budget", "งบดำเนินงาน Q2", "bulk.budget.no_amount"),
    ("budget", "งบดำเนินงาน 120,000", "bulk.budget.no_plan"),
    ("budget", "งบดำเนินงาน ห้าหมื่นบาท", "bulk.budget.no_plan"),
    ("budget", "งบดำเนินงาน ค่าอาหาร Q2", "bulk.budget.bad_amount"),  # words that are not an amount
    ("budget", "งบดำเนินงาน ห้าหมืน Q2", "bulk.budget.bad_amount"),  # a typo in the number word
    ("budget", "งบดำเนินงาน -50,000 Q2", "invalid.money.negative"),  # read, but not allowed: the money reason
    ("budget", "งบดำเนินงาน 9 ล้านล้าน Q2", "invalid.money.too_large"),
]


@pytest.mark.parametrize(("name", "line", "outline", "fields"), ACCEPTED)
def test_lines_accepted(name: str, line: str, outline: str, fields: dict[str, str]) -> None:
    assert SPLITTERS[name](line) == (outline, fields)


@pytest.mark.parametrize(("name", "line", "reason"), REFUSED)
def test_lines_refused_with_a_reason_the_copy_has(name: str, line: str, reason: str) -> None:
    with pytest.raises(InvalidAnswer) as refused:
        SPLITTERS[name](line)
    assert refused.value.reason == reason and reason in COPY


@pytest.mark.parametrize(("name", "line", "structured"), [
    ("objective", "เพื่อพัฒนาครู 240 คน", False),  # an objective is always just itself
    ("kpi", "ร้อยละนักเรียนที่อ่านออกเขียนได้ตามเกณฑ์", False),  # a name: asked one question at a time
    ("kpi", "จำนวนครูที่ผ่านการอบรม 240 คน", True),
    ("activity", "ประชุมเชิงปฏิบัติการพัฒนาครู", False),
    ("activity", "ประชุมเชิงปฏิบัติการพัฒนาครู Q1-Q2", True),
    ("activity", "Q1-Q2", False),  # quarters alone are the quarters question's answer, not an item
    ("budget", "งบของหน่วยงานเอง", False),  # the source button's words
    ("budget", "สพฐ. งบดำเนินงาน 120,000 Q2", True),
    ("budget", "สพฐ. งบดำเนินงาน ห้าหมื่นบาท Q2", True),  # an amount in words
    ("budget", "งบดำเนินงาน", False),
])
def test_one_line_is_a_whole_item_only_in_the_full_format(name: str, line: str, structured: bool) -> None:
    assert looks_structured(name, line) is structured


def test_lines_of_skips_blank_lines_and_refuses_a_flood() -> None:
    assert lines_of("a\n\n  b  \n") == [(1, "a"), (3, "b")]
    with pytest.raises(InvalidAnswer) as refused:
        lines_of("\n".join(["x"] * (MAX_LINES + 1)))
    assert refused.value.reason == "bulk.too_many"


NAMES = st.lists(st.sampled_from(["อบรม", "ครู", "นิเทศ", "ป.1", "ภาษาไทย", "การอ่าน", "โรงเรียน", "ติดตาม", "๓",
                                   "2569", "ร้อยละ", "(RT)"]), min_size=1, max_size=6).map(" ".join).filter(
    lambda name: not name.endswith("ร้อยละ") and not name[-1].isdigit() and name[-1] != "๓")


@given(name=NAMES, target=st.integers(min_value=0, max_value=10**9), unit=st.sampled_from(["คน", "โรงเรียน", "แห่ง"]))
def test_a_kpi_line_keeps_its_name_target_and_unit(name: str, target: int, unit: str) -> None:
    _, fields = SPLITTERS["kpi"](f"{name} {target:,} {unit}")
    assert fields == {"name": name, "target_value": f"{target:,}", "unit": unit}


@given(name=NAMES, first=st.integers(1, 4), span=st.integers(0, 3),
       number=st.tuples(st.integers(1, 30), st.none() | st.integers(1, 30)))
def test_an_outline_line_keeps_its_number_name_and_quarters(name: str, first: int, span: int,
                                                          number: tuple[int, int | None]) -> None:
    last = min(4, first + span)
    outline = f"{number[0]}" + (f".{number[1]}" if number[1] else "")
    quarters = f"Q{first}-Q{last}" if last > first else f"Q{first}"
    assert SPLITTERS["activity"](f"{outline}. {name} {quarters}") == (
        outline, {"name": name, "quarters": quarters})


@given(agency=st.sampled_from(["สพฐ.", "สสวท.", "ผ่าน สพฐ."]), amount=st.integers(1, 10**8),
       quarter=st.integers(1, 4))
def test_a_budget_line_keeps_its_amount_and_plan(agency: str, amount: int, quarter: int) -> None:
    _, fields = SPLITTERS["budget"](f"{agency} งบดำเนินงาน {amount:,} Q{quarter}")
    assert fields["amount"] == f"{amount:,}" and fields["plan"] == f"Q{quarter}"
    assert fields["source"] == "via_agency" and fields["agency"] == agency.removeprefix("ผ่าน ")


@given(amount=st.integers(1, 10**9), words=st.sampled_from([num_to_thaiword, bahttext]),
       quarter=st.integers(1, 4))
def test_a_budget_line_in_words_reads_as_the_amount_question_reads_it(amount: int, words: Callable[[int], str],
                                                                      quarter: int) -> None:
    _, fields = SPLITTERS["budget"](f"จังหวัดร้อยเอ็ด งบลงทุน {words(amount)} Q{quarter}")
    assert parse_money(fields["amount"]) == amount and fields["plan"] == f"Q{quarter}"
    assert fields["province"] == "ร้อยเอ็ด"


@pytest.mark.parametrize(("line", "plan"), [
    ("งบดำเนินงาน ห้าหมื่นบาท Q2", ("0", "50000", "0", "0")),
    ("งบดำเนินงาน หนึ่งแสนห้าหมื่น Q1 ห้าหมื่น Q2 1 แสน", ("50000", "100000", "0", "0")),
    ("งบดำเนินงาน 3.5 แสน Q1 1.5 แสน Q2 หนึ่งแสน Q3 ๖๐,๐๐๐ Q4 สี่หมื่นบาท", ("150000", "100000", "60000", "40000")),
    ("งบดำเนินงาน 1.2 ล้าน เท่ากัน", ("300000", "300000", "300000", "300000")),
])
def test_a_budget_lines_plan_adds_up_to_its_amount_in_any_form(line: str, plan: tuple[str, ...]) -> None:
    _, fields = SPLITTERS["budget"](line)
    assert parse_quarter_plan(fields["plan"], parse_money(fields["amount"])) == tuple(Decimal(v) for v in plan)


def test_a_budget_lines_plan_that_does_not_add_up_is_refused() -> None:
    _, fields = SPLITTERS["budget"]("งบดำเนินงาน หนึ่งแสนห้าหมื่น Q1 ห้าหมื่น Q2 1 แสน Q3 สองหมื่น")
    with pytest.raises(InvalidAnswer) as refused:
        parse_quarter_plan(fields["plan"], parse_money(fields["amount"]))
    assert refused.value.reason == "invalid.plan.sum"
    assert refused.value.params == {"total": "170,000 บาท", "amount": "150,000 บาท"}


@pytest.mark.parametrize(("reference", "code"), [
    ("NS-03", "NS-03"), ("ns 3", "NS-03"), ("ยุทธศาสตร์ชาติ 3", "NS-03"), ("ยุทธศาสตร์ที่ ๓", "NS-03"),
    ("MP-12", "MP-12"), ("แผนแม่บท 12", "MP-12"), ("MP-12 แผนย่อย 2", "MP-12-02"),
    ("แผนแม่บทที่ 12 แผนย่อยที่ 1 เป้าหมาย", "MP-12-01-Y1"), ("mp-12-01 y1", "MP-12-01-Y1"),
    ("MP-12-01-Y1", "MP-12-01-Y1"), ("หมุดหมาย 12", "NESDP13-12"), ("หมุดหมายที่ ๑๒", "NESDP13-12"),
    ("แผนปฏิรูป 9", "RF-09"), ("nesdp12-01", "NESDP12-01"),
    ("การศึกษา", None), ("ศตวรรษที่ 21", None), ("LAW", None),  # words: searched
])
def test_plan_references(reference: str, code: str | None) -> None:
    assert code_of(reference) == code


def test_a_message_of_several_references() -> None:
    assert split_references("NS-03, MP-12 แผนย่อย 2, หมุดหมาย 12") == ["NS-03", "MP-12 แผนย่อย 2", "หมุดหมาย 12"]
    assert split_references("NS-03\nMP-12-01-Y1 และ หมุดหมาย 12") == ["NS-03", "MP-12-01-Y1", "หมุดหมาย 12"]
    assert split_references("การศึกษาและการเรียนรู้") == ["การศึกษาและการเรียนรู้"]  # one phrase stays whole


@given(number=st.integers(1, 99))
def test_a_master_plan_by_number_is_its_code(number: int) -> None:
    assert code_of(f"แผนแม่บทที่ {number}") == f"MP-{number:02d}"
    assert code_of(f"หมุดหมาย {number}") == f"NESDP13-{number:02d}"
