"""The inbox worker: stores what webhooks receive, then claims each chat's next event and has its channel handle it.

One worker runs in every process. Receiving is bounded in time: a platform is answered 200 only once its events
are stored, 503 when they could not be within ``ack_within`` (it then delivers them again; a copy stored late is
dropped as a duplicate). Handling takes the head of each chat (see :mod:`conversations.inbox`), at most
``concurrency`` at once, and records the outcome under its claim:

- handled, replies sent: finished;
- the database could not be reached (an outage): given back untouched and tried again when it answers, however
  long that takes — an event once stored is never dropped;
- a turn that failed otherwise (a bug, an input the database refuses): tried again after a pause, and after
  ``max_failures`` set aside — an apology is stored as its only reply and sent, and the chat goes on;
- replies that could not be sent: sent again after a pause, and given up after ``max_delivery_failures``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, Protocol

from conversations import inbox
from conversations.inbox import Claimed, Received
from conversations.service import ClaimLost, ConversationService
from models.clock import Clock, system_clock
from models.db import is_outage
from models.enums import InboxStatus, Platform

log = logging.getLogger(__name__)
PRUNE_EVERY = timedelta(hours=1)


class DeliveryFailed(Exception):
    """A stored turn's replies could not be sent: for now (the platform was unreachable or busy), or for good
    (``permanent``: it refused them, and sending them again would not help)."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


class InboxHandler(Protocol):
    """A channel's part: run the event's turn (unless :attr:`Claimed.handled`) and send its replies."""

    async def process(self, item: Claimed) -> None:
        """Handle one claimed event; raise :class:`DeliveryFailed` when only the sending failed."""
        ...


@dataclass(frozen=True, slots=True)
class WorkerOptions:
    """How the worker paces itself (the defaults suit production; tests shorten the lease)."""

    concurrency: int = 32  # events handled at once, over all chats
    lease: float = 30.0  # seconds a claim lasts unless renewed (a third of it between renewals)
    poll: float = 1.0  # seconds between looks for work stored by another process, or due again
    ack_within: float = 1.5  # seconds a webhook waits for its events to be stored
    max_failures: int = 3  # failed turns before an event is set aside
    max_claims: int = 10  # claims before an event whose process keeps dying on it is set aside
    max_delivery_failures: int = 4  # failed sendings before a turn's replies are given up
    shutdown_grace: float = 20.0  # seconds the running events get to finish when the service stops
    first_retry: float = 2.0  # seconds before the first retry of a failed turn or sending; then 4 times as long

    def retry_after(self, failures: int) -> timedelta:
        """The pause before another try: 2 s, 8 s, 32 s … at most 5 minutes (the chat's next events wait, so
        a failing turn is given few tries: a sending outlasted the sender's own retries already)."""
        return timedelta(seconds=min(self.first_retry * 4 ** (failures - 1), 300.0))


