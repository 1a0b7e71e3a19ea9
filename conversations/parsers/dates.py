"""Parser of calendar dates as Thai officials type them: day first, Buddhist-era or Gregorian years, Thai months."""

from __future__ import annotations

import calendar
import re
from datetime import date

from pythainlp.util.date import thai_abbr_months, thai_full_months

from conversations.parsers.errors import InvalidAnswer
from conversations.parsers.thai_text import excerpt, normalize_input

BE_OFFSET = 543
MIN_BE_YEAR = 2500
MAX_BE_YEAR = 2700
MAX_INPUT = 80
_MONTH_NOISE = re.compile(r"[.\s\-/,]")

_ENGLISH_MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip


def _month_key(word: str) -> str:
    """A month word without dots, spaces, dashes or case, so ``ต.ค.``, ``ต.ค``, ``ตค``, ``-ต.ค.-`` are one key."""
    return _MONTH_NOISE.sub("", word).casefold()


def _month_names() -> dict[str, int]:
    """Every spelling of a month people use: abbreviated, full, colloquial (``ตุลา``), English."""
    names: dict[str, int] = {}
    for number, (abbr, full) in enumerate(zip(thai_abbr_months, thai_full_months, strict=True), start=1):
        names[_month_key(abbr)] = number
        names[_month_key(full)] = number
        for suffix in ("คม", "ยน", "พันธ์"):  # มกรา, เมษา, กุมภา: the way months are said aloud
            if full.endswith(suffix):
                names[_month_key(full.removesuffix(suffix))] = number
        english = _ENGLISH_MONTHS[number - 1]
        names[english] = names[english[:3]] = number
    names.update({"กรกฏาคม": 7, "กรกฏา": 7, "กุมภาพันธุ์": 2, "sept": 9})  # frequent misspellings
    return names


MONTHS = _month_names()

_PREFIX = re.compile(r"^(?:วัน\S*?ที่|วันที่|ที่) ?")
_ERA = r"(?:(?P<era>พ\.? ?ศ\.?|ค\.? ?ศ\.?|b\.?e\.?|c\.?e\.?|a\.?d\.?) ?)?"
_ISO = re.compile(r"(?P<year>[0-9]{4}) ?(?P<sep>[-/.]) ?(?P<month>[0-9]{1,2}) ?(?P=sep) ?(?P<day>[0-9]{1,2})")
_NUMERIC = re.compile(
    rf"(?P<day>[0-9]{{1,2}}) ?(?P<sep>[-/.]) ?(?P<month>[0-9]{{1,2}}) ?(?P=sep) ?{_ERA}(?P<year>[0-9]{{2}}|[0-9]{{4}})"
)
_NAMED = re.compile(rf"(?P<day>[0-9]{{1,2}}) ?(?P<name>[^0-9]+?) ?,? ?{_ERA}(?P<year>[0-9]{{2}}|[0-9]{{4}})")
_NAMED_NO_YEAR = re.compile(r"(?P<day>[0-9]{1,2}) ?(?P<name>[^0-9]+?)")


def _be_year(raw: str, era: str | None, text: str) -> int:
    """The Buddhist-era year of a typed year.

    Two digits are always short BE (``69`` is 2569); four digits from 2400 are BE, from 1900 to 2200 CE,
    unless ``พ.ศ.``/``ค.ศ.`` says which.
    """
    number = int(raw)
    explicit = _month_key(era) if era else None
    if explicit in {"คศ", "ce", "ad"}:
        be_year = number + BE_OFFSET + (2000 if len(raw) == 2 else 0)
    elif len(raw) == 2:
        be_year = 2500 + number
    elif explicit in {"พศ", "be"} or number >= 2400:
        be_year = number
    elif 1900 <= number <= 2200:
        be_year = number + BE_OFFSET
    else:
        be_year = 0
    if not MIN_BE_YEAR <= be_year <= MAX_BE_YEAR:
        raise InvalidAnswer("invalid.date.year_out_of_range", text=excerpt(text), year=raw)
    return be_year


def _build(day: int, month: int, be_year: int, text: str) -> date:
    """The date, or the specific reason it does not exist (``31 ก.พ.``)."""
    days = calendar.monthrange(be_year - BE_OFFSET, month)[1]
    if not 1 <= day <= days:
        raise InvalidAnswer(
            "invalid.date.no_such_day",
            text=excerpt(text),
            day=day,
            month_name=thai_full_months[month - 1],
            year=be_year,
            days=days,
        )
    return date(be_year - BE_OFFSET, month, day)


def _numeric_month(raw: str, text: str) -> int:
    """A month number 1–12."""
    month = int(raw)
    if not 1 <= month <= 12:
        raise InvalidAnswer("invalid.date.no_such_month", text=excerpt(text), month=month)
    return month


def parse_date(text: str) -> date:
    """A calendar day, always day first as in Thai usage.

    Accepts ``1 ต.ค. 2569``, ``๑ ต.ค. ๖๙``, ``1/10/69``, ``01/10/2569``, ``1-10-2569``, ``1.10.2569``,
    ``30 กันยายน 2570``, ``1 ตค 69``, ISO ``2026-10-01`` and ``1 Oct 2026``.

    Raises:
        InvalidAnswer: ``invalid.date.format``, ``.no_year``, ``.no_such_month``, ``.no_such_day`` or
            ``.year_out_of_range``.
    """
    normalized = normalize_input(text)
    if len(normalized) > MAX_INPUT:
        raise InvalidAnswer("invalid.date.format", text=excerpt(normalized))
    body = _PREFIX.sub("", normalized.casefold())
    if match := _ISO.fullmatch(body):
        month = _numeric_month(match["month"], normalized)
        return _build(int(match["day"]), month, _be_year(match["year"], None, normalized), normalized)
    if match := _NUMERIC.fullmatch(body):
        month = _numeric_month(match["month"], normalized)
        return _build(int(match["day"]), month, _be_year(match["year"], match["era"], normalized), normalized)
    if (match := _NAMED.fullmatch(body)) and (named := MONTHS.get(_month_key(match["name"]))):
        return _build(int(match["day"]), named, _be_year(match["year"], match["era"], normalized), normalized)
    if (match := _NAMED_NO_YEAR.fullmatch(body)) and _month_key(match["name"]) in MONTHS:
        raise InvalidAnswer("invalid.date.no_year", text=excerpt(normalized))
    raise InvalidAnswer("invalid.date.format", text=excerpt(normalized))
