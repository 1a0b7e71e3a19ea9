"""Parsers of amounts people type: baht, KPI counts and percentages, in digits, Thai digits or Thai words."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Context, Decimal, localcontext
from itertools import accumulate

from pythainlp.tokenize import word_tokenize
from pythainlp.util import thaiword_to_num

from conversations.parsers.errors import InvalidAnswer
from conversations.parsers.thai_text import excerpt, normalize_input

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("999999999999.99")
MAX_INPUT = 200  # longer than any amount anyone types, even in words; also keeps the arithmetic below exact

_SCALES = {"ร้อย": 100, "พัน": 1_000, "หมื่น": 10_000, "แสน": 100_000}
_MILLIONS = (1, 1_000_000, 1_000_000_000_000)  # none, ล้าน, ล้านล้าน
_NUMBER = r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?|\.[0-9]+"
_SCALE_WORDS = "(?:ร้อย|พัน|หมื่น|แสน)?(?:ล้าน){0,2}"
# One term: a number and an optional scale word, ``1.5 ล้าน``, ``2 พันล้าน``, ``350,000``.
_TERM = re.compile(rf" ?({_NUMBER}) ?({_SCALE_WORDS})")
# A Thai numeral in words. pythainlp's own pattern backtracks exponentially on ``ล้านล้านล้าน…x`` (a minute for
# 25 repetitions), so words are only handed to it once this unambiguous pattern has accepted them.
_DIGIT_WORD = "(?:หนึ่ง|เอ็ด|สอง|ยี่|สาม|สี่|ห้า|หก|เจ็ด|แปด|เก้า)"
_SIX_WORDS = "".join(f"(?:{_DIGIT_WORD}?{unit})?" for unit in ("แสน", "หมื่น", "พัน", "ร้อย", "สิบ")) + f"{_DIGIT_WORD}?"
_THAI_WORDS = re.compile(rf"ศูนย์|(?:{_SIX_WORDS}ล้าน){{0,2}}{_SIX_WORDS}")
_SIGN = re.compile(r"^(?:-|−|ลบ) ?")
_CURRENCY_PREFIX = re.compile(r"^(?:฿|thb|บาท) ?")
_CURRENCY_SUFFIX = re.compile(r" ?(?:บาทถ้วน|บาท|บ\.|฿|thb|\.-)$")
_SATANG = re.compile(r"^(?:(.*?) ?บาท)? ?(.+?) ?สตางค์$")
_PERCENT_PREFIX = re.compile(r"^(?:ร้อยละ|ร้อยล่ะ) ?")
_PERCENT_SUFFIX = re.compile(r" ?(?:%|เปอร์เซ็นต์|เปอร์เซนต์|เปอร์เซ็น|percent)$")
_SCALE_WORD = re.compile(_SCALE_WORDS)
_UNIT = re.compile(r"^(.*[0-9]) ?([^0-9]*)$")
_UNIT_WORD = re.compile(r"[^\W\d_][^0-9]*")


def _scale(word: str) -> int:
    """The multiplier of a scale word such as ``พันล้าน`` (1e9); 1 for no word."""
    value = 1
    rest = word
    for unit in ("ร้อย", "พัน", "หมื่น", "แสน"):
        if rest.startswith(unit):
            value, rest = _SCALES[unit], rest[len(unit) :]
    return value * _MILLIONS[len(rest) // len("ล้าน")]


def _digits_amount(text: str) -> Decimal | None:
    """``1.5 ล้าน``, ``350,000``, ``1 ล้าน 5 แสน``; None when it is not that.

    Terms must get smaller (``1 ล้าน 2 ล้าน`` is a typo, not 3 million) and only the last may lack a scale word.
    """
    total = Decimal(0)
    ceiling: int | None = None
    position = 0
    while position < len(text):
        match = _TERM.match(text, position)
        if match is None:
            return None
        position = match.end()
        if not match[2] and position < len(text):
            return None
        scale = _scale(match[2])
        term = Decimal(match[1].replace(",", "")) * scale
        if ceiling is not None and term >= ceiling:
            return None
        total += term
        ceiling = scale
    return total


def _words_amount(text: str) -> Decimal | None:
    """A Thai numeral in words (``หนึ่งแสนห้าหมื่น``); None when it is not one."""
    compact = text.replace(" ", "")
    if not compact or len(compact) > MAX_INPUT or not _THAI_WORDS.fullmatch(compact):
        return None
    try:
        return Decimal(thaiword_to_num(compact))
    except Exception:  # pythainlp may raise anything on odd input; it is still just "not a number"
        return None


def _amount(text: str) -> Decimal | None:
    """A non-negative amount in digits (with scale words) or in Thai words."""
    if not text:
        return None
    with localcontext(Context(prec=2 * MAX_INPUT + 20)):  # exact for any input of MAX_INPUT characters
        return _digits_amount(text) if re.match(r" ?[0-9.]", text) else _words_amount(text)


def _money_body(text: str) -> Decimal | None:
    """An amount of baht with its currency words removed, including ``… บาท … สตางค์``."""
    body = _CURRENCY_PREFIX.sub("", text)
    for _ in range(2):  # ``350,000.- บาท``
        body = _CURRENCY_SUFFIX.sub("", body)
    satang_match = _SATANG.match(body)
    if satang_match is None:
        return _amount(body)
    baht = _amount(satang_match[1]) if satang_match[1] else Decimal(0)
    satang = _amount(satang_match[2])
    if baht is None or satang is None or satang >= 100 or satang != satang.to_integral_value():
        return None
    return baht + satang / 100


def _checked(value: Decimal | None, kind: str, quoted: str) -> Decimal:
    """Apply the rules shared by money and numbers: understood, not too large, at most two decimals."""
    if value is None:
        raise InvalidAnswer(f"invalid.{kind}.format", text=quoted)
    if value > MAX_AMOUNT:
        raise InvalidAnswer(f"invalid.{kind}.too_large", text=quoted)
    if value != value.quantize(CENT):
        raise InvalidAnswer(f"invalid.{kind}.decimals", text=quoted)
    return value.quantize(CENT)


def _signed(text: str, kind: str, parse: Callable[[str], Decimal | None]) -> Decimal:
    """Normalize and parse ``text`` with ``parse``; a leading minus on something that parses is "negative"."""
    normalized = normalize_input(text)
    quoted = excerpt(normalized)
    if len(normalized) > MAX_INPUT:
        raise InvalidAnswer(f"invalid.{kind}.format", text=quoted)
    body = normalized.casefold()
    sign = _SIGN.match(body)
    value = parse(body[sign.end() :] if sign else body)
    if sign is not None and value is not None and value > 0:  # "-0" is just zero
        raise InvalidAnswer(f"invalid.{kind}.negative", text=quoted)
    return _checked(value, kind, quoted)


def parse_money(text: str) -> Decimal:
    """An amount of baht, 0 to 999,999,999,999.99, as a Decimal with exactly two places.

    Accepts what officials type: ``350,000``, ``3.5 แสน``, ``1.2 ล้าน``, ``๓๕๐,๐๐๐ บาท``, ``หนึ่งแสนห้าหมื่น``.

    Raises:
        InvalidAnswer: ``invalid.money.format``, ``.negative``, ``.too_large`` or ``.decimals``.
    """
    return _signed(text, "money", _money_body)


def _number_body(text: str) -> Decimal | None:
    """A count or KPI value: an amount, optionally followed by a unit word (``240 คน``), or a percentage."""
    body = _PERCENT_SUFFIX.sub("", _PERCENT_PREFIX.sub("", text))
    value = _amount(body)
    if value is not None:
        return value
    split = _UNIT.match(body)
    if split is None:
        return _words_with_unit(body)
    if not split[2]:
        return None
    head, tail = split[1], split[2]
    scale_word = _SCALE_WORD.match(tail)
    scale = scale_word[0] if scale_word and not tail.startswith("พันธ") else ""  # 5 พันธุ์ is five kinds
    unit = tail[len(scale) :].strip()
    if not unit or not _UNIT_WORD.fullmatch(unit):
        return None
    return _amount(f"{head} {scale}" if scale else head)


def _words_with_unit(body: str) -> Decimal | None:
    """A count in Thai words followed by its unit word (``หนึ่งร้อยแปดสิบคน``), as amounts in words are taken. The
    numeral ends where a word does (pythainlp), so ``ห้าพันธุ์`` is five kinds and ``ห้าง`` no number; a decimal point
    in words (``จุด``) is not a unit."""
    start = _THAI_WORDS.match(body)
    if len(body) > MAX_INPUT or start is None or not start[0]:  # not even starting as a numeral
        return None
    ends = list(accumulate(len(word) for word in word_tokenize(body, engine="newmm")))
    for end in reversed(ends[:-1]):
        head, unit = body[:end].strip(), body[end:].strip()
        if head and _THAI_WORDS.fullmatch(head.replace(" ", "")):
            if unit.startswith("จุด") or not _UNIT_WORD.fullmatch(unit):
                return None
            return _words_amount(head)
    return None


def parse_number(text: str) -> Decimal:
    """A non-negative number with at most two decimals, e.g. a KPI target: ``85``, ``ร้อยละ 85``, ``240 คน``.

    A trailing unit word is ignored because people naturally type it; the question already names the unit.

    Raises:
        InvalidAnswer: ``invalid.number.format``, ``.negative``, ``.too_large`` or ``.decimals``.
    """
    return _signed(text, "number", _number_body)


def parse_percent(text: str) -> int:
    """A whole percentage 0–100: ``60``, ``60%``, ``ร้อยละ 60``, ``๖๐``.

    Decimals are refused rather than rounded, so that the bot never silently changes what was reported.

    Raises:
        InvalidAnswer: ``invalid.percent.format``, ``.range`` or ``.decimal``.
    """
    normalized = normalize_input(text)
    quoted = excerpt(normalized)
    body = normalized.casefold()
    sign = _SIGN.match(body)
    body = _PERCENT_SUFFIX.sub("", _PERCENT_PREFIX.sub("", body[sign.end() :] if sign else body))
    value = _amount(body) if len(normalized) <= MAX_INPUT else None
    if value is None:
        raise InvalidAnswer("invalid.percent.format", text=quoted)
    if sign is not None and value > 0:
        raise InvalidAnswer("invalid.percent.range", text=quoted)
    if value != value.to_integral_value():
        raise InvalidAnswer("invalid.percent.decimal", text=quoted)
    if value > 100:
        raise InvalidAnswer("invalid.percent.range", text=quoted)
    return int(value)
