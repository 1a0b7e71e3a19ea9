"""An event recorded finished together with its channel's write (a Telegram chat's live question) in one commit:
both land, the write lands even when the claim was lost (it says how the chat was left), and a write the database
refuses never keeps the event from being recorded."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.inbox_finish import finish
from bot.telegram_live import LiveChange, Shown
from conversations.service import inbox
from conversations.service.inbox import Claimed, Received
from models.db import Database
from models.enums import InboxStatus, Platform
from models.inbox import InboxEvent
from models.live_questions import LiveMessage, live_message_of, note_live_message
from models.sql import marks
from tests.support.clock import SteppingClock


async def claimed(clock: SteppingClock, name: str = "one") -> Claimed:
    await inbox.receive([Received(Platform.TELEGRAM, "7001", name, {"name": name})], clock())
    [item] = await inbox.claim("worker", clock(), timedelta(seconds=30), 10)
    return item


async def test_the_live_question_is_noted_with_the_finishing_record(database: Database) -> None:
    clock = SteppingClock()
    item = await claimed(clock)
    assert await finish(item, clock(), LiveChange(7001, Shown(41, "คำถาม 'ก'", "q1")))
    assert (await InboxEvent.get(id=item.id)).status is InboxStatus.DONE
    assert await live_message_of(7001) == LiveMessage(41, "คำถาม 'ก'", "q1")


async def test_retired_questions_are_forgotten_with_it_unless_one_took_their_place(database: Database) -> None:
    clock = SteppingClock()
    await note_live_message(7001, LiveMessage(41, "คำถาม", "q1"))
    item = await claimed(clock)
    assert await finish(item, clock(), LiveChange(7001, retired=[40, 41]))
    assert await live_message_of(7001) is None
    await note_live_message(7001, LiveMessage(43, "ใหม่", "q2"))
    following = await claimed(clock, "two")
    assert await finish(following, clock(), LiveChange(7001, retired=[42]))  # an older one: the live one stays
    assert await live_message_of(7001) == LiveMessage(43, "ใหม่", "q2")


async def test_the_chat_is_noted_as_left_even_when_the_claim_was_lost(database: Database) -> None:
    clock = SteppingClock()
    item = await claimed(clock)
    clock.advance(seconds=31)
    [taken] = await inbox.claim("other", clock(), timedelta(seconds=30), 10)
    assert not await finish(item, clock(), LiveChange(7001, Shown(41, "คำถาม", "q1")))
    assert (await InboxEvent.get(id=taken.id)).status is InboxStatus.PENDING
    assert await live_message_of(7001) == LiveMessage(41, "คำถาม", "q1")


class Refused:
    """A channel write the database refuses (a NOT NULL column left empty)."""

    def statement(self, postgres: bool, first: int) -> tuple[str, list[Any]]:
        mark = marks(postgres, 3, first)
        return ('INSERT INTO telegram_live_question (chat_id, message_id, "text", prompt) '
                f"VALUES ({mark[0]}, NULL, {mark[1]}, {mark[2]})", [7001, "x", "q1"])


async def test_a_write_the_database_refuses_never_keeps_the_event_from_being_recorded(database: Database) -> None:
    clock = SteppingClock()
    item = await claimed(clock)
    assert await finish(item, clock(), Refused())
    assert (await InboxEvent.get(id=item.id)).status is InboxStatus.DONE
    assert await live_message_of(7001) is None
