"""Parser of a start and an end date typed in one message (``1/10/69 - 30/9/70``, ``1 ต.ค. 2569 ถึง 30 ก.ย. 2570``).

A project's two dates are usually asked in one go: typing both saves an input. Each half is read by
:func:`conversations.parsers.dates.parse_date`, so a range accepts exactly what a single date accepts.
"""

from __future__ import annotations

import re
from datetime import date

from conversations.parsers.dates import MAX_INPUT, parse_date
from conversations.parsers.errors import InvalidAnswer
from conversations.parsers.thai_text import excerpt, normalize_input

# words and dashes that join two dates; a hyphen may also be a date's own separator (1-10-2569), so every hyphen
# is tried as the join and kept only where both sides read as dates
_JOIN = re.compile(r"\s*(?:จนถึง|ถึง|[–—~]|-)\s*")
# joins that never occur inside a date: a text with one is a range, even when a half is wrong
_CLEAR_JOIN = re.compile(r"\s*(?:จนถึง|ถึง|[–—~]|\s-\s)\s*")


def _parsed(text: str) -> date | None:
    try:
        return parse_date(text)
    except InvalidAnswer:
        return None


def parse_date_range(text: str) -> tuple[date, date] | None:
    """The two dates of a range, or None when the text is not a range (a single date, or not a date at all, is
    left to the single-date parser and its messages).

    Raises:
        InvalidAnswer: a range whose half is not a date (that half's own reason, quoting it), or
            ``invalid.date_range.format`` when the halves cannot be told apart.
    """
    normalized = normalize_input(text)
    if len(normalized) > 2 * MAX_INPUT or _parsed(normalized) is not None:
        return None
    for join in _JOIN.finditer(normalized):
        first, second = normalized[:join.start()], normalized[join.end():]
        if first and second and (start := _parsed(first)) and (end := _parsed(second)):
            return start, end
    clear = _CLEAR_JOIN.search(normalized)
    if clear is None:
        return None
    first, second = normalized[:clear.start()], normalized[clear.end():]
    if not first or not second:
        raise InvalidAnswer("invalid.date_range.format", text=excerpt(normalized))
    parse_date(first)  # the half that is wrong says why
    parse_date(second)
    raise InvalidAnswer("invalid.date_range.format", text=excerpt(normalized))  # both halves read apart, not joined
