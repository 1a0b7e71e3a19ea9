"""Which Telegram message carries each chat's live question buttons: read, noted and forgotten by chat id.

The row outlives the process, so that a restart or another process still retires the buttons (see
``bot/telegram_live.py``, which decides what to do with it). It is read by the turn's opening SELECT
(``conversations/service/turn_store.py``); noting and forgetting, once a turn's replies are out, are statements
written out here once rather than built by the ORM each time (0.65 → 0.33 ms of CPU a noted question, 0.32 →
0.06 a forgotten one), which the Telegram channel runs with the record that its event is finished
(``bot/inbox_finish.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from models.runtime import LiveQuestion
from models.sql import is_postgres, marks


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
    connection = LiveQuestion._meta.db
    await connection.execute_query(*note_statement(chat_id, message, is_postgres(connection)))


def note_statement(chat_id: int, message: LiveMessage, postgres: bool, *, first: int = 1) -> tuple[str, list[Any]]:
    """The one statement of :func:`note_live_message` and its values, its marks numbered from ``first``: an upsert
    on the unique chat id (a row created meanwhile by another process is replaced as well; on PostgreSQL each
    note draws an id from the sequence, kept only by a chat's first)."""
    values: dict[str, Any] = {"message_id": message.message_id, "text": message.text, "prompt": message.prompt}
    mark = marks(postgres, 4, first)
    return ('INSERT INTO telegram_live_question (chat_id, message_id, "text", prompt) '
            f"VALUES ({', '.join(mark)}) ON CONFLICT (chat_id) DO UPDATE SET message_id = excluded.message_id, "
            '"text" = excluded."text", prompt = excluded.prompt', [chat_id, *_stored(values)])


def _stored(values: dict[str, Any]) -> list[Any]:
    """The values as the model stores them: each converted and checked by its field (a prompt longer than its
    column is refused on both databases, as the ORM's update refused it)."""
    fields = LiveQuestion._meta.fields_map
    return [fields[name].to_db_value(value, LiveQuestion) for name, value in values.items()]


async def forget_live_message(chat_id: int, message_id: int) -> None:
    """Forget the chat's live message, unless another one has taken its place meanwhile."""
    connection = LiveQuestion._meta.db
    await connection.execute_query(*forget_statement(chat_id, [message_id], is_postgres(connection)))


def forget_statement(chat_id: int, message_ids: Sequence[int], postgres: bool, *,
                     first: int = 1) -> tuple[str, list[Any]]:
    """The DELETE of :func:`forget_live_message` for any of ``message_ids``, its marks numbered from ``first``."""
    mark = marks(postgres, 1 + len(message_ids), first)
    return (f"DELETE FROM telegram_live_question WHERE chat_id = {mark[0]} AND message_id IN ({', '.join(mark[1:])})",
            [chat_id, *message_ids])
