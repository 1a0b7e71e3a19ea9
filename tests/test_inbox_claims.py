"""When the inbox worker asks the database for work (issue 20): a claim, one UPDATE, only when some may be there.

An event stored here is claimed by one UPDATE; finishing it asks nothing more unless its chat has another event
waiting; an event of a chat still running here waits for it without a claim; a caller of ``idle()`` costs no claim.
The timer is set to a minute, so that every event here goes by a wake-up, never by the timer — except in the last
test, where another process stores the events and only the timer can find them.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime

from bot.inbox_worker import InboxWorker
from conversations.service import inbox
from models.db import Database
from tests.support.statements import Statements, statements
from tests.test_inbox import FAST, Recorder, event, started

NO_TIMER = replace(FAST, poll=60.0)
WITHIN = 10.0  # seconds: a missed wake-up fails the test rather than waiting for the timer's minute


def claims(seen: Statements) -> int:
    return sum(1 for sql in seen.sql if sql.startswith("UPDATE inbox_event SET claimed_by"))


async def handled(recorder: Recorder, *names: str) -> None:
    await asyncio.wait_for(recorder.until(lambda: all(name in recorder.handled for name in names)), WITHIN)


async def drained(worker: InboxWorker) -> None:
    await asyncio.wait_for(worker.idle(), WITHIN)


async def a1_running(worker: InboxWorker, recorder: Recorder) -> None:
    """Chat a's first event accepted and held running (until ``recorder.gates["a1"]`` is set)."""
    await drained(worker)  # the first round (every start looks once) is over
    recorder.gates["a1"] = asyncio.Event()
    assert await worker.accept([event("a", "a1")])
    await asyncio.wait_for(recorder.until(lambda: recorder.running == 1), WITHIN)


async def test_an_event_is_claimed_once_and_a_drained_inbox_is_not_asked_again(database: Database) -> None:
    worker, recorder = await started(database, NO_TIMER)
    try:
        await drained(worker)  # the first round (every start looks once) is over
        with statements() as seen:
            for number in range(1, 4):
                assert await worker.accept([event("a", f"a{number}")])
                await handled(recorder, f"a{number}")
            await asyncio.sleep(0.1)  # a claim after the finish would have been made by now
        assert claims(seen) == 3, seen.sql
        with statements() as waited:
            await drained(worker)
        assert claims(waited) == 0 and len(waited.sql) == 1, waited.sql  # "anything left?", and no claim
        assert recorder.handled == ["a1", "a2", "a3"]
    finally:
        await worker.stop()


async def test_a_chats_next_event_waits_for_its_head_without_a_claim_and_goes_once_it_is_done(
        database: Database) -> None:
    worker, recorder = await started(database, NO_TIMER)
    try:
        await a1_running(worker, recorder)
        with statements() as seen:
            assert await worker.accept([event("a", "a2")])  # its chat runs here: nothing to claim yet
            await asyncio.sleep(0.1)
            assert claims(seen) == 0, seen.sql
            assert await worker.accept([event("b", "b1")])  # another chat: claimed at once
            await handled(recorder, "b1")
            recorder.gates["a1"].set()
            await handled(recorder, "a1", "a2")
            await drained(worker)
        assert claims(seen) == 2, seen.sql  # b1's, and a2's once a1 was done
        assert [name for name in recorder.handled if name[0] == "a"] == ["a1", "a2"]
    finally:
        await worker.stop()


async def test_events_waiting_for_a_free_slot_go_when_one_frees_up(database: Database) -> None:
    worker, recorder = await started(database, replace(NO_TIMER, concurrency=1))
    try:
        await a1_running(worker, recorder)
        assert await worker.accept([event("b", "b1"), event("c", "c1")])
        recorder.gates["a1"].set()
        await handled(recorder, "a1", "b1", "c1")
        await drained(worker)
    finally:
        await worker.stop()


async def test_a_redelivery_of_the_running_event_costs_one_claim_at_most(database: Database) -> None:
    worker, recorder = await started(database, NO_TIMER)
    try:
        await a1_running(worker, recorder)
        with statements() as seen:
            assert await worker.accept([event("a", "a1")])  # dropped as a duplicate
            recorder.gates["a1"].set()
            await handled(recorder, "a1")
            await drained(worker)
            await asyncio.sleep(0.1)
        assert claims(seen) <= 1 and recorder.calls == ["a1"], seen.sql
    finally:
        await worker.stop()


async def test_events_another_process_stored_are_found_by_the_timer(database: Database) -> None:
    worker, recorder = await started(database, FAST)
    try:
        await drained(worker)
        await inbox.receive([event("x", "x1"), event("y", "y1")], datetime.now(UTC))
        await handled(recorder, "x1", "y1")
    finally:
        await worker.stop()
