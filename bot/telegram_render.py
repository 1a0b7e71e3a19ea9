"""Neutral replies as Telegram payloads, pure: text split under the limit, choices as an inline keyboard.

Answers come first (packed into rows, paged when long, ticked on a multi-select), then the page turner,
then navigation (back, hub, save…). A date question gets a month calendar above its buttons. The label
of a button is shown, its token goes back: the token never changes, whatever the layout. Which page of a long
list is shown is the channel's own (the ``page`` argument, kept in the page turner's buttons), never the reply's.
"""

from __future__ import annotations

import html
import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.chat_fold import folded
from bot.chat_plain import with_choices
from bot.chat_text import attached, utf16_len
from bot.chat_text import split_text as split_lines
from bot.telegram_calendar import month_rows, picked_date
from bot.telegram_controls import BLANK, INERT, NEXT, PREVIOUS, ControlKind, page_data, parse_control
from bot.telegram_limits import MAX_CALLBACK_DATA_BYTES, MAX_CAPTION_CHARS, MAX_MESSAGE_CHARS
from conversations.button_data import screen_of
from conversations.formatting import ELLIPSIS, format_date, shorten
from conversations.messages import Attachment, Choice, ChoiceRole, Copyable, InputHint, Reply

BUTTON_TEXT_CHARS = 60  # longer labels are elided by the apps anyway; the full text is in the message
PAGE_SIZE = 8  # answers per page; navigation is on every page
ROW_CHARS = 24  # short labels share a row while their texts fit in this many characters
ROW_BUTTONS = 4
TICKED = "☑"
UNTICKED = "☐"
Row = list[InlineKeyboardButton]


@dataclass(frozen=True, slots=True)
class OutText:
    """A text message, with the keyboard when it is the last part of a reply.

    ``plain`` is the same message without the keyboard, its buttons written as lines to type, in parts under
    Telegram's limit: what is sent when Telegram refuses this one.
    """

    text: str
    keyboard: InlineKeyboardMarkup | None = None
    plain: tuple[str, ...] = ()
    html: bool = False  # ``text`` is in Telegram's HTML (values to copy); never carries a keyboard


@dataclass(frozen=True, slots=True)
class OutFile:
    """A document or photo, with its caption and keyboard when they fit on it."""

    attachment: Attachment
    caption: str = ""
    keyboard: InlineKeyboardMarkup | None = None


Outgoing = OutText | OutFile


def render(reply: Reply, *, today: date, page: int = 0, month: date | None = None) -> list[Outgoing]:
    """The messages that show ``reply``; the keyboard goes on the last one, so it is the one people see.

    Args:
        reply: what the engine said.
        today: the day a date question's calendar opens at, unless ``month`` says otherwise.
        page: the page of the choices to show (the first by default; the last when beyond the end).
        month: the month of the calendar to show.
    """
    markup = keyboard(reply, today=today, page=page, month=month)
    chunks = split_text(reply.text) if reply.text.strip() else []
    if reply.copies:
        return [*copy_messages(reply.copies), *render(replace(reply, copies=()), today=today, page=page, month=month)]
    if reply.attachment is not None:
        if len(chunks) <= 1 and utf16_len(chunks[0] if chunks else "") <= MAX_CAPTION_CHARS:
            return [OutFile(reply.attachment, caption=chunks[0] if chunks else "", keyboard=markup)]
        return [*(OutText(chunk) for chunk in chunks), OutFile(reply.attachment, keyboard=markup)]
    chunks = chunks or [ELLIPSIS]  # Telegram refuses an empty message
    plain = tuple(split_text(with_choices(chunks[-1], reply))) if markup is not None else ()
    return [*(OutText(chunk) for chunk in chunks[:-1]), OutText(chunks[-1], markup, plain)]


def copy_block(copy: Copyable) -> str:
    """One value to copy in Telegram's HTML: its place in bold, the value alone in a code block, which a tap
    copies whole (a value of several lines in a ``pre`` block, which has a copy button of its own)."""
    value = html.escape(copy.value, quote=False)
    block = f"<pre>{value}</pre>" if "\n" in copy.value else f"<code>{value}</code>"
    return f"<b>{html.escape(copy.label, quote=False)}</b>\n{block}"


def copy_messages(copies: tuple[Copyable, ...], limit: int = MAX_MESSAGE_CHARS) -> list[OutText]:
    """Values to copy as HTML messages, as many blocks to a message as fit; a value too long for one message is
    cut at line breaks into blocks under the same label. The plain version (label, then value) is what is sent
    when Telegram refuses the HTML."""
    blocks: list[tuple[str, str]] = []
    for copy in copies:
        room = max(limit - len(copy_block(Copyable(copy.label, ""))) - 16, 100)
        parts = split_lines(copy.value, room) if len(html.escape(copy.value, quote=False)) > room else [copy.value]
        blocks += [(copy_block(Copyable(copy.label, part)), f"{copy.label}\n{part}") for part in parts]
    messages: list[OutText] = []
    current: list[tuple[str, str]] = []
    for block in blocks:
        if current and len("\n\n".join(html_ for html_, _ in [*current, block])) > limit:
            messages.append(_html_message(current))
            current = []
        current.append(block)
    if current:
        messages.append(_html_message(current))
    return messages


def _html_message(blocks: list[tuple[str, str]]) -> OutText:
    return OutText("\n\n".join(html_ for html_, _ in blocks), html=True,
                   plain=tuple(split_text("\n\n".join(text for _, text in blocks))))


