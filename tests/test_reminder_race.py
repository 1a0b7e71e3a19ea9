"""Two reminder loops on one database (both databases in CI: PostgreSQL is the one with real concurrency)
send every reminder once; a process dying after sending but before recording repeats, never drops."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Sequence

import pytest

from bot.pushers import ConsolePusher
from bot.reminders import ReminderOptions
from conversations.messages import Reply
from conversations.oversight import tallies
from conversations.service.reminder_claims import LEASE
from models.db import Database
from models.enums import DeliveryStatus, ItemStatus, Platform, Role
from models.org import ChatAccount, Office, User
from models.project import Project
from models.runtime import ReminderDelivery
from tests.support.clock import SteppingClock
from tests.support.reminders import bangkok, loop

OWNERS = 120


class SlowChat:
    """A platform that takes a moment per message, so that two loops interleave; it counts what arrived."""

    def __init__(self, *, hang_at: int | None = None) -> None:
        self.arrived: Counter[str] = Counter()
        self.hang_at = hang_at
        self.hung = asyncio.Event()

    async def show(self, replies: Sequence[Reply], recipient: str | None) -> None:
        await asyncio.sleep(0.02)  # 120 messages, 8 at a time: about 0.3 s, so the other loop surely joins in
        assert recipient is not None
        self.arrived[recipient] += 1
        if self.hang_at is not None and sum(self.arrived.values()) >= self.hang_at:
            self.hung.set()
            await asyncio.Event().wait()  # delivered, but its process never gets to record it

    def pusher(self) -> ConsolePusher:
        chat = self

        class Slow(ConsolePusher):
            async def push(self, external_id: str, replies: Sequence[Reply]) -> None:
                await chat.show(replies, external_id)

        return Slow(lambda replies, recipient: None)


async def many_owners(count: int) -> None:
    office = await Office.create(code="BKK1", name="สพป.กรุงเทพมหานคร")
    for number in range(count):
        owner = await User.create(name=f"เจ้าของ {number}", role=Role.OWNER, office=office)
        await ChatAccount.create(platform=Platform.CONSOLE, external_id=f"owner{number}", user=owner)
        await Project.create(code=f"BKK1-2570-{number:03d}", fiscal_year=2570, office=office, owner=owner,
                             status=ItemStatus.APPROVED, name=f"โครงการ {number}")


async def test_two_loops_racing_send_each_reminder_once(database: Database) -> None:
    await many_owners(OWNERS)
    await tallies.refresh(2570)  # the offices' counts are kept already, as in service: both loops start alike
    clock = SteppingClock(bangkok(2027, 1, 5, 9))
    chat = SlowChat()
    options = ReminderOptions(chunk=25, concurrency=8)
    first, second = loop(clock, chat.pusher(), options=options), loop(clock, chat.pusher(), options=options)
    reports = await asyncio.gather(first.run_once(), second.run_once())
    assert sum(report.sent for report in reports) == OWNERS
    assert len(chat.arrived) == OWNERS and set(chat.arrived.values()) == {1}
    assert all(report.sent for report in reports) or database.url.startswith("sqlite")  # both did share the work
    await asyncio.gather(first.run_once(), second.run_once(), loop(clock, chat.pusher()).run_once())
    assert set(chat.arrived.values()) == {1}  # and nothing more on later ticks or after a restart
    assert await ReminderDelivery.filter(status=DeliveryStatus.SENT).count() == OWNERS


async def test_a_stop_after_sending_may_repeat_but_never_drops(database: Database) -> None:
    await many_owners(10)
    clock = SteppingClock(bangkok(2027, 1, 5, 9))
    chat = SlowChat(hang_at=4)  # the fourth message leaves, then the process hangs and is stopped
    first = asyncio.create_task(loop(clock, chat.pusher(), options=ReminderOptions(concurrency=1)).run_once())
    await chat.hung.wait()
    first.cancel()
    with pytest.raises(asyncio.CancelledError):
        await first
    assert sum(chat.arrived.values()) == 4
    assert await ReminderDelivery.filter(status=DeliveryStatus.SENT).count() == 3  # recorded on the way out
    chat.hang_at = None
    clock.advance(seconds=LEASE.total_seconds() + 1)
    await loop(clock, chat.pusher()).run_once()
    assert len(chat.arrived) == 10  # nobody dropped
    assert sorted(chat.arrived.values()) == [1] * 9 + [2]  # the one in flight when it stopped came again
    assert await ReminderDelivery.filter(status=DeliveryStatus.SENT).count() == 10


async def test_claims_stay_held_through_a_long_run(database: Database) -> None:
    """A run that outlasts its lease (a 429 storm, 20,000 people at 30 a second) keeps its claims."""
    await many_owners(10)
    clock = SteppingClock(bangkok(2027, 1, 5, 9))
    chat = SlowChat()
    interloper = loop(clock, chat.pusher())
    rivals: list[int] = []

    class Slow(ConsolePusher):
        async def push(self, external_id: str, replies: Sequence[Reply]) -> None:
            await chat.show(replies, external_id)
            clock.advance(minutes=2)  # twenty minutes for ten messages: four leases
            if sum(chat.arrived.values()) == 6:
                rivals.append((await interloper.run_once()).sent)  # another instance ticks meanwhile

    await loop(clock, Slow(lambda replies, recipient: None), options=ReminderOptions(concurrency=1)).run_once()
    assert rivals == [0]  # it found every claim held
    assert len(chat.arrived) == 10 and set(chat.arrived.values()) == {1}


async def test_an_unexpected_failure_is_retried_alone(database: Database) -> None:
    await many_owners(5)
    clock = SteppingClock(bangkok(2027, 1, 5, 9))
    chat = SlowChat()
    broken = {"owner2"}

    class Flaky(ConsolePusher):
        async def push(self, external_id: str, replies: Sequence[Reply]) -> None:
            if external_id in broken:
                raise RuntimeError("a bug in a renderer")
            await chat.show(replies, external_id)

    pusher = Flaky(lambda replies, recipient: None)
    report = await loop(clock, pusher).run_once()
    assert report.sent == 4 and report.retry_later == 1
    assert "owner2" not in chat.arrived
    broken.clear()
    clock.advance(minutes=1)
    assert (await loop(clock, pusher).run_once()).sent == 0  # not before its retry time
    clock.advance(minutes=2)
    assert (await loop(clock, pusher).run_once()).sent == 1
    assert set(chat.arrived.values()) == {1} and len(chat.arrived) == 5
