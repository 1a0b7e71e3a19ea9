"""A month-grid date picker as inline buttons: Thai month names, Buddhist-era years, weeks from Sunday.

A day button carries the engine's data for that picked day (:func:`conversations.button_data.picked`), so a tap
is an ordinary answer to the date question; the month arrows are adapter controls that only redraw the grid.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date

from pythainlp.util.date import thai_abbr_weekdays, thai_full_months
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.telegram_controls import BLANK, INERT, NEXT, PREVIOUS, ControlKind, month_data, parse_control
from conversations.button_data import picked, picked_text
from conversations.formatting import BE_OFFSET

WEEK_STARTS = calendar.SUNDAY  # as Thai wall calendars print it
Row = list[InlineKeyboardButton]


def month_title(month: date) -> str:
    """``ตุลาคม 2569``: the month's Thai name and its Buddhist-era year."""
    return f"{thai_full_months[month.month - 1]} {month.year + BE_OFFSET}"


def weekday_names() -> list[str]:
    """Abbreviated Thai weekday names in the order of the grid's columns."""
    monday_first = list(thai_abbr_weekdays)
    return monday_first[WEEK_STARTS:] + monday_first[:WEEK_STARTS]


def shift_month(month: date, by: int) -> date:
    """The first day of the month ``by`` months away (clamped to the years a date can hold)."""
    index = month.year * 12 + month.month - 1 + by
    year, zero_based = divmod(index, 12)
    if year < 1:
        return date(1, 1, 1)
    if year > 9999:
        return date(9999, 12, 1)
    return date(year, zero_based + 1, 1)


def month_rows(screen: str, month: date) -> list[Row]:
    """The grid of ``month`` for the question ``screen``: arrows and title, weekday names, one row per week."""
    first = month.replace(day=1)
    rows: list[Row] = [[
        InlineKeyboardButton(PREVIOUS, callback_data=month_data(screen, shift_month(first, -1))),
        InlineKeyboardButton(month_title(first), callback_data=INERT),
        InlineKeyboardButton(NEXT, callback_data=month_data(screen, shift_month(first, 1))),
    ], [InlineKeyboardButton(name, callback_data=INERT) for name in weekday_names()]]
    for week in calendar.Calendar(WEEK_STARTS).monthdayscalendar(first.year, first.month):
        rows.append([
            InlineKeyboardButton(str(day), callback_data=picked(screen, first.replace(day=day).isoformat()))
            if day else InlineKeyboardButton(BLANK, callback_data=INERT)
            for day in week
        ])
    return rows


def picked_date(data: str) -> date | None:
    """The day a calendar button answers with, or None when the data is something else."""
    text = picked_text(data)
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _calendar_cell(button: InlineKeyboardButton) -> bool:
    data = button.callback_data if isinstance(button.callback_data, str) else ""
    control = parse_control(data)
    if control is not None:
        return control.kind in (ControlKind.INERT, ControlKind.MONTH)
    return picked_date(data) is not None


def _calendar_row(row: Sequence[InlineKeyboardButton]) -> bool:
    return bool(row) and all(_calendar_cell(button) for button in row)


def with_month(markup: InlineKeyboardMarkup, screen: str, month: date) -> InlineKeyboardMarkup:
    """The same keyboard with its calendar redrawn at ``month``; the other rows (navigation) stay as they are."""
    others = [list(row) for row in markup.inline_keyboard if not _calendar_row(row)]
    return InlineKeyboardMarkup([*month_rows(screen, month), *others])
