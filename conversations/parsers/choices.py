"""Parsers of closed answers and free text: yes/no, fiscal quarters and years, menu choices, bounded text."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from conversations.parsers.errors import InvalidAnswer
from conversations.parsers.thai_text import excerpt, normalize_input, normalize_text
from models.fiscal import BE_OFFSET, QUARTERS, FiscalQuarter

MAX_INPUT = 100
MIN_FISCAL_YEAR = 2500
MAX_FISCAL_YEAR = 2700

_YES = frozenset(
    {"ใช่", "ช่าย", "ใช่แล้ว", "ครับ", "ค่ะ", "คะ", "ค่า", "ใช้", "มี", "ได้", "เอา", "ถูกต้อง", "ตกลง", "โอเค", "ยืนยัน",
     "y", "yes", "yep", "ok", "okay", "👍", "👌", "✅", "⭕"}
)  # fmt: skip
_NO = frozenset(
    {"ไม่", "ไม่ใช่", "ไม่ใช้", "ไม่มี", "ไม่มีแล้ว", "ไม่แล้ว", "ไม่ได้", "ไม่เอา", "ไม่ถูกต้อง", "มิใช่", "n", "no", "nope",
     "👎", "❌", "✖"}
)
# Polite particles people add after the answer itself: ``ใช่ครับ``, ``ไม่มีค่ะ``, ``ไม่ใช่นะคะ``.
_PARTICLES = ("ครับผม", "ครับ", "คับ", "ค้าบ", "ค่ะ", "คะ", "ค่า", "จ้า", "จ้ะ", "จ๊ะ", "นะ", "ฮะ")
_DECORATION = re.compile(r"[\ufe0f\U0001f3fb-\U0001f3ff]|[ !.?~…]+$")

_ALL_YEAR = ("ทั้ง 4 ไตรมาส", "ทั้งสี่ไตรมาส", "ทุกไตรมาส", "ทั้งปี", "ทั้งหมด", "all")
_QUARTER_WORD = re.compile(r"ไตรมาส(?:ที่)?|q")
_RANGE_DASH = re.compile(r" ?(?:-|–|—|ถึง) ?")
_LIST_SEPARATOR = re.compile(r" ?(?:,|และ|กับ|\+|&) ?| ")
_QUARTER_SPAN = re.compile(r"([0-9]+)(?:-([0-9]+))?")

_ERA = r"(?:(?P<era>พ\.? ?ศ\.?|ค\.? ?ศ\.?) ?)?"
_FISCAL_YEAR = re.compile(rf"{_ERA}(?P<year>[0-9]+)")
_YEAR_WORD = r"(?:ปีงบประมาณ|ปีงบฯ?|ปี|fy) ?"
_YEAR_PREFIX = re.compile(rf"^{_YEAR_WORD}")
# Exactly one separator between quarter and year (a mark, a space, or the word ปี), never a repeated group:
# a repeated optional group backtracks exponentially on long nonsense.
_QUARTER_REF = re.compile(
    rf"(?:q|ไตรมาส(?:ที่)?)? ?(?P<quarter>[0-9]+)(?:(?: ?[/,-] ?| )(?:{_YEAR_WORD})?|{_YEAR_WORD}){_ERA}(?P<year>[0-9]+)"
)
_KEYCAP = re.compile(r"^[0-9#*]\ufe0f?\u20e3")


def parse_yes_no(text: str) -> bool:
    """True for yes, False for no, as people answer in chat: ``ใช่ครับ``, ``ค่ะ``, ``ไม่มีค่ะ``, ``ok``, 👍.

    ``ใช้`` counts as yes because it is the usual typo of ``ใช่``; a bare ``ครับ``/``ค่ะ`` is an agreeing yes.

    Raises:
        InvalidAnswer: ``invalid.yes_no``.
    """
    normalized = normalize_input(text)
    answer = _DECORATION.sub("", normalized.casefold()).strip()
    while answer:
        if answer in _YES:
            return True
        if answer in _NO:
            return False
        particle = next((p for p in _PARTICLES if answer.endswith(p) and len(answer) > len(p)), None)
        if particle is None:
            break
        answer = answer.removesuffix(particle).rstrip()
    raise InvalidAnswer("invalid.yes_no", text=excerpt(normalized))


def parse_quarters(text: str) -> tuple[int, ...]:
    """Fiscal quarters, sorted and unique: ``1``, ``q1,q2``, ``1-3``, ``ไตรมาส 1-2``, ``ทั้งปี`` (all four).

    Raises:
        InvalidAnswer: ``invalid.quarters``.
    """
    normalized = normalize_input(text)
    body = normalized.casefold()
    if len(body) > MAX_INPUT:
        raise InvalidAnswer("invalid.quarters", text=excerpt(normalized))
    for phrase in _ALL_YEAR:
        body = body.replace(phrase, " 1-4 ")
    body = _QUARTER_WORD.sub(" ", body).replace("(", " ").replace(")", " ")
    body = _RANGE_DASH.sub("-", " ".join(body.split()))
    chosen: set[int] = set()
    for token in _LIST_SEPARATOR.split(body):
        if not token:
            continue
        span = _QUARTER_SPAN.fullmatch(token)
        if span is None:
            raise InvalidAnswer("invalid.quarters", text=excerpt(normalized))
        first, last = int(span[1]), int(span[2] or span[1])
        if first not in QUARTERS or last not in QUARTERS or last < first:
            raise InvalidAnswer("invalid.quarters", text=excerpt(normalized))
        chosen.update(range(first, last + 1))
    if not chosen:
        raise InvalidAnswer("invalid.quarters", text=excerpt(normalized))
    return tuple(sorted(chosen))


def _fiscal_year(raw: str, era: str | None, text: str) -> int:
    """A Buddhist-era fiscal year from its digits; a Gregorian year gets a suggestion instead of a guess."""
    number = int(raw) if len(raw) <= 6 else 0
    is_ce = era is not None and era.replace(".", "").replace(" ", "") == "คศ"
    if len(raw) == 2 and not is_ce:
        return 2500 + number
    if len(raw) == 4 and not is_ce and MIN_FISCAL_YEAR <= number <= MAX_FISCAL_YEAR:
        return number
    suggestion = number + BE_OFFSET
    if len(raw) == 4 and (is_ce or 1900 <= number <= 2200) and MIN_FISCAL_YEAR <= suggestion <= MAX_FISCAL_YEAR:
        raise InvalidAnswer("invalid.fiscal_year.ce", text=excerpt(text), year=number, suggestion=suggestion)
    raise InvalidAnswer("invalid.fiscal_year.range", text=excerpt(text), year=excerpt(raw))


def parse_fiscal_year(text: str) -> int:
    """A Buddhist-era fiscal year 2500–2700: ``2570``, ``๒๕๗๐``, ``70``, ``ปีงบประมาณ พ.ศ. 2570``.

    Raises:
        InvalidAnswer: ``invalid.fiscal_year.format``, ``.ce`` (suggesting the BE year) or ``.range``.
    """
    normalized = normalize_input(text)
    body = _YEAR_PREFIX.sub("", normalized.casefold())
    match = _FISCAL_YEAR.fullmatch(body) if len(body) <= MAX_INPUT else None
    if match is None:
        raise InvalidAnswer("invalid.fiscal_year.format", text=excerpt(normalized))
    return _fiscal_year(match["year"], match["era"], normalized)


def parse_quarter_ref(text: str) -> FiscalQuarter:
    """One quarter of one fiscal year: ``Q2/2569``, ``q2/69``, ``Q2 2569``, ``ไตรมาส 2 ปี 2569``, ``2/2569``.

    Raises:
        InvalidAnswer: ``invalid.quarter_ref.format``, ``invalid.quarter_ref.quarter`` or a fiscal-year reason.
    """
    normalized = normalize_input(text)
    body = normalized.casefold()
    match = _QUARTER_REF.fullmatch(body) if len(body) <= MAX_INPUT else None
    if match is None:
        raise InvalidAnswer("invalid.quarter_ref.format", text=excerpt(normalized))
    quarter = int(match["quarter"]) if len(match["quarter"]) <= 2 else 0
    if quarter not in QUARTERS:
        raise InvalidAnswer("invalid.quarter_ref.quarter", text=excerpt(normalized), quarter=excerpt(match["quarter"]))
    return FiscalQuarter(_fiscal_year(match["year"], match["era"], normalized), quarter)


def _is_word_char(char: str) -> bool:
    """A letter, digit or a mark written on one (Thai vowels and tones), but not an emoji's selector or keycap."""
    return char.isalnum() or (unicodedata.category(char).startswith("M") and char not in "\ufe0e\ufe0f\u20e3")


