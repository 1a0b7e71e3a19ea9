"""Tables of what the report's one-message parsers accept and refuse: activity progress and a comment's mentions."""

from __future__ import annotations

import pytest

from conversations.parsers.errors import InvalidAnswer
from conversations.parsers.mentions import Mention, mentions
from conversations.parsers.progress import Problem, Progress, looks_like_progress, parse_progress

DONE, GOING, NOT = "done", "in_progress", "not_started"


@pytest.mark.parametrize(("text", "entries"), [
    ("1.1 เสร็จ, 1.2 60%", [("1.1", DONE, 100), ("1.2", GOING, 60)]),
    ("1 เสร็จแล้ว 2 ร้อยละ 60", [("1", DONE, 100), ("2", GOING, 60)]),
    ("๑.๑ เสร็จ ๑.๒ ๖๐%", [("1.1", DONE, 100), ("1.2", GOING, 60)]),
    ("1 70%, 1.1 เสร็จ, 1.2 60%", [("1", GOING, 70), ("1.1", DONE, 100), ("1.2", GOING, 60)]),
    ("1.1: 100%\n1.2 - 0%", [("1.1", DONE, 100), ("1.2", NOT, 0)]),
    ("2 ยังไม่เริ่ม และ 3 กำลังดำเนินการ 30%", [("2", NOT, 0), ("3", GOING, 30)]),
    ("1.2 60", [("1.2", GOING, 60)]),
    ("1.2 60 เปอร์เซ็นต์", [("1.2", GOING, 60)]),
])
def test_progress_in_one_message(text: str, entries: list[tuple[str, str, int]]) -> None:
    parsed = parse_progress(text)
    assert parsed.entries == tuple(Progress(*entry) for entry in entries)
    assert parsed.problems == ()
    assert looks_like_progress(text)


@pytest.mark.parametrize(("text", "entries", "problems"), [
    ("1.2 150%", [], [("1.2 150%", "progress.bad_percent")]),
    ("1.2 60.5%", [], [("1.2 60.5%", "progress.bad_percent")]),
    ("1.2 กำลังดำเนินการ", [], [("1.2 กำลังดำเนินการ", "progress.no_percent")]),
    ("1.1 เสร็จ อะไรนะ 1.2 60", [("1.1", DONE, 100), ("1.2", GOING, 60)], [("อะไรนะ", "progress.unknown_words")]),
    ("1.1 เสร็จ แล้วก็อื่น ๆ", [("1.1", DONE, 100)], [("แล้วก็อื่น ๆ", "progress.unknown_words")]),
])
def test_what_is_understood_is_kept_and_the_rest_named(text: str, entries: list[tuple[str, str, int]],
                                                       problems: list[tuple[str, str]]) -> None:
    parsed = parse_progress(text)
    assert parsed.entries == tuple(Progress(*entry) for entry in entries)
    assert parsed.problems == tuple(Problem(*problem) for problem in problems)


@pytest.mark.parametrize("text", ["60", "60%", "เสร็จ", "กำลังดำเนินการ", "100", "ร้อยละ 60", "ยังไม่เริ่ม", "ดีค่ะ"])
def test_a_lone_answer_is_not_a_list(text: str) -> None:
    """One item's answer (a percentage, a state) is that item's, never read as a list of numbered items."""
    assert not looks_like_progress(text)


@pytest.mark.parametrize("text", ["60", "อะไรก็ได้", "   "])
def test_nothing_numbered_is_refused(text: str) -> None:
    with pytest.raises(InvalidAnswer) as refused:
        parse_progress(text)
    assert refused.value.reason == "progress.none"


@pytest.mark.parametrize(("comment", "found"), [
    ("ตัวชี้วัดที่ 1 ยังไม่ตรงกับผลสอบ", [("kpi", "1")]),
    ("ตัวชี้วัด ๒ และกิจกรรม 1.2 ไม่ถูก", [("kpi", "2"), ("activity", "1.2")]),
    ("กิจกรรมย่อยที่ 1.2 ควรเป็น 80%", [("activity", "1.2")]),
    ("KPI 1, kpi 1 อีกครั้ง", [("kpi", "1")]),
    ("เบิกจ่ายต่ำ ระบุเหตุผลให้ชัด", [("disbursed", ""), ("shortfall", "")]),
    ("แผนงานพื้นฐานไม่เกี่ยว แผนที่ 2 ขยายความ", [("plan", "2")]),
    ("ผลผลิตไม่ชัด ผลลัพธ์ด้วย", [("output", ""), ("outcome", "")]),
    ("ตัวชี้วัดยังไม่ตรง", [("kpi", "")]),
    ("ปัญหาอุปสรรคเขียนเพิ่ม", [("problems", "")]),
    ("ดีมาก เรียบร้อย", []),
])
def test_what_a_comment_names(comment: str, found: list[tuple[str, str]]) -> None:
    assert mentions(comment) == tuple(Mention(*mention) for mention in found)
