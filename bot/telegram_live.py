"""The message of each Telegram chat that carries the live question's buttons, and how it reads once retired.

A question's buttons must not outlive it: once it is answered — tapped, typed, skipped, left with back — its
message loses its keyboard and says so below its text ("✔️ ตอบแล้ว: …"), or, when the same question is asked
again further down (a wrong answer, a question about the data), that it is below now. The message is found
again through the database, not memory, so a restart or another process retires it as well. Nothing here may
break a turn: a row that cannot be read or written is logged and the turn goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from telegram.error import TelegramError

from bot.chat_text import utf16_len
from bot.telegram_commands import bot_commands
from bot.telegram_limits import MAX_MESSAGE_CHARS
from bot.telegram_normalize import Incoming
from bot.telegram_render import OutText, marker_keyboard, reply_prompt, without_icon
from bot.telegram_send import Blocked, TelegramSender
from conversations.copy import render as copy
from conversations.formatting import shorten
from conversations.messages import Reply
from conversations.service.turn_seen import TurnSeen
from models import live_questions
from models.live_questions import LiveMessage

log = logging.getLogger(__name__)
ANSWER_CHARS = 60  # of a typed answer repeated under its question
MARK_GAP = "\n\n"


@dataclass(frozen=True, slots=True)
class Shown:
    """A message with live buttons: its id, its text as sent and the question (prompt) they answer."""

    message_id: int
    text: str
    prompt: str


def typed_answer(event: Incoming) -> str:
    """What the person sent, as it is repeated under the question it answered: the text (one line) or file."""
    if event.file is not None:
        return copy("live.file", name=shorten(event.file.filename, ANSWER_CHARS))
    return shorten(_spoken(" ".join((event.inbound.text or "").split())), ANSWER_CHARS)


def _spoken(text: str) -> str:
    """A slash command in the words of the menu (``/skip`` → ข้ามข้อนี้), what follows it kept."""
    head, _, rest = text.partition(" ")
    if not head.startswith("/"):
        return text
    described = {command.command: command.description for command in bot_commands()}
    words = described.get(head[1:].split("@", 1)[0].lower())
    return f"{without_icon(words)} {rest}".strip() if words else text


def mark(answer: str | None) -> str:
    """The line that replaces the buttons: the answer given, or (None) to look below for the question on screen."""
    return copy("live.answered", answer=without_icon(answer)) if answer else copy("live.asked_below")


def retired_text(text: str, answer: str | None) -> str | None:
    """The message's text with its mark below; None when that would not fit in one message."""
    marked = f"{text.rstrip()}{MARK_GAP}{mark(answer)}"
    return marked if utf16_len(marked) <= MAX_MESSAGE_CHARS else None


async def live_of(chat_id: int) -> Shown | None:
    """The chat's message with live buttons, if one is known."""
    try:
        live = await live_questions.live_message_of(chat_id)
    except Exception:  # the answer matters more than the old buttons
        log.warning("live question of telegram chat %d could not be read", chat_id, exc_info=True)
        return None
    return Shown(live.message_id, live.text, live.prompt) if live is not None else None


@dataclass(slots=True)
class LiveChange:
    """What an inbox event's replies did to its chat's live question, written with the record that the event is
    finished (:mod:`bot.inbox_finish`), in one commit: the message noted as live, else the retired ones forgotten
    (a noted message replaces the row, so forgetting an older one would change nothing)."""

    chat_id: int = 0
    shown: Shown | None = None
    retired: list[int] = field(default_factory=list)

    def __bool__(self) -> bool:
        return self.shown is not None or bool(self.retired)

    def statement(self, postgres: bool, first: int) -> tuple[str, list[Any]]:
        """The write as one statement (see :class:`bot.inbox_finish.Alongside`)."""
        if self.shown is not None:
            shown = self.shown
            return live_questions.note_statement(self.chat_id, LiveMessage(shown.message_id, shown.text,
                                                                           shown.prompt), postgres, first=first)
        return live_questions.forget_statement(self.chat_id, self.retired, postgres, first=first)

    async def write(self) -> None:
        """Write it now, by itself (the event is not finishing); never raises."""
        if self.shown is not None:
            await remember(self.chat_id, self.shown, now=True)
        for message_id in self.retired if self.shown is None else ():
            await forget(self.chat_id, message_id, now=True)


