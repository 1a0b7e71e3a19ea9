"""The inbox worker: stores what webhooks receive, then claims each chat's next event and has its channel handle it.

One worker runs in every process. Receiving is bounded in time: a platform is answered 200 only once its events
are stored, 503 when they could not be within ``ack_within`` (it then delivers them again; a copy stored late is
dropped as a duplicate). Handling takes the head of each chat (see :mod:`conversations.service.inbox`), at most
``concurrency`` at once, renews the claims while it works, and records each outcome
(:mod:`bot.inbox_outcomes`). Events this worker answered but could not record as finished (the database went
away) are recorded first thing when it answers again, before anything is claimed.

The database is asked for work (a claim, one UPDATE) only when some may be there: once an event this process
stored belongs to a chat it is not working on, once a chat it worked on has another such event waiting, after an
event that was not recorded finished (tried again, given back), and at least every ``poll`` seconds otherwise —
for events stored by another process, due again, or given back by one that died. An event finished with nothing
of its chat waiting, or a wake-up for a chat still running here, asks nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timedelta

from bot.inbox_outcomes import DeliveryFailed, InboxHandler, Outcomes, WorkerOptions, brief
from bot.inbox_receiving import ReceiveBatcher
from conversations.service import inbox
from conversations.service.inbox import Claimed, Received
from conversations.service.turns import ConversationService
from models.clock import Clock, system_clock
from models.db import is_outage
from models.enums import Platform

__all__ = ["DeliveryFailed", "InboxHandler", "InboxWorker", "WorkerOptions"]

log = logging.getLogger(__name__)
PRUNE_EVERY = timedelta(hours=1)
LONGEST_PAUSE = 5.0  # seconds between looks at a database that does not answer


class InboxWorker:
    """Receives events into the inbox and works them off, in order per chat, side by side across chats."""

    def __init__(self, service: ConversationService, *, clock: Clock = system_clock,
                 options: WorkerOptions | None = None) -> None:
        """``clock`` is wall time: leases and pauses are real seconds, compared across processes (an app's
        injected business clock, which tests step by hand, must not stop them)."""
        self.clock = clock
        self.options = options or WorkerOptions()
        self.id = uuid.uuid4().hex[:16]
        self.handlers: dict[Platform, InboxHandler] = {}
        self.outcomes = Outcomes(service, self.handlers, clock, lambda: self.options)
        self.closing = asyncio.Event()  # set when shutdown begins
        self._running: dict[int, tuple[Claimed, asyncio.Task[None]]] = {}
        self.receiving = ReceiveBatcher(clock, self._stored)
        self._wakeup = asyncio.Event()
        self._look = True  # whether the next round asks the database for work (a claim)
        self._waiting: Counter[tuple[Platform, str]] = Counter()  # events stored here, by chat, not yet claimed
        self._poll_at = 0.0  # the event loop's time by which the database is asked again, whatever else happens
        self._idle = asyncio.Event()
        self._watchers = 0  # callers of idle(): only then is "is anything left?" asked of the database
        self._look_if_unfinished = False  # a caller of idle() came: look once more if anything is left
        self._loop_task: asyncio.Task[None] | None = None
        self._renewer: asyncio.Task[None] | None = None
        self._pruned_at: datetime | None = None

    def register(self, platform: Platform, handler: InboxHandler) -> None:
        """Let ``handler`` handle the platform's events."""
        self.handlers[platform] = handler

    # --- receiving ---------------------------------------------------------------------------------------------

    async def accept(self, events: Sequence[Received]) -> bool:
        """Store the events; True once they are (the platform may be told), False when they could not be in time.

        Events arriving together are stored together (:mod:`bot.inbox_receiving`). A batch still being stored
        after ``ack_within`` is left to finish: the platform is told to deliver again, and the copy it sends is
        dropped as a duplicate if the first one made it.
        """
        if self.closing.is_set():
            return False
        if not events:
            return True
        try:
            stored = await self.receiving.store(events, self.options.ack_within)
        except Exception as error:
            log.warning("inbox: %d event(s) could not be stored: %s", len(events), brief(error))
            return False
        if not stored:
            self._idle.clear()
            log.warning("inbox: %d event(s) not stored within %.1fs; the platform will deliver them again",
                        len(events), self.options.ack_within)
        return stored

    def wake(self) -> None:
        """Look for work now."""
        self._idle.clear()
        self._look = True
        self._wakeup.set()

    def _stored(self, events: Sequence[Received]) -> None:
        """Events were stored: look for work unless each is of a chat running here (it goes when that is done)."""
        self._idle.clear()
        self._waiting.update((event.platform, event.chat_ref) for event in events)
        running = self._running_chats()
        if self._look or any((event.platform, event.chat_ref) not in running for event in events):
            self.wake()

    def _running_chats(self) -> set[tuple[Platform, str]]:
        return {(item.platform, item.chat_ref) for item, _ in self._running.values()}

    async def idle(self) -> None:
        """Return once no event anywhere is waiting for its turn or its replies (for tests and benchmarks)."""
        self._watchers += 1
        try:
            self._idle.clear()
            self._look_if_unfinished = True
            self._wakeup.set()
            await self._idle.wait()
        finally:
            self._watchers -= 1

    # --- the loop ----------------------------------------------------------------------------------------------

    async def start(self) -> None:
        """Start working off the inbox in the background."""
        self._loop_task = asyncio.create_task(self._run(), name="inbox-worker")
        self._renewer = asyncio.create_task(self._renew(), name="inbox-leases")

    async def stop(self) -> None:
        """Claim nothing more; let the running events finish within the grace period; then stop what is left
        and give it back for the next start (its turn rolled back, or its replies sent again)."""
        self.closing.set()
        self._wakeup.set()
        if self._loop_task is not None:
            try:
                await asyncio.wait_for(asyncio.shield(self._loop_task), self.options.shutdown_grace)
            except TimeoutError:
                log.warning("inbox: %d event(s) still running at shutdown are given back", len(self._running))
        await self.receiving.close()
        tasks = [self._loop_task, self._renewer, *(task for _, task in self._running.values())]
        for task in tasks:
            if task is not None and not task.done():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
        with contextlib.suppress(Exception):  # the database may be away: the claims then lapse by themselves
            await self.outcomes.settle()

    async def _run(self) -> None:
        pause = 0.0
        loop = asyncio.get_running_loop()
        while True:
            self._wakeup.clear()
            if loop.time() >= self._poll_at:  # a timer poll: events of other processes, or due again
                self._look = True
                self._poll_at = loop.time() + self.options.poll
            try:
                if self._look:
                    await self._claim()
            except Exception as error:  # the database is away: wait for it, never stop
                self._look = True
                pause = min(max(pause * 2, 0.5), LONGEST_PAUSE)
                if is_outage(error):
                    log.warning("inbox: database unavailable (%s); looking again in %.1fs", brief(error), pause)
                else:
                    log.exception("inbox: claiming failed; looking again in %.1fs", pause)
                await asyncio.sleep(pause)
                continue
            pause = 0.0
            if not self._running:
                if self.closing.is_set():
                    return
                await self._note_idle()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wakeup.wait(), max(self._poll_at - loop.time(), 0.0))

    async def _claim(self) -> list[Claimed]:
        """One round: settle, prune now and then, and claim what there is room for (the look is done only when the
        claim is made: a round without room or behind a webhook leaves it to the next)."""
        now = self.clock()
        await self.outcomes.settle()  # before anything is claimed: answered events must not be answered again
        if self._pruned_at is None or now - self._pruned_at >= PRUNE_EVERY:
            self._pruned_at = now
            if pruned := await inbox.prune(now):
                log.info("inbox: forgot %d finished event(s)", pruned)
        free = self.options.concurrency - len(self._running)
        if free <= 0 or self.closing.is_set() or self.receiving.busy:
            return []  # a webhook waiting to store its events goes first: the platform waits for our answer
        busy = [*self._running, *self.outcomes.unrecorded_ids]  # never claimed again by this worker meanwhile
        self._look = False
        self._poll_at = asyncio.get_running_loop().time() + self.options.poll  # every claim is a poll too
        claimed = await inbox.claim(self.id, now, timedelta(seconds=self.options.lease), free, busy)
        if claimed:
            self._idle.clear()
        for item in claimed:
            task = asyncio.create_task(self._work(item), name=f"inbox-{item.id}")
            self._running[item.id] = (item, task)
            self._waiting[(item.platform, item.chat_ref)] -= 1
        self._waiting = +self._waiting  # drop counts at or below zero
        running = self._running_chats()
        if len(claimed) < free:  # every head that could go went: what still waits, waits for its chat running
            # here (it goes after it), or for the timer (held by another process, not yet due, or a duplicate)
            self._waiting = Counter({chat: count for chat, count in self._waiting.items() if chat in running})
        elif any(chat not in running for chat in self._waiting):
            self._look = True  # the room ran out first: look again once some frees up
        return claimed

    async def _note_idle(self) -> None:
        if not self._watchers or self.receiving.busy or self._wakeup.is_set():
            return
        with contextlib.suppress(Exception):  # only a convenience for waiting; the next round asks again
            left = await inbox.unfinished()
            if not left and not self._running and not self._wakeup.is_set():
                self._look_if_unfinished = False
                self._idle.set()
            elif left and self._look_if_unfinished:  # once per caller: later looks are the timer's
                self._look_if_unfinished = False
                self.wake()

    async def _renew(self) -> None:
        every = self.options.lease / 3
        while True:
            await asyncio.sleep(every)
            held = [item.held for item, _ in self._running.values()] + self.outcomes.unrecorded_claims
            if not held:
                continue
            try:
                await inbox.renew(held, self.clock() + timedelta(seconds=self.options.lease))
            except Exception as error:  # the claims may lapse and be taken over: the turns are guarded by them
                log.warning("inbox: leases not renewed: %s", brief(error))

    async def _work(self, item: Claimed) -> None:
        task = asyncio.current_task()
        finished = False
        try:
            finished = await self.outcomes.handle(item)
        except asyncio.CancelledError:
            self.outcomes.abandon(item)
            raise
        except Exception:  # recording the outcome failed (the database went away): the claim is given back
            log.warning("inbox: outcome of event %s not recorded; it will be tried again", item.id, exc_info=True)
            self.outcomes.abandon(item)
        finally:
            entry = self._running.get(item.id)
            if entry is not None and entry[1] is task:
                del self._running[item.id]
            if not finished or self._waiting[(item.platform, item.chat_ref)] > 0 or self.outcomes.unsettled:
                self.wake()  # its chat's next event may go, or it was left for later: look
            elif self._look or self.closing.is_set() or (self._watchers and not self._running):
                self._wakeup.set()  # a look put off for want of room, the shutdown, or a caller of idle()
