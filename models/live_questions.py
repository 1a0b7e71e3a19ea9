"""Which Telegram message carries each chat's live question buttons: read, noted and forgotten by chat id.

The row outlives the process, so that a restart or another process still retires the buttons (see
``bot/telegram_live.py``, which decides what to do with it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tortoise.exceptions import IntegrityError

from models.runtime import LiveQuestion


@dataclass(frozen=True, slots=True)
class LiveMessage:
    """A message with live buttons: its id, its text as sent and the question (prompt) they answer."""

    message_id: int
    text: str
    prompt: str


async def live_message_of(chat_id: int) -> LiveMessage | None:
    """The chat's message with live buttons, if one is noted."""
    row = await LiveQuestion.get_or_none(chat_id=chat_id)
    return LiveMessage(int(row.message_id), row.text, row.prompt) if row is not None else None


async def note_live_message(chat_id: int, message: LiveMessage) -> None:
    """Note the message now carrying the chat's live buttons, replacing the one noted before."""
    values: dict[str, Any] = {"message_id": message.message_id, "text": message.text, "prompt": message.prompt}
    # one statement in the usual case: the chat's row is there from its first question
    if not await LiveQuestion.filter(chat_id=chat_id).update(**values):
        try:
            await LiveQuestion.create(chat_id=chat_id, **values)
        except IntegrityError:  # created meanwhile by another process
            await LiveQuestion.filter(chat_id=chat_id).update(**values)


async def forget_live_message(chat_id: int, message_id: int) -> None:
    """Forget the chat's live message, unless another one has taken its place meanwhile."""
    await LiveQuestion.filter(chat_id=chat_id, message_id=message_id).delete()