class InboxWorker:
    """Receives events into the inbox and works them off, in order per chat, side by side across chats."""

    def __init__(self, service: ConversationService, *, clock: Clock = system_clock,
                 options: WorkerOptions | None = None) -> None:
        """``clock`` is wall time: leases and pauses are real seconds, compared across processes (an app's
        injected business clock, which tests step by hand, must not stop them)."""
        self.service = service
        self.clock = clock
        self.options = options or WorkerOptions()
        self.id = uuid.uuid4().hex[:16]
        self.handlers: dict[Platform, InboxHandler] = {}
        self._running: dict[int, tuple[Claimed, asyncio.Task[None]]] = {}
        self._abandoned: list[tuple[int, str]] = []  # claims to give back once the database answers again
        self._unrecorded: dict[int, Claimed] = {}  # replies sent, "finished" not yet written (the database went)
        self._late: set[asyncio.Task[Any]] = set()  # stores that outlived their webhook's wait
        self._wakeup = asyncio.Event()
        self._idle = asyncio.Event()
        self._stopping = False
        self.closing = asyncio.Event()  # set when shutdown begins
        self._loop_task: asyncio.Task[None] | None = None
        self._renewer: asyncio.Task[None] | None = None
        self._pruned_at: datetime | None = None

    def register(self, platform: Platform, handler: InboxHandler) -> None:
        """Let ``handler`` handle the platform's events."""
        self.handlers[platform] = handler

    # --- receiving ---------------------------------------------------------------------------------------------

    async def accept(self, events: Sequence[Received]) -> bool:
        """Store the events; True once they are (the platform may be told), False when they could not be in time.

        A store still running after ``ack_within`` is left to finish: the platform is told to deliver again,
        and the copy it sends is dropped as a duplicate if the first one made it.
        """
        if self._stopping:
            return False
        if not events:
            return True
        store = asyncio.ensure_future(inbox.receive(events, self.clock()))
        done, _ = await asyncio.wait({store}, timeout=self.options.ack_within)
        if not done:
            self._late.add(store)
            store.add_done_callback(self._late_stored)
            log.warning("inbox: %d event(s) not stored within %.1fs; the platform will deliver them again",
                        len(events), self.options.ack_within)
            return False
        error = store.exception()
        if error is not None:
            log.warning("inbox: %d event(s) could not be stored: %s", len(events), _brief(error))
            return False
        self.wake()
        return True

    def _late_stored(self, store: asyncio.Task[Any]) -> None:
        self._late.discard(store)
        if not store.cancelled() and store.exception() is None:
            self.wake()

    def wake(self) -> None:
        """Look for work now (an event was stored, or one finished and its chat's next may go)."""
        self._idle.clear()
        self._wakeup.set()

    async def idle(self) -> None:
        """Return once no event anywhere is waiting for its turn or its replies (for tests and benchmarks)."""
        await self._idle.wait()

    # --- the loop ----------------------------------------------------------------------------------------------

    async def start(self) -> None:
        """Start working off the inbox in the background."""
        self._loop_task = asyncio.create_task(self._run(), name="inbox-worker")
        self._renewer = asyncio.create_task(self._renew(), name="inbox-leases")

    async def stop(self) -> None:
        """Take no more events; handle those stored and due (and finish the running ones) within the grace
        period; then stop what is left and give it back for the next start."""
        self._stopping = True
        self.closing.set()
        self._wakeup.set()
        if self._loop_task is not None:
            try:
                await asyncio.wait_for(asyncio.shield(self._loop_task), self.options.shutdown_grace)
            except TimeoutError:
                log.warning("inbox: %d event(s) still running at shutdown are given back", len(self._running))
        for task in (self._loop_task, self._renewer, *(task for _, task in self._running.values())):
            if task is not None and not task.done():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        for store in list(self._late):
            store.cancel()
        with contextlib.suppress(Exception):  # the database may be away: the claims then lapse by themselves
            await self._record_unrecorded()
            await self._give_back()

    async def _run(self) -> None:
        pause = 0.0
        while True:
            self._wakeup.clear()
            try:
                claimed = await self._claim()
                pause = 0.0
            except Exception as error:  # the database is away: wait for it, never stop
                pause = min(max(pause * 2, 0.5), 5.0)
                if is_outage(error):
                    log.warning("inbox: database unavailable (%s); trying again in %.1fs", _brief(error), pause)
                else:
                    log.exception("inbox: claiming failed; trying again in %.1fs", pause)
                await asyncio.sleep(pause)
                continue
            for item in claimed:
                self._running[item.id] = (item, asyncio.create_task(self._work(item), name=f"inbox-{item.id}"))
            if claimed and len(self._running) < self.options.concurrency:
                continue  # there may be more heads waiting
            if not self._running:
                if self._stopping:
                    return  # stopping, and nothing stored here is due: done
                await self._note_idle()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wakeup.wait(), self.options.poll)

    async def _claim(self) -> list[Claimed]:
        now = self.clock()
        await self._record_unrecorded()  # before anything is claimed: their replies must not go out twice
        await self._give_back()
        if self._pruned_at is None or now - self._pruned_at >= PRUNE_EVERY:
            self._pruned_at = now
            if pruned := await inbox.prune(now):
                log.info("inbox: forgot %d finished event(s)", pruned)
        free = self.options.concurrency - len(self._running)
        if free <= 0:
            return []
        claimed = await inbox.claim(self.id, now, timedelta(seconds=self.options.lease), free)
        if claimed:
            self._idle.clear()
        return claimed

    async def _note_idle(self) -> None:
        with contextlib.suppress(Exception):  # only a convenience for waiting; the next round tries again
            if not await inbox.unfinished() and not self._running and not self._wakeup.is_set():
                self._idle.set()

    async def _renew(self) -> None:
        every = self.options.lease / 3
        while True:
            await asyncio.sleep(every)
            held = [(item.id, item.claim) for item, _ in self._running.values()]
            held += [(item.id, item.claim) for item in self._unrecorded.values()]
            if not held:
                continue
            try:
                await inbox.renew(held, self.clock() + timedelta(seconds=self.options.lease))
            except Exception as error:  # the claims lapse and are taken over: the turns are guarded by them
                log.warning("inbox: leases not renewed: %s", _brief(error))

    async def _record_unrecorded(self) -> None:
        for item in list(self._unrecorded.values()):
            await inbox.finish(item, self.clock())
            del self._unrecorded[item.id]

    async def _finished(self, item: Claimed) -> None:
        """Record that the event's replies went out; if the database cannot be told now, it is told first thing
        when it answers again (still under this claim), so that the replies are not sent again."""
        try:
            await inbox.finish(item, self.clock())
        except Exception as error:
            log.warning("inbox: event %s was answered; recording it waits for the database (%s)", item.id,
                        _brief(error))
            self._unrecorded[item.id] = item

    async def _give_back(self) -> None:
        if self._abandoned:
            await inbox.release(self._abandoned, self.clock())
            self._abandoned.clear()

    # --- one event ---------------------------------------------------------------------------------------------

    async def _work(self, item: Claimed) -> None:
        try:
            await self._handle(item)
        except asyncio.CancelledError:
            self._abandoned.append((item.id, item.claim))
            raise
        except Exception:  # recording the outcome failed (the database went away): the claim is given back
            log.warning("inbox: outcome of event %s not recorded; it will be tried again", item.id, exc_info=True)
            self._abandoned.append((item.id, item.claim))
        finally:
            del self._running[item.id]
            self._wakeup.set()

    async def _handle(self, item: Claimed) -> None:
        handler = self.handlers.get(item.platform)
        if handler is None:
            log.error("inbox: no %s channel in this process for event %s; left for another", item.platform, item.id)
            self._abandoned.append((item.id, item.claim))
            return
        if not item.handled and item.claims > self.options.max_claims:
            item = await self._set_aside(item, f"claimed {item.claims} times without an outcome")
        try:
            await handler.process(item)
        except DeliveryFailed as failure:
            await self._delivery_failed(item, failure)
            return
        except Exception as error:
            await self._turn_failed(handler, item, error)
            return
        await self._finished(item)

    async def _turn_failed(self, handler: InboxHandler, item: Claimed, error: Exception) -> None:
        if is_outage(error) or not await _answers(inbox.reachable):
            log.warning("inbox: event %s waits for the database (%s)", item.id, _brief(error))
            await inbox.release([(item.id, item.claim)], self.clock() + timedelta(seconds=1))
            return
        failures = item.failures + 1
        log.error("inbox: event %s of %s failed (%d of %d)", item.id, item.platform, failures,
                  self.options.max_failures, exc_info=error)
        if failures < self.options.max_failures or item.handled:
            await inbox.failed(item, _brief(error), self.clock() + self.options.retry_after(failures))
            return
        try:
            item = await self._set_aside(item, _brief(error))
        except ClaimLost:
            return
        try:
            await handler.process(item)
        except Exception as failure:  # the apology itself could not be sent: sent again later
            await self._delivery_failed(item, failure)
            return
        await self._finished(item)

    async def _set_aside(self, item: Claimed, why: str) -> Claimed:
        log.error("inbox: event %s of %s %s is set aside: %s", item.id, item.platform, item.event_id, why)
        await self.service.set_aside(item, why)
        return replace(item, status=InboxStatus.REPLYING, set_aside=True)

    async def _delivery_failed(self, item: Claimed, failure: Exception) -> None:
        failures = item.delivery_failures + 1
        permanent = isinstance(failure, DeliveryFailed) and failure.permanent
        if permanent or failures >= self.options.max_delivery_failures:
            log.error("inbox: the replies to event %s of %s are given up after %d tr%s: %s", item.id,
                      item.platform, failures, "y" if failures == 1 else "ies", _brief(failure))
            await inbox.finish(item, self.clock(), error=f"not delivered: {_brief(failure)}")
            return
        log.warning("inbox: the replies to event %s not sent (%s); trying again", item.id, _brief(failure))
        await inbox.delivery_failed(item, _brief(failure), self.clock() + self.options.retry_after(failures))


async def _answers(probe: Callable[[], Awaitable[bool]], within: float = 2.0) -> bool:
    """Whether ``probe`` says yes within ``within`` seconds (a hung database says nothing)."""
    task = asyncio.ensure_future(probe())
    done, _ = await asyncio.wait({task}, timeout=within)
    if not done:
        task.add_done_callback(lambda finished: finished.cancelled() or finished.exception())
        return False
    return not task.exception() and bool(task.result())


def _brief(error: BaseException) -> str:
    cause = error.__cause__ or error
    return f"{type(cause).__name__}: {cause}"[:300]