@lru_cache(maxsize=4096)
def _label_forms(label: str) -> tuple[str, str]:
    """A button's label as typed text is compared with it: case-folded, and its core (``_core``). Remembered:
    the same labels are compared on every typed answer (a form's text is checked against the live buttons), and
    both are pure functions of the text; bounded, since labels hold answers too."""
    return normalize_input(label).casefold(), _core(label)


def _core(label: str) -> str:
    """A label as compared: case-folded, without the emoji, keycaps or symbols around its words."""
    text = _KEYCAP.sub("", normalize_input(label).casefold())
    start, end = 0, len(text)
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not _is_word_char(text[end - 1]):
        end -= 1
    return text[start:end]


def yes_or_no(text: str) -> bool | None:
    """Like :func:`parse_yes_no`, but None for text that is neither: where a yes or no is one possible meaning of
    what was typed, and anything else is read otherwise (a name, a new answer)."""
    try:
        return parse_yes_no(text)
    except InvalidAnswer:
        return None


def match_choice(text: str, choices: Sequence[tuple[str, str]]) -> str:
    """The value of the choice someone typed instead of tapping: its number, its label, or a label's start.

    Raises:
        InvalidAnswer: ``invalid.choice.ambiguous`` (several labels start so) or ``invalid.choice.unknown``.
    """
    normalized = normalize_input(text)
    count = len(choices)
    if normalized.isascii() and normalized.isdigit() and len(normalized) <= 4 and 1 <= int(normalized) <= count:
        return choices[int(normalized) - 1][0]
    folded, typed = normalized.casefold(), _core(normalized)
    for value, label in choices:
        (label_folded, label_core), (value_folded, value_core) = _label_forms(label), _label_forms(value)
        if folded in (label_folded, value_folded) or (typed and typed in (label_core, value_core)):
            return value
    if len(typed) >= 2:
        starting = [(value, label) for value, label in choices if _label_forms(label)[1].startswith(typed)]
        if len({value for value, _ in starting}) == 1:
            return starting[0][0]
        if starting:
            options = ", ".join(dict.fromkeys(normalize_input(label) for _, label in starting))
            raise InvalidAnswer("invalid.choice.ambiguous", text=excerpt(normalized), options=options)
    raise InvalidAnswer("invalid.choice.unknown", text=excerpt(normalized), count=count)


