"""The inbox and its worker on a real database: stored once, each chat in order, chats side by side, claims that
only one holder records, a failing event set aside with one apology, replies sent again after a failed sending.

The channel is played by a recording handler (the worker's plug-in point); the end-to-end tests through LINE and
Telegram are in tests/test_faults_*.py.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from tortoise.transactions import in_transaction

from bot.inbox_worker import DeliveryFailed, InboxWorker, WorkerOptions
from conversations.messages import Reply
from conversations.service import inbox
from conversations.service.inbox import Claimed, Received
from conversations.service.reply_codec import dump_replies
from conversations.service.turns import ConversationService
from models.clock import system_clock
from models.db import Database
from models.enums import InboxStatus, Platform
from models.inbox import InboxEvent
from tests.support.clock import SteppingClock
from tests.support.database import database_at

FAST = WorkerOptions(poll=0.05, first_retry=0.05, lease=5.0)


class Recorder:
    """A channel that records what it was handed; some events wait at a gate, fail, or fail to be sent."""

    def __init__(self, service: ConversationService) -> None:
        self.service = service
        self.handled: list[str] = []
        self.sent: list[tuple[str, list[str]]] = []
        self.log: list[str] = []  # handled and sent, in the order they happened
        self.gates: dict[str, asyncio.Event] = {}
        self.poison: set[str] = set()
        self.unsendable: dict[str, int] = {}  # event → sendings that fail before one goes through
        self.outages: dict[str, int] = {}  # event → tries that meet a database that does not answer
        self.broken_after_commit: set[str] = set()  # events whose turn is stored, then something else fails
        self.slow: dict[str, float] = {}  # event → seconds its turn takes
        self.calls: list[str] = []
        self.running = 0
        self.most = 0
        self.changed = asyncio.Event()

    async def until(self, condition: Callable[[], bool]) -> None:
        """Wait until ``condition`` holds, looking again whenever something was handled or started."""
        while not condition():
            self.changed.clear()
            await self.changed.wait()

    async def process(self, item: Claimed) -> None:
        name = str(item.payload["name"])
        self.calls.append(name)
        if self.outages.get(name, 0) > 0:
            self.outages[name] -= 1
            raise TimeoutError("the database did not answer")
        if item.handled:
            self.sent.append((name, [reply.key for reply in await self.service.stored_replies(item)]))
            self.log.append(f"sent {name}")
            return
        if name in self.poison:
            raise RuntimeError(f"{name} fails every time")
        if name in self.broken_after_commit:
            async with in_transaction() as connection:
                assert await inbox.store_replies(item, dump_replies([Reply(text="ok", key="stored")]), connection)
            raise ValueError("a rendering bug, after the turn was stored")
        if name in self.slow:
            await asyncio.sleep(self.slow[name])
        self.running += 1
        self.most = max(self.most, self.running)
        self.changed.set()
        try:
            if name in self.gates:
                await self.gates[name].wait()
        finally:
            self.running -= 1
        if self.unsendable.get(name, 0) > 0:
            self.unsendable[name] -= 1
            raise DeliveryFailed("the platform is down")
        self.handled.append(name)
        self.log.append(f"handled {name}")
        self.changed.set()


def event(chat: str, name: str) -> Received:
    return Received(Platform.TELEGRAM, chat, f"{chat}-{name}", {"name": name})


async def started(database: Database, options: WorkerOptions = FAST,
                  recorder: Recorder | None = None) -> tuple[InboxWorker, Recorder]:
    service = ConversationService(postgres=database.is_postgres)
    worker = InboxWorker(service, clock=system_clock, options=options)  # real time: retries wait real pauses
    recorder = recorder or Recorder(service)
    worker.register(Platform.TELEGRAM, recorder)
    await worker.start()
    return worker, recorder


async def test_each_chats_events_are_handled_in_order_and_chats_do_not_wait_for_each_other(
        database: Database) -> None:
    worker, recorder = await started(database)
    try:
        recorder.gates["a1"] = asyncio.Event()
        assert await worker.accept([event("a", "a1"), event("b", "b1"), event("a", "a2"), event("b", "b2"),
                                    event("a", "a3")])
        await recorder.until(lambda: recorder.handled == ["b1", "b2"])  # chat a is stuck, chat b carries on
        assert await InboxEvent.filter(chat_ref="a", status=InboxStatus.PENDING).count() == 3
        recorder.gates["a1"].set()
        await worker.idle()
        assert recorder.handled == ["b1", "b2", "a1", "a2", "a3"]
        assert set(await InboxEvent.all().values_list("status", flat=True)) == {InboxStatus.DONE}
    finally:
        await worker.stop()


async def test_a_redelivered_event_is_stored_and_handled_once(database: Database) -> None:
    worker, recorder = await started(database)
    try:
        for _ in range(3):
            assert await worker.accept([event("a", "once")])
        await worker.idle()
        assert recorder.handled == ["once"] and await InboxEvent.all().count() == 1
    finally:
        await worker.stop()


async def test_no_more_than_the_concurrency_run_at_once(database: Database) -> None:
    worker, recorder = await started(database, replace(FAST, concurrency=3))
    try:
        gate = asyncio.Event()
        for chat in range(10):
            recorder.gates[f"c{chat}"] = gate
        assert await worker.accept([event(f"chat{chat}", f"c{chat}") for chat in range(10)])
        await recorder.until(lambda: recorder.running == 3)
        await asyncio.sleep(0.2)
        assert recorder.running == 3  # seven chats wait for a slot
        gate.set()
        await worker.idle()
        assert recorder.most == 3 and len(recorder.handled) == 10
    finally:
        await worker.stop()


async def test_an_event_that_fails_every_time_is_set_aside_with_one_apology_and_its_chat_goes_on(
        database: Database) -> None:
    worker, recorder = await started(database)
    try:
        recorder.poison.add("bad")
        assert await worker.accept([event("a", "bad"), event("a", "next"), event("b", "other")])
        await worker.idle()
        assert sorted(recorder.handled) == ["next", "other"]
        assert recorder.sent == [("bad", ["error.set_aside"])]  # told once
        assert recorder.log.index("sent bad") < recorder.log.index("handled next")  # its chat waited for it
        bad = await InboxEvent.get(event_id="a-bad")
        assert (bad.status, bad.failures, bad.set_aside) == (InboxStatus.SET_ASIDE, 2, True)
        assert "fails every time" in bad.last_error
    finally:
        await worker.stop()


async def test_replies_that_could_not_be_sent_are_sent_again_and_given_up_after_the_last_try(
        database: Database) -> None:
    worker, recorder = await started(database, replace(FAST, max_delivery_failures=3))
    try:
        recorder.unsendable = {"late": 2, "never": 5}
        assert await worker.accept([event("a", "late"), event("b", "never")])
        await worker.idle()
        assert recorder.handled == ["late"]  # the third try went through
        late = await InboxEvent.get(event_id="a-late")
        assert (late.status, late.delivery_failures) == (InboxStatus.DONE, 2)
        never = await InboxEvent.get(event_id="b-never")
        assert (never.status, never.delivery_failures) == (InboxStatus.DONE, 2)  # the third failure gave up
        assert never.last_error.startswith("not delivered") and recorder.unsendable["never"] == 2
    finally:
        await worker.stop()


async def test_a_lapsed_claim_is_taken_over_and_its_old_holder_can_record_nothing(database: Database) -> None:
    clock = SteppingClock()
    await inbox.receive([event("a", "one"), event("a", "two")], clock())
    [held] = await inbox.claim("first", clock(), timedelta(seconds=30), 10)
    assert held.event_id == "a-one" and await inbox.claim("second", clock(), timedelta(seconds=30), 10) == []
    clock.advance(seconds=31)  # the first holder died: its lease lapsed
    [taken] = await inbox.claim("second", clock(), timedelta(seconds=30), 10)
    assert taken.id == held.id and taken.claims == 1 and taken.claim != held.claim  # one takeover
    assert not await inbox.finish(held, clock())  # too late: only the holder records
    assert await inbox.finish(taken, clock())
    [following] = await inbox.claim("second", clock(), timedelta(seconds=30), 10)
    assert following.event_id == "a-two"


async def test_the_stored_replies_survive_the_round_trip(database: Database) -> None:
    clock = SteppingClock()
    service = ConversationService(postgres=database.is_postgres, clock=clock)
    await inbox.receive([event("a", "x")], clock())
    [item] = await inbox.claim("w", clock(), timedelta(seconds=30), 1)
    await service.set_aside(item, "a test")
    assert [reply.key for reply in await service.stored_replies(item)] == ["error.set_aside"]
    assert isinstance((await service.stored_replies(item))[0], Reply)


async def test_a_failure_after_the_turn_was_stored_is_a_sending_to_try_again_and_the_chat_goes_on(
        database: Database) -> None:
    worker, recorder = await started(database)
    try:
        recorder.broken_after_commit.add("stored")
        assert await worker.accept([event("a", "stored"), event("a", "after")])
        await worker.idle()
        assert recorder.sent == [("stored", ["stored"])] and recorder.handled == ["after"]
        stored = await InboxEvent.get(event_id="a-stored")
        assert (stored.status, stored.failures, stored.delivery_failures) == (InboxStatus.DONE, 0, 1)
    finally:
        await worker.stop()


async def test_an_outage_is_waited_out_without_counting_against_the_event(database: Database) -> None:
    worker, recorder = await started(database, replace(FAST, max_claims=1, max_failures=1))
    try:
        recorder.outages["patient"] = 3
        assert await worker.accept([event("a", "patient")])
        await worker.idle()
        assert recorder.handled == ["patient"] and recorder.calls == ["patient"] * 4
        row = await InboxEvent.get(event_id="a-patient")
        assert (row.status, row.claims, row.failures, row.set_aside) == (InboxStatus.DONE, 0, 0, False)
    finally:
        await worker.stop()


async def test_two_workers_on_one_database_handle_each_event_once_and_each_chat_in_order(database: Database) -> None:
    first, recorder = await started(database, replace(FAST, lease=0.6))  # renewed every 0.2 s
    second, _ = await started(database, replace(FAST, lease=0.6), recorder)
    try:
        recorder.slow = {"a1": 1.5, "b2": 1.0}  # longer than the lease: only renewals keep them held
        events = [event(chat, f"{chat}{number}") for number in range(1, 5) for chat in "abc"]
        assert await first.accept(events[:6]) and await second.accept(events[6:])
        await first.idle()
        await second.idle()
        assert sorted(recorder.calls) == sorted(item.payload["name"] for item in events)  # each once
        for chat in "abc":
            assert [name for name in recorder.handled if name[0] == chat] == [f"{chat}{n}" for n in range(1, 5)]
        assert set(await InboxEvent.all().values_list("claims", flat=True)) == {0}  # nothing was taken over
    finally:
        await first.stop()
        await second.stop()


async def test_at_shutdown_an_event_still_running_is_given_back_and_the_next_worker_handles_it(
        database: Database) -> None:
    worker, recorder = await started(database, replace(FAST, shutdown_grace=0.2))
    recorder.gates["stuck"] = asyncio.Event()
    assert await worker.accept([event("a", "stuck")])
    await recorder.until(lambda: recorder.running == 1)
    await worker.stop()
    row = await InboxEvent.get(event_id="a-stuck")
    assert (row.status, row.claimed_by, row.claimed_until) == (InboxStatus.PENDING, "", None)  # given back
    recorder.gates.clear()
    successor, _ = await started(database, FAST, recorder)
    try:
        await successor.idle()
        assert recorder.handled == ["stuck"]
    finally:
        await successor.stop()


async def test_the_upgrade_keeps_the_event_ids_already_processed_so_a_late_redelivery_is_dropped(
        empty_database_url: str, tmp_path: Path) -> None:
    async with database_at("0010_project_code_counters", empty_database_url, tmp_path) as database:
        marks = ["$1", "$2", "$3"] if database.is_postgres else ["?"] * 3
        await database.connection().execute_query(
            f"INSERT INTO processed_event (platform, event_id, processed_at) VALUES ({', '.join(marks)})",
            ["telegram", "900001", system_clock()])
        await database.migrate()
        row = await InboxEvent.get(platform=Platform.TELEGRAM, event_id="900001")
        assert row.status is InboxStatus.DONE and row.finished_at is not None
        await inbox.receive([Received(Platform.TELEGRAM, "7", "900001", {"update_id": 900001})], system_clock())
        assert await inbox.claim("w", system_clock(), timedelta(seconds=30), 10) == []  # seen: nothing to do


async def test_a_burst_of_webhooks_is_stored_together_and_each_event_once(database: Database) -> None:
    # what is checked is that each event is stored once, not how fast: a loaded machine may take more than the
    # service's 1.5 s to store 200 events (that path, a 503 and a redelivery, has a test of its own)
    worker, recorder = await started(database, replace(FAST, ack_within=30.0))
    try:
        bursts = [[event(f"chat{number}", f"n{number}"), event(f"chat{number}", f"n{number}")]  # each one twice
                  for number in range(100)]
        assert all(await asyncio.gather(*(worker.accept(burst) for burst in bursts)))
        await worker.idle()
        assert await InboxEvent.all().count() == 100 and sorted(recorder.handled) == sorted(
            f"n{number}" for number in range(100))
    finally:
        await worker.stop()
