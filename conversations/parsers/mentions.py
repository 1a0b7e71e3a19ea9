"""Which parts of a quarterly report a director's comment speaks of: ``ตัวชี้วัดที่ 1 ยังไม่ตรงกับผลสอบ``.

A returned report opens on what the comment names, so that fixing one value takes no hunting: a KPI or an
activity by its number (``ตัวชี้วัดที่ 1``, ``ตัวชี้วัด 2``, ``กิจกรรม 1.2``, ``KPI 1``), a linked plan by its
number (``แผนที่ 2``), or a part by its name (ผลผลิต, ผลลัพธ์, การเบิกจ่าย, เหตุผล, ปัญหา). Thai digits are read as
digits. The mentions come in the order the comment gives them, each once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from conversations.parsers.thai_text import normalize_input

KPI, ACTIVITY, PLAN = "kpi", "activity", "plan"
OUTPUT, OUTCOME, DISBURSED, SHORTFALL, PROBLEMS = "output", "outcome", "disbursed", "shortfall", "problems"
_NUMBERED = (
    (KPI, r"ตัวชี้วัด|kpi"),
    (ACTIVITY, r"กิจกรรม(?:ย่อย)?"),
    (PLAN, r"แผน(?!งาน)"),
)
_NUMBER = r" ?(?:ที่|ข้อ|ลำดับที่|#|no\.?)? ?(\d{1,2}(?:\.\d{1,2})?)(?![\d.]*\d)"
_NAMED = (
    (OUTPUT, r"ผลผลิต|output"),
    (OUTCOME, r"ผลลัพธ์|outcome"),
    (SHORTFALL, r"เหตุผล"),
    (DISBURSED, r"เบิกจ่าย|เบิก|งบประมาณ|ใช้จ่าย"),
    (PROBLEMS, r"ปัญหา|อุปสรรค"),
)
_PATTERNS = [(kind, re.compile(f"(?:{words})(?:{_NUMBER})?", re.IGNORECASE)) for kind, words in _NUMBERED] + [
    (kind, re.compile(f"(?:{words})()", re.IGNORECASE)) for kind, words in _NAMED]


@dataclass(frozen=True, slots=True)
class Mention:
    """A part of the report the comment names: its kind and, for a list item, its number (``1.2``)."""

    kind: str
    number: str = ""


def mentions(comment: str) -> tuple[Mention, ...]:
    """The parts of the report a comment names, in the order written, each once (none for a general remark)."""
    text = normalize_input(comment)
    found: list[tuple[int, Mention]] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            found.append((match.start(), Mention(kind, match.group(1) or "")))
    ordered: list[Mention] = []
    for _, mention in sorted(found, key=lambda pair: pair[0]):
        if mention not in ordered:
            ordered.append(mention)
    return tuple(ordered)
