"""The director hears of a take-back (↩️ ดึงกลับมาแก้ไข) only when they heard of the submission: a news of it
already pushed or seen is followed by a short notice through the same path; a news not gone out is stopped and
nothing is said. The pusher sending the news at the moment the owner takes it back never leaves the director with
only a stale "waiting" news."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from bot.pushers import ConsolePusher
from bot.reminders import ReminderOptions
from conversations.messages import Reply
from conversations.oversight.reminder_plan import DueReminder, due_reminders
from conversations.service import reminder_claims
from models.db import Database
from models.enums import DeliveryStatus, ItemStatus, ReminderKind
from models.project import Project
from models.report import WindowException
from models.runtime import Notification, ReminderDelivery
from tests.support.reminders import Terminal, bangkok, loop
from tests.support.scenario import register_project_a
from tests.support.transcript import Chat
from tests.support.world import World, demo_world

WITHDRAW = "↩️ ดึงกลับมาแก้ไข"
CODE = "CMI1-2570-003"
NEWS = f"ส่งทะเบียนโครงการ {CODE}"


def _notice(world: World) -> str:
    return f"↩️ {world.people['suda'].name} ดึงโครงการ {CODE} กลับไปแก้ไขแล้ว ยังไม่ต้องพิจารณาค่ะ"


def _about_it(terminal: Terminal) -> list[str]:
    """What the director was pushed about this project since the last look."""
    return [text for text in terminal.take().get("somchai", []) if CODE in text]


async def _submitted(world: World) -> Chat:
    """Suda registers project A and sends it, on a working morning (pushes go out)."""
    world.clock.set(bangkok(2026, 12, 9, 9))
    owner = world.chat("suda")
    await register_project_a(owner)
    await owner.tap("ส่งให้ผู้อำนวยการ")
    return owner


async def _planned_news(world: World) -> list[DueReminder]:
    """What the pusher's next round would send that comes from a notification row (the submission's news)."""
    options = ReminderOptions()
    return [due for due in await due_reminders(world.clock(), options.schedule, options.policy)
            if due.notification_id is not None]


async def _take_back(owner: Chat) -> None:
    await owner.tap("โครงการของฉัน")
    await owner.tap("1. โครงการยกระดับ")
    await owner.tap(WITHDRAW)
    assert f"ดึงโครงการ {CODE} กลับมาแก้ไขแล้วค่ะ" in owner.text, owner.text


async def test_a_pushed_news_is_followed_by_a_take_back_notice(database: Database) -> None:
    async with demo_world(database) as world:
        terminal = Terminal()
        reminders = loop(world.clock, terminal.pusher())
        owner = await _submitted(world)
        await reminders.run_once()
        [news] = _about_it(terminal)
        assert NEWS in news

        await _take_back(owner)
        world.clock.advance(minutes=1)
        await reminders.run_once()
        assert _about_it(terminal) == [_notice(world)]
        director = world.chat("somchai")
        await director.say("รออนุมัติ")
        assert CODE not in director.text and "ยังไม่ต้องพิจารณา" not in director.text  # pushed is seen: once


async def test_a_news_seen_in_a_turn_is_followed_by_the_notice_at_the_next_turn(database: Database) -> None:
    async with demo_world(database) as world:
        owner = await _submitted(world)
        director = world.chat("somchai")
        await director.say("เมนู")
        assert NEWS in director.text  # at the top of his turn, never pushed

        await _take_back(owner)
        await director.say("เมนู")
        assert _notice(world) in director.text and NEWS not in director.text
        await director.say("รออนุมัติ")
        assert CODE not in director.text


async def test_a_news_not_gone_out_is_stopped_and_nothing_is_said(database: Database) -> None:
    async with demo_world(database) as world:
        terminal = Terminal()
        reminders = loop(world.clock, terminal.pusher())
        owner = await _submitted(world)
        await _take_back(owner)

        world.clock.advance(minutes=1)
        await reminders.run_once()
        assert _about_it(terminal) == []
        director = world.chat("somchai")
        await director.say("เมนู")
        assert CODE not in director.text  # neither the news nor a notice of a take-back he never heard of


async def test_a_news_planned_before_the_take_back_is_not_pushed_after_it(database: Database) -> None:
    async with demo_world(database) as world:
        terminal = Terminal()
        reminders = loop(world.clock, terminal.pusher())
        owner = await _submitted(world)
        planned = await _planned_news(world)
        assert [NEWS in due.reply.text for due in planned] == [True]  # the pusher has read the news row

        await _take_back(owner)  # before the pusher claims it
        held = await reminder_claims.claim(planned, "run-1", world.clock())
        assert await reminder_claims.still_due(held, "run-1") == []
        delivery = await ReminderDelivery.get(subject=planned[0].subject)
        assert delivery.status is DeliveryStatus.SKIPPED and delivery.last_error == "no longer due"
        await reminders.run_once()
        assert _about_it(terminal) == []  # no stale news, and no notice of a news that never went out
        assert not await Notification.filter(key="notify.withdrawn_project").exists()


async def test_a_news_claimed_before_the_take_back_is_stopped_and_the_notice_says_it(database: Database) -> None:
    async with demo_world(database) as world:
        terminal = Terminal()
        reminders = loop(world.clock, terminal.pusher())
        owner = await _submitted(world)
        planned = await _planned_news(world)
        held = await reminder_claims.claim(planned, "run-1", world.clock())  # the pusher holds the news

        await _take_back(owner)  # it may be on the wire: the director is told
        assert await reminder_claims.still_due(held, "run-1") == []  # it was not yet: it is not sent
        world.clock.advance(minutes=1)
        await reminders.run_once()
        assert _about_it(terminal) == [_notice(world)]


class _TakenBackWhileSending(ConsolePusher):
    """The terminal, where the owner takes the project back while the news to the director is on its way."""

    def __init__(self, terminal: Terminal, owner: Chat) -> None:
        super().__init__(terminal.show)
        self.owner, self.taken = owner, False

    async def push(self, external_id: str, replies: Sequence[Reply]) -> None:
        if external_id == "somchai" and not self.taken and any(CODE in reply.text for reply in replies):
            self.taken = True
            await _take_back(self.owner)
        await super().push(external_id, replies)


async def test_a_news_on_the_wire_at_the_take_back_is_followed_by_the_notice(database: Database) -> None:
    async with demo_world(database) as world:
        terminal = Terminal()
        owner = await _submitted(world)
        sending = _TakenBackWhileSending(terminal, owner)
        await loop(world.clock, sending).run_once()
        assert sending.taken and (await Project.get(code=CODE)).status is ItemStatus.DRAFT
        [news] = _about_it(terminal)
        assert NEWS in news

        world.clock.advance(minutes=1)
        await loop(world.clock, terminal.pusher()).run_once()
        assert _about_it(terminal) == [_notice(world)]  # the news he got is not left standing alone


class _TakenBackBetweenPlanAndClaim(ConsolePusher):
    """One message per chunk, two chunks at a time: the owner takes the project back while the first chunk is
    being sent, the second waits for it, so the director's chunk (planned with the news) is claimed after."""

    def __init__(self, terminal: Terminal, owner: Chat) -> None:
        super().__init__(terminal.show)
        self.owner, self.done = owner, asyncio.Event()

    async def push(self, external_id: str, replies: Sequence[Reply]) -> None:
        if external_id == "weera" and not self.done.is_set():
            await _take_back(self.owner)
            self.done.set()
        elif external_id == "admin":
            await self.done.wait()
        await super().push(external_id, replies)