def exact_choice(text: str, choices: Sequence[tuple[str, str]]) -> str | None:
    """The value of the choice whose whole label was typed (emoji and case aside), else None.

    Where typed text is an answer of its own, only a label typed in full stands for its button: a number or
    a label's start stays an answer.
    """
    normalized = normalize_input(text)
    folded, typed = normalized.casefold(), _core(normalized)
    for value, label in choices:
        label_folded, label_core = _label_forms(label)
        if folded == label_folded or (typed and typed == label_core):
            return value
    return None


def parse_text(text: str, *, max_length: int, min_length: int = 1, multiline: bool = False) -> str:
    """Free text within the limits of the eMENSCR field it fills, normalized (single spaces, no invisibles; its
    Thai digits kept as typed).

    With ``multiline`` the paragraphs of a long answer (a rationale) keep their line breaks.

    Raises:
        InvalidAnswer: ``invalid.text.empty``, ``invalid.text.too_long`` or ``invalid.text.too_short``,
            the latter two stating the limit and the length given.
    """
    if multiline:
        lines = [normalize_text(line) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
        normalized = "\n".join(line for line in lines if line)
    else:
        normalized = normalize_text(text)
    if not normalized:
        raise InvalidAnswer("invalid.text.empty")
    if len(normalized) > max_length:
        raise InvalidAnswer("invalid.text.too_long", limit=f"{max_length:,}", length=f"{len(normalized):,}")
    if len(normalized) < min_length:
        raise InvalidAnswer("invalid.text.too_short", limit=f"{min_length:,}", length=f"{len(normalized):,}")
    return normalized
