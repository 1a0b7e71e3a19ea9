"""Which Telegram message carries each chat's live question buttons: read, noted and forgotten by chat id.

The row outlives the process, so that a restart or another process still retires the buttons (see
``bot/telegram_live.py``, which decides what to do with it). It is read by the turn's opening SELECT
(``conversations/service/turn_store.py``); noting and forgetting, once a turn's replies are out, are statements
written out here once rather than built by the ORM each time (0.65 → 0.33 ms of CPU a noted question, 0.32 →
0.06 a forgotten one).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tortoise.exceptions import IntegrityError

from models.runtime import LiveQuestion
from models.sql import placeholders


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
    connection = LiveQuestion._meta.db
    marks = placeholders(connection, 4)
    # one statement in the usual case: the chat's row is there from its first question
    updated, _ = await connection.execute_query(
        f'UPDATE telegram_live_question SET message_id = {marks[0]}, "text" = {marks[1]}, prompt = {marks[2]} '
        f"WHERE chat_id = {marks[3]}", [*_stored(values), chat_id])
    if not updated:
        try:
            await LiveQuestion.create(chat_id=chat_id, **values)
        except IntegrityError:  # created meanwhile by another process
            await LiveQuestion.filter(chat_id=chat_id).update(**values)


def _stored(values: dict[str, Any]) -> list[Any]:
    """The values as the model stores them: each converted and checked by its field (a prompt longer than its
    column is refused on both databases, as the ORM's update refused it)."""
    fields = LiveQuestion._meta.fields_map
    return [fields[name].to_db_value(value, LiveQuestion) for name, value in values.items()]


async def forget_live_message(chat_id: int, message_id: int) -> None:
    """Forget the chat's live message, unless another one has taken its place meanwhile."""
    connection = LiveQuestion._meta.db
    marks = placeholders(connection, 2)
    await connection.execute_query(
        f"DELETE FROM telegram_live_question WHERE chat_id = {marks[0]} AND message_id = {marks[1]}",
        [chat_id, message_id])