_CHANGE: ContextVar[LiveChange | None] = ContextVar("live_change", default=None)


@contextmanager
def collecting() -> Iterator[LiveChange]:
    """Within: what is noted or forgotten is collected for the event's finishing record rather than written."""
    change = LiveChange()
    token = _CHANGE.set(change)
    try:
        yield change
    finally:
        _CHANGE.reset(token)


async def remember(chat_id: int, shown: Shown, *, now: bool = False) -> bool:
    """Note the message now carrying the chat's live buttons (with the event's finishing record, when collecting,
    unless ``now``); whether it was noted."""
    change = None if now else _CHANGE.get()
    if change is not None:
        try:  # the values checked now (a prompt too long for its column), not when the event is finishing
            LiveChange(chat_id, shown).statement(postgres=False, first=1)
        except Exception:
            log.warning("live question of telegram chat %d could not be noted", chat_id, exc_info=True)
            return False
        change.chat_id, change.shown = chat_id, shown
        return True
    try:
        await live_questions.note_live_message(chat_id, LiveMessage(shown.message_id, shown.text, shown.prompt))
    except Exception:
        log.warning("live question of telegram chat %d could not be noted", chat_id, exc_info=True)
        return False
    return True


async def forget(chat_id: int, message_id: int, *, now: bool = False) -> None:
    """The message no longer carries live buttons (unless another one has taken its place meanwhile)."""
    change = None if now else _CHANGE.get()
    if change is not None:
        change.chat_id = chat_id
        change.retired.append(message_id)
        return
    try:
        await live_questions.forget_live_message(chat_id, message_id)
    except Exception:
        log.warning("live question of telegram chat %d could not be cleared", chat_id, exc_info=True)


class LiveButtons:
    """Retires a chat's question buttons once they are spent, through the sender; never raises."""

    def __init__(self, sender: TelegramSender) -> None:
        self.sender = sender

    async def retire(self, chat_id: int, message_id: int, text: str, answer: str | None, *,
                     noted: bool = False) -> None:
        """Take the buttons off a message and say below its text what became of it.

        When the text cannot be edited (a photo's caption, too long, too old) the keyboard becomes one inert
        button saying the same; when even that is refused, the message is left as it is. ``noted``: this turn
        has noted a newer message as the chat's live one, so the row no longer names this one (the chat's
        events are handled one at a time, in every process) and forgetting it would change nothing.
        """
        try:
            new = retired_text(text, answer)
            if new is None or not await self.sender.edit(chat_id, message_id, OutText(new), shown_text=text):
                await self.sender.set_keyboard(chat_id, message_id, marker_keyboard(mark(answer)))
        except (TelegramError, Blocked) as error:
            log.info("telegram buttons of message %d in chat %d not retired: %s", message_id, chat_id, error)
        if not noted:
            await forget(chat_id, message_id)  # unless a newer message carries the live buttons already

    @staticmethod
    async def current(chat_id: int, seen: TurnSeen | None = None) -> Shown | None:
        """The chat's live question before a turn's replies go out (they may put another in its place): as the
        turn's opening SELECT read it (``seen``), or, when no turn ran (its replies sent again), read now.

        The chat's events are handled one at a time in every process, so nothing noted another between the two."""
        if seen is None or not seen.live_known or seen.live_chat != chat_id:
            return await live_of(chat_id)
        live = seen.live
        return Shown(live.message_id, live.text, live.prompt) if live is not None else None

    async def supersede(self, chat_id: int, before: Shown | None, replies: Sequence[Reply], answer: str | None, *,
                        pressed: int | None = None, noted: bool = False) -> None:
        """Once a turn's replies are out: retire the question that was live ``before`` them, unless it is the
        ``pressed`` message (dealt with by the press). It was answered with ``answer`` — unless the same
        question is asked again below (a wrong answer, a question about the data in between), or ``answer``
        is None."""
        if before is None or not replies or before.message_id == pressed:
            return
        same = reply_prompt(replies[-1]) == before.prompt
        await self.retire(chat_id, before.message_id, before.text, None if same else answer, noted=noted)

    @staticmethod
    async def shown(chat_id: int, message_id: int, text: str, screen: Reply) -> bool:
        """A message with the live question's buttons is on screen now; whether that was noted."""
        return await remember(chat_id, Shown(message_id, text, reply_prompt(screen) or ""))
