"""What a Telegram turn costs around the service's own transaction (issue 20): the command menu takes the role
the turn read, a retired question's row is not deleted when the new question has already replaced it, and the
message now carrying the buttons is noted in the commit that records the event finished — while the buttons
still move to the new question and each role still gets its menu (end to end, through the stand-in Bot API,
counting the statements tortoise runs and, on SQLite, the commits)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from models.enums import Role
from models.org import User
from models.runtime import LiveQuestion
from models.sql import is_postgres
from tests.support.statements import sqlite_commits, statements
from tests.support.telegram_app import TelegramRig, telegram_app
from tests.support.telegram_user import TelegramUser, buttons


@pytest.fixture
async def rig(empty_database_url: str) -> AsyncIterator[TelegramRig]:
    async with telegram_app(empty_database_url) as running:
        yield running


def noted_verb() -> str:
    """The live question is noted with the event's finishing record: one statement on PostgreSQL (a WITH), an upsert
    in its transaction on SQLite."""
    return "WITH" if is_postgres(LiveQuestion._meta.db) else "INSERT"


async def on_a_question(rig: TelegramRig) -> TelegramUser:
    suda = await rig.link(rig.user())
    await suda.say("เมนู")
    await suda.tap("ลงทะเบียนโครงการใหม่")
    assert buttons(suda.screen), suda.transcript()
    return suda


async def test_a_typed_answer_reads_and_notes_the_live_question_once_and_looks_up_no_role(rig: TelegramRig) -> None:
    """The live question is read by the turn's opening SELECT, not by a statement of its own."""
    suda = await on_a_question(rig)
    asked = suda.screen
    with statements() as seen:
        await suda.say("โครงการห้องสมุดมีชีวิต")
    assert seen.touching("telegram_live_question") == ["OPEN", noted_verb()], seen.sql
    # the role's only read is the turn's opening SELECT of the account with its person
    assert not [sql for sql in seen.sql if '"external_id" IN' in sql], seen.sql
    assert not buttons(next(m for m in suda.chat_messages if m["message_id"] == asked["message_id"]))
    live = await LiveQuestion.get(chat_id=suda.id)
    assert live.message_id == suda.screen["message_id"] and buttons(suda.screen)


async def test_a_tapped_answer_costs_the_same(rig: TelegramRig) -> None:
    suda = await on_a_question(rig)
    await suda.say("โครงการห้องสมุดมีชีวิต")
    pressed = suda.screen
    label = buttons(pressed)[0][0]
    with statements() as seen:
        await suda.tap(label)
    assert seen.touching("telegram_live_question") == ["OPEN", noted_verb()], suda.transcript()
    assert not [sql for sql in seen.sql if '"external_id" IN' in sql], seen.sql
    assert (await LiveQuestion.get(chat_id=suda.id)).message_id == suda.screen["message_id"] != pressed["message_id"]


async def test_the_live_question_is_noted_in_the_commit_that_finishes_the_event(rig: TelegramRig) -> None:
    """Once the replies are out, one commit (one fsync on SQLite) notes the new question and finishes the event, not
    one each; a restart still finds the new question (the row is written before the chat's next event goes)."""
    suda = await on_a_question(rig)
    with statements() as seen:
        async with sqlite_commits() as commits:
            await suda.say("โครงการห้องสมุดมีชีวิต")
    finishing = [sql for sql in seen.sql if "status = 'replying'" not in sql
                 and ("finished_at" in sql or ("telegram_live_question" in sql and not sql.startswith("SELECT")))]
    if is_postgres(LiveQuestion._meta.db):
        assert len(finishing) == 1 and finishing[0].startswith("WITH alongside AS (INSERT INTO telegram_live_question")
    else:
        together = [group for group in commits if any("telegram_live_question" in sql for sql in group)]
        assert len(together) == 1 and any("finished_at" in sql for sql in together[0]), commits
        assert len(finishing) == 2
    live = await LiveQuestion.get(chat_id=suda.id)
    assert live.message_id == suda.screen["message_id"] and buttons(suda.screen)


async def test_a_role_changed_elsewhere_reaches_the_menu_at_the_next_turn_without_a_lookup(rig: TelegramRig) -> None:
    suda = await rig.link(rig.user())
    assert "new" in rig.standin.menu_of(suda.id)
    await User.filter(id=rig.people["suda"].id).update(role=Role.DIRECTOR)
    with statements() as seen:
        await suda.say("เมนู")
    assert "inbox" in rig.standin.menu_of(suda.id) and "new" not in rig.standin.menu_of(suda.id)
    assert not [sql for sql in seen.sql if '"external_id" IN' in sql], seen.sql


async def test_a_question_left_without_a_new_one_is_forgotten(rig: TelegramRig) -> None:
    """When the replies carry no new buttons, the old row must still go: the DELETE is skipped only when a newer
    message was noted."""
    suda = await on_a_question(rig)
    await suda.say("ยกเลิก")
    if buttons(suda.screen):  # the cancel asked to confirm: confirm it
        await suda.tap(buttons(suda.screen)[0][0])
    shown = await LiveQuestion.get_or_none(chat_id=suda.id)
    assert shown is None or shown.message_id == suda.screen["message_id"], suda.transcript()


async def test_an_event_is_claimed_once_and_nothing_is_claimed_after_it(rig: TelegramRig) -> None:
    """One claim an event (issue 20): neither its finish (nothing else of the chat waits) nor the wait for its
    answer asks the database for work again."""
    suda = await rig.link(rig.user())
    with statements() as seen:
        await suda.say("เมนู")
    claims = [sql for sql in seen.sql if sql.startswith("UPDATE inbox_event SET claimed_by")]
    assert len(claims) == 1, seen.sql
    # stored, claimed, its replies stored, finished; and the test's wait asking "anything left?"
    assert len(seen.touching("inbox_event")) == 5, seen.sql