def render_turn(replies: Sequence[Reply], *, today: date) -> list[Outgoing]:
    """The messages of one turn's replies, in order: acknowledgements ride on the message after them
    (:mod:`bot.chat_fold`), so an answer is followed by one message, not one per reply."""
    return [out for reply in folded(replies) for out in render(reply, today=today)]


def reply_prompt(reply: Reply) -> str | None:
    """The screen of the question a reply shows (what the live buttons remember as its prompt), from its buttons;
    None without buttons of a question."""
    return screen_of(reply)


def keyboard(reply: Reply, *, today: date, page: int = 0, month: date | None = None
             ) -> InlineKeyboardMarkup | None:
    """The inline keyboard of a reply, or None when it has no buttons."""
    screen = reply_prompt(reply)
    choices = [choice for choice in reply.choices if _carried(choice)]
    answers = [choice for choice in choices if not _navigation(choice)]
    navigation = [choice for choice in choices if _navigation(choice)]
    rows: list[Row] = []
    if reply.hint is InputHint.DATE and screen is not None:
        rows.extend(month_rows(screen, month or today))
    pages = max(1, math.ceil(len(answers) / PAGE_SIZE))
    shown = min(max(page, 0), pages - 1)
    rows.extend(pack([button(choice) for choice in answers[shown * PAGE_SIZE:(shown + 1) * PAGE_SIZE]]))
    if pages > 1 and screen is not None:
        rows.append(pager(screen, shown, pages))
    rows.extend(pack([button(choice) for choice in navigation]))
    return InlineKeyboardMarkup(rows) if rows else None


def button(choice: Choice) -> InlineKeyboardButton:
    """One choice as a button: its label (ticked on a multi-select), its token as callback data."""
    label = shorten(choice.label, BUTTON_TEXT_CHARS)
    if choice.selected is not None:
        label = f"{TICKED if choice.selected else UNTICKED} {label}"
    return InlineKeyboardButton(label, callback_data=choice.token)


def pack(buttons: list[InlineKeyboardButton]) -> list[Row]:
    """Buttons in rows, in order: short labels side by side, a long one alone."""
    rows: list[Row] = []
    width = 0
    for item in buttons:
        size = len(item.text)
        if rows and len(rows[-1]) < ROW_BUTTONS and width + size <= ROW_CHARS:
            rows[-1].append(item)
            width += size
        else:
            rows.append([item])
            width = size
    return rows


def pager(screen: str, page: int, pages: int) -> Row:
    """◀️ 2/5 ▶️ — arrows only where there is a page to turn to."""
    return [
        InlineKeyboardButton(PREVIOUS, callback_data=page_data(screen, page - 1)) if page > 0
        else InlineKeyboardButton(BLANK, callback_data=INERT),
        InlineKeyboardButton(f"{page + 1}/{pages}", callback_data=INERT),
        InlineKeyboardButton(NEXT, callback_data=page_data(screen, page + 1)) if page < pages - 1
        else InlineKeyboardButton(BLANK, callback_data=INERT),
    ]


def page_of(reply: Reply, token: str, pressed: InlineKeyboardMarkup | None = None) -> int:
    """The page of ``reply`` to show after the answer ``token`` was pressed on the keyboard ``pressed``: the page
    holding that answer, or else (a ticked box's token changes when it is ticked) the page the person was on."""
    answers = [choice for choice in reply.choices if _carried(choice) and not _navigation(choice)]
    for index, choice in enumerate(answers):
        if choice.token == token:
            return index // PAGE_SIZE
    return shown_page(pressed)


def shown_page(markup: InlineKeyboardMarkup | None) -> int:
    """The page a keyboard we drew shows, read from its page turner (0 when it has none)."""
    for row in markup.inline_keyboard if markup is not None else ():
        for item in row:
            control = parse_control(item.callback_data) if isinstance(item.callback_data, str) else None
            if control is not None and control.kind is ControlKind.PAGE:
                return control.page + (1 if item.text == PREVIOUS else -1)
    return 0


def marker_keyboard(text: str) -> InlineKeyboardMarkup:
    """One inert button saying ``text``: what replaces a spent question's buttons when its text cannot change."""
    return InlineKeyboardMarkup([[InlineKeyboardButton(shorten(text, BUTTON_TEXT_CHARS), callback_data=INERT)]])


def without_icon(label: str) -> str:
    """``✅ เสร็จ`` as ``เสร็จ``: the label's own leading emoji would crowd the ✔️ put before it."""
    start = 0
    while start < len(label) and (unicodedata.category(label[start]) in {"So", "Sk", "Cf"} or attached(label[start])):
        start += 1
    return label[start:].lstrip() or label


def pressed_label(markup: InlineKeyboardMarkup | None, data: str) -> str:
    """How to name a pressed button afterwards: the day for a calendar, else its text without the tick."""
    day = picked_date(data)
    if day is not None:
        return format_date(day)
    for row in markup.inline_keyboard if markup is not None else ():
        for item in row:
            if item.callback_data == data:
                return item.text.removeprefix(f"{TICKED} ").removeprefix(f"{UNTICKED} ")
    return ""


def _carried(choice: Choice) -> bool:
    """Whether the token fits in callback data (the engine guarantees it; a bad one is dropped, not sent)."""
    return 0 < len(choice.token.encode()) <= MAX_CALLBACK_DATA_BYTES


def _navigation(choice: Choice) -> bool:
    return choice.role is ChoiceRole.NAVIGATION


def split_text(text: str, limit: int = MAX_MESSAGE_CHARS) -> list[str]:
    """Text in messages Telegram takes (4,096 UTF-16 units each)."""
    return split_lines(text, limit)