async def test_the_loop_does_not_send_a_news_stopped_after_it_was_planned(database: Database) -> None:
    async with demo_world(database) as world:
        await WindowException.all().delete()  # no ladder: only the notifications below are due
        terminal = Terminal()
        for name in ("weera", "admin"):  # two earlier notifications, to two other people
            await Notification.create(recipient=world.people[name], kind=ReminderKind.DECIDED, key="notify.reopened",
                                      params={"owner": "ครูสมศรี", "code": "CMI1-2570-001", "period": ""},
                                      created_at=bangkok(2026, 12, 9, 8))
        owner = await _submitted(world)
        sending = _TakenBackBetweenPlanAndClaim(terminal, owner)
        await loop(world.clock, sending, options=ReminderOptions(chunk=1)).run_once()
        assert sending.done.is_set() and (await Project.get(code=CODE)).status is ItemStatus.DRAFT
        shown = terminal.take(admins=True)
        assert set(shown) == {"weera", "admin"}, shown  # the director's news was planned, then dropped
        news = await Notification.get(key="notify.submitted_project")
        delivery = await ReminderDelivery.get(subject=f"n{news.id}")
        assert delivery.status is DeliveryStatus.SKIPPED

        world.clock.advance(minutes=1)
        await loop(world.clock, terminal.pusher()).run_once()
        assert _about_it(terminal) == []  # he never heard of it: no notice either
