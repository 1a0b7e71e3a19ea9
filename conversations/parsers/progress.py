"""Parser of a quarter's activity progress typed in one message: ``1.1 เสร็จ, 1.2 60%``.

Each entry is an activity's registration number followed by its state or percentage: ``เสร็จ``/``เสร็จแล้ว``
(done, 100%), ``ยังไม่เริ่ม`` (not started, 0%), ``60%``, ``ร้อยละ 60`` or a bare ``60`` (in progress at that
percentage; 100 is done and 0 not started), ``กำลังดำเนินการ 60%``. Entries are separated by commas, new lines,
``และ`` or just spaces (``1 เสร็จแล้ว 2 ร้อยละ 60``); Thai digits are read as digits. A piece that is not
understood is returned with its reason, next to the entries that were, so that what was understood is kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from conversations.parsers.errors import InvalidAnswer
from conversations.parsers.numbers import parse_percent
from conversations.parsers.thai_text import excerpt, normalize_input

DONE, IN_PROGRESS, NOT_STARTED = "done", "in_progress", "not_started"
_LABEL = r"(?<![\d.])(\d{1,2}(?:\.\d{1,2})?)(?![\d.])"
_DONE_WORDS = r"เสร็จสิ้นแล้ว|เสร็จสิ้น|เสร็จแล้ว|เสร็จ|ดำเนินการแล้ว|done|✅"
_NOT_STARTED_WORDS = r"ยังไม่ได้เริ่ม|ยังไม่เริ่ม|ยังไม่ดำเนินการ|not started|○"
_IN_PROGRESS_WORDS = r"กำลังดำเนินการ|อยู่ระหว่างดำเนินการ|กำลังทำ|in progress|⏳"
_PERCENT = r"(?:ร้อยละ ?)?-?\d+(?:\.\d+)? ?(?:%|เปอร์เซ็นต์)?"
_ENTRY = re.compile(
    rf"{_LABEL} ?[:=\-–)]? ?(?:(?P<done>{_DONE_WORDS})|(?P<not>{_NOT_STARTED_WORDS})"
    rf"|(?:(?P<going>{_IN_PROGRESS_WORDS}) ?)?(?P<percent>{_PERCENT})?)",
    re.IGNORECASE,
)
_SEPARATORS = re.compile(r"^[\s,;、/]*(?:และ|กับ|and)?[\s,;、/]*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Progress:
    """One activity's progress as typed: its number, state and percentage."""

    label: str
    state: str
    percent: int


@dataclass(frozen=True, slots=True)
class Problem:
    """A piece of the message that was not understood: the words and the copy key saying why."""

    text: str
    reason: str


@dataclass(frozen=True, slots=True)
class ProgressMessage:
    """What one message said: the entries understood and the pieces that were not."""

    entries: tuple[Progress, ...]
    problems: tuple[Problem, ...]


def _entry(match: re.Match[str]) -> Progress | Problem:
    label = match.group(1)
    if match.group("done"):
        return Progress(label, DONE, 100)
    if match.group("not"):
        return Progress(label, NOT_STARTED, 0)
    raw = match.group("percent")
    if raw is None:
        return Problem(match.group(0).strip(), "progress.no_percent")
    try:
        percent = parse_percent(raw)
    except InvalidAnswer:
        return Problem(match.group(0).strip(), "progress.bad_percent")
    if match.group("going"):
        return Progress(label, IN_PROGRESS, percent)
    return Progress(label, DONE if percent == 100 else NOT_STARTED if percent == 0 else IN_PROGRESS, percent)


def looks_like_progress(text: str) -> bool:
    """Whether a message is written as numbered progress (``1.2 60%``), not a lone answer (``60``, ``เสร็จ``)."""
    normalized = normalize_input(text)
    return any(match.group("done") or match.group("not") or match.group("going") or match.group("percent")
               for match in _ENTRY.finditer(normalized))


def parse_progress(text: str) -> ProgressMessage:
    """Every activity's progress in one message; what was not understood comes back as problems.

    Raises:
        InvalidAnswer: ``progress.none`` when nothing in the message names an activity with its progress.
    """
    normalized = normalize_input(text)
    entries: list[Progress] = []
    problems: list[Problem] = []
    position = 0
    for match in _ENTRY.finditer(normalized):
        if not (match.group("done") or match.group("not") or match.group("going") or match.group("percent")):
            continue  # a number alone is not an entry; what it stands in is reported with the gap below
        gap = normalized[position:match.start()]
        if not _SEPARATORS.match(gap):
            problems.append(Problem(excerpt(gap.strip(" ,;")), "progress.unknown_words"))
        parsed = _entry(match)
        if isinstance(parsed, Progress):
            entries.append(parsed)
        else:
            problems.append(parsed)
        position = match.end()
    if not entries and not problems:
        raise InvalidAnswer("progress.none", text=excerpt(normalized))
    rest = normalized[position:]
    if not _SEPARATORS.match(rest):
        problems.append(Problem(excerpt(rest.strip(" ,;")), "progress.unknown_words"))
    return ProgressMessage(tuple(entries), tuple(problems))
