"""Callback data of the buttons the Telegram adapter draws itself: page turns, calendar months, inert cells.

The engine's tokens are opaque to us but never start with ``!``; these do, so a press is recognised before
anything is sent to the service. Each carries the screen (as :func:`conversations.button_data.screen_of` names it)
of the question it was drawn for, so a press on an old message can be told from a live one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

CONTROL = "!"
INERT = "!x"  # a cell that does nothing when pressed: a calendar's weekday, a blank day, "2/5", a spent answer
_PAGE = "p"
_MONTH = "c"


class ControlKind(StrEnum):
    """What an adapter button does."""

    INERT = "inert"
    PAGE = "page"
    MONTH = "month"


@dataclass(frozen=True, slots=True)
class Control:
    """A decoded adapter button: turn to ``page``, or show the calendar at ``month`` (its first day)."""

    kind: ControlKind
    screen: str = ""
    page: int = 0
    month: date | None = None


def page_data(screen: str, page: int) -> str:
    """Callback data of a page-turn button."""
    return f"{CONTROL}{_PAGE}:{screen}:{page}"


def month_data(screen: str, month: date) -> str:
    """Callback data of a calendar's previous/next month button."""
    return f"{CONTROL}{_MONTH}:{screen}:{month.year:04d}{month.month:02d}"


def parse_control(data: str) -> Control | None:
    """The adapter button behind callback data; None when it is an engine token (or garbage)."""
    if not data.startswith(CONTROL):
        return None
    if data == INERT:
        return Control(ControlKind.INERT)
    kind, _, rest = data[len(CONTROL):].partition(":")
    screen, _, argument = rest.partition(":")
    if not screen or not argument.isdigit():
        return Control(ControlKind.INERT)  # malformed or from an older version: harmless
    if kind == _PAGE:
        return Control(ControlKind.PAGE, screen, page=int(argument))
    if kind == _MONTH and len(argument) == 6 and 1 <= int(argument[4:]) <= 12 and int(argument[:4]) >= 1:
        return Control(ControlKind.MONTH, screen, month=date(int(argument[:4]), int(argument[4:]), 1))
    return Control(ControlKind.INERT)


# Glyphs of adapter buttons (symbols, not words: every word people read comes from the copy catalog).
PREVIOUS = "◀️"
NEXT = "▶️"
BLANK = "·"  # Telegram refuses empty button text
