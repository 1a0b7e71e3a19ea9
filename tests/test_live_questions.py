"""The live question's row, noted and forgotten by statements written out rather than built by the ORM: the first
question of a chat creates it, a later one replaces it, and forgetting a message that is no longer the live one
leaves the row alone."""

from __future__ import annotations

import pytest
from tortoise.exceptions import ValidationError

from models.db import Database
from models.live_questions import LiveMessage, forget_live_message, live_message_of, note_live_message
from models.runtime import LiveQuestion


async def test_a_chats_live_question_is_noted_replaced_and_forgotten(database: Database) -> None:
    assert await live_message_of(7001) is None
    await note_live_message(7001, LiveMessage(5, "คำถาม \"หนึ่ง\" 'ก'", "q1"))
    await note_live_message(7002, LiveMessage(6, "อีกห้อง", "q9"))
    assert await live_message_of(7001) == LiveMessage(5, "คำถาม \"หนึ่ง\" 'ก'", "q1")
    await note_live_message(7001, LiveMessage(8, "คำถามสอง", "q2"))
    assert await live_message_of(7001) == LiveMessage(8, "คำถามสอง", "q2")
    assert await LiveQuestion.filter(chat_id=7001).count() == 1
    await forget_live_message(7001, 5)  # an older message: the live one stays
    assert await live_message_of(7001) == LiveMessage(8, "คำถามสอง", "q2")
    await forget_live_message(7001, 8)
    assert await live_message_of(7001) is None
    assert await live_message_of(7002) == LiveMessage(6, "อีกห้อง", "q9")


async def test_a_prompt_longer_than_its_column_is_refused_on_either_database(database: Database) -> None:
    await note_live_message(7003, LiveMessage(5, "คำถาม", "q1"))
    too_long = "p" * (LiveQuestion._meta.fields_map["prompt"].max_length + 1)  # type: ignore[attr-defined]
    with pytest.raises(ValidationError):
        await note_live_message(7003, LiveMessage(6, "คำถาม", too_long))
    assert await live_message_of(7003) == LiveMessage(5, "คำถาม", "q1")
