"""What becomes of one claimed inbox event: handled and finished, given back, tried again, set aside, or given up.

- handled, replies sent: finished, with the channel's own write about them in the same commit (if the database
  cannot be told at once, both are written first thing when it answers again, so that the replies do not go out
  a second time);
- the database could not be reached (an outage): given back untouched, not counted, and tried again when it
  answers, however long that takes — an event once stored is never dropped;
- a turn that failed otherwise (a bug, an input the database refuses): tried again after a pause, and on the
  ``max_failures``-th failure set aside — an apology is stored as its only reply and sent, and the chat goes on;
- replies that could not be sent (whatever failed once the turn was stored): sent again after a pause, and given
  up after ``max_delivery_failures``, or at once when the platform refused them for good.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Protocol

from bot.inbox_finish import Alongside, finish
from conversations.service import inbox
from conversations.service.inbox import Claimed
from conversations.service.turns import ClaimLost, ConversationService
from models.clock import Clock
from models.db import is_outage
from models.enums import InboxStatus, Platform

log = logging.getLogger(__name__)
OUTAGE_PAUSE = timedelta(seconds=1)
PROBE_WITHIN = 2.0  # seconds the database gets to answer "are you there?" after a failure


class DeliveryFailed(Exception):
    """A stored turn's replies could not be sent: for now (the platform was unreachable or busy), or for good
    (``permanent``: it refused them, and sending them again would not help)."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


class InboxHandler(Protocol):
    """A channel's part: run the event's turn (unless :attr:`Claimed.handled`) and send its replies."""

    async def process(self, item: Claimed) -> Alongside | None:
        """Handle one claimed event; raise :class:`DeliveryFailed` when only the sending failed. What it returns is
        written with the record that the event is finished, in the same commit (:mod:`bot.inbox_finish`)."""
        ...


@dataclass(frozen=True, slots=True)
class WorkerOptions:
    """How the worker paces itself (the defaults suit production; tests shorten the lease and the pauses)."""

    concurrency: int = 32  # events handled at once, over all chats
    lease: float = 30.0  # seconds a claim lasts unless renewed (a third of it between renewals)
    poll: float = 1.0  # seconds between looks for work stored by another process, or due again
    ack_within: float = 1.5  # seconds a webhook waits for its events to be stored
    max_failures: int = 3  # failed turns before an event is set aside
    max_claims: int = 10  # takeovers (its process died on it) before an event is set aside
    max_delivery_failures: int = 4  # failed sendings before a turn's replies are given up
    shutdown_grace: float = 20.0  # seconds the running events get to finish when the service stops
    first_retry: float = 2.0  # seconds before the first retry of a failed turn or sending; then 4 times as long

    def retry_after(self, failures: int) -> timedelta:
        """The pause before another try: 2 s, 8 s, 32 s … at most 5 minutes (the chat's next events wait, so
        few tries are made: a sending outlasted the sender's own retries already)."""
        return timedelta(seconds=min(self.first_retry * 4 ** (failures - 1), 300.0))


class Outcomes:
    """Handles one event through its channel and records what became of it, under its claim."""

    def __init__(self, service: ConversationService, handlers: Mapping[Platform, InboxHandler], clock: Clock,
                 options: Callable[[], WorkerOptions]) -> None:
        self.service = service
        self.handlers = handlers
        self.clock = clock
        self.options = options
        self._abandoned: list[tuple[int, str]] = []  # claims to give back once the database answers again
        self._unrecorded: dict[int, tuple[Claimed, Alongside | None]] = {}  # replies sent, "finished" not yet written

    @property
    def unrecorded_ids(self) -> list[int]:
        """Events answered but not yet recorded as finished: not to be claimed again meanwhile."""
        return list(self._unrecorded)

    @property
    def unrecorded_claims(self) -> list[tuple[int, str]]:
        """Their claims, which must be renewed until recorded."""
        return [item.held for item, _ in self._unrecorded.values()]

    def abandon(self, item: Claimed) -> None:
        """The worker stopped working on it without an outcome: its claim is given back when possible."""
        if item.id not in self._unrecorded:
            self._abandoned.append(item.held)

    async def settle(self) -> None:
        """Record what could not be recorded before: answered events finished, abandoned claims given back."""
        for item, alongside in list(self._unrecorded.values()):
            await finish(item, self.clock(), alongside)
            del self._unrecorded[item.id]
        if self._abandoned:
            await inbox.release(self._abandoned, self.clock())
            self._abandoned.clear()

    async def handle(self, item: Claimed) -> bool:
        """Have the channel handle the event, then record the outcome (raises only when that record fails). True
        when the event was recorded finished; False otherwise: left for later (tried again, given back, its record
        waiting for the database) and also some outcomes that were recorded (set aside and apologised for,
        delivery given up, the claim lost), where False only costs the worker one claim that may find nothing."""
        handler = self.handlers.get(item.platform)
        if handler is None:
            log.error("inbox: no %s channel in this process for event %s; left for another", item.platform, item.id)
            await inbox.release([item.held], self.clock() + timedelta(seconds=self.options().poll * 5))
            return False
        if not item.handled and item.claims >= self.options().max_claims:
            try:
                item = await self._set_aside(item, f"taken over {item.claims} times: its processes kept dying")
            except ClaimLost:
                return False
        try:
            alongside = await handler.process(item)
        except Exception as error:
            await self._failed(handler, item, error)
            return False
        return await self._finished(item, alongside)

    @property
    def unsettled(self) -> bool:
        """Whether something waits for :meth:`settle`."""
        return bool(self._unrecorded or self._abandoned)

    async def _finished(self, item: Claimed, alongside: Alongside | None) -> bool:
        try:
            return await finish(item, self.clock(), alongside)
        except Exception as error:
            log.warning("inbox: event %s was answered; recording it waits for the database (%s)", item.id,
                        brief(error))
            self._unrecorded[item.id] = (item, alongside)
            return False

    async def _failed(self, handler: InboxHandler, item: Claimed, error: Exception) -> None:
        options = self.options()
        delivery = isinstance(error, DeliveryFailed)
        if (not delivery and is_outage(error)) or not await _answers(inbox.reachable):
            log.warning("inbox: event %s waits for the database (%s)", item.id, brief(error))
            await inbox.release([item.held], self.clock() + OUTAGE_PAUSE)
            return
        if delivery or item.handled or await inbox.status_of(item) is InboxStatus.REPLYING:
            await self._delivery_failed(item, error)  # its turn is stored: only sending is left to do
            return
        failures = item.failures + 1
        log.error("inbox: event %s of %s failed (%d of %d)", item.id, item.platform, failures, options.max_failures,
                  exc_info=error)
        if failures < options.max_failures:
            await inbox.failed(item, brief(error), self.clock() + options.retry_after(failures))
            return
        try:
            item = await self._set_aside(item, brief(error))
        except ClaimLost:
            await inbox.release([item.held], self.clock())
            return
        try:
            alongside = await handler.process(item)
        except Exception as failure:  # the apology itself could not be sent: sent again later
            await self._delivery_failed(item, failure)
            return
        await self._finished(item, alongside)

    async def _set_aside(self, item: Claimed, why: str) -> Claimed:
        log.error("inbox: event %s of %s %s is set aside: %s", item.id, item.platform, item.event_id, why)
        await self.service.set_aside(item, why)
        return replace(item, status=InboxStatus.REPLYING, set_aside=True)

    async def _delivery_failed(self, item: Claimed, failure: Exception) -> None:
        failures = item.delivery_failures + 1
        permanent = isinstance(failure, DeliveryFailed) and failure.permanent
        if permanent or failures >= self.options().max_delivery_failures:
            log.error("inbox: the replies to event %s of %s are given up after %d tr%s: %s", item.id,
                      item.platform, failures, "y" if failures == 1 else "ies", brief(failure))
            await inbox.finish(item, self.clock(), error=f"not delivered: {brief(failure)}")
            return
        log.warning("inbox: the replies to event %s not sent (%s); trying again", item.id, brief(failure))
        await inbox.delivery_failed(item, brief(failure), self.clock() + self.options().retry_after(failures))


async def _answers(probe: Callable[[], Awaitable[bool]], within: float = PROBE_WITHIN) -> bool:
    """Whether ``probe`` says yes within ``within`` seconds (a hung database says nothing)."""
    task = asyncio.ensure_future(probe())
    done, _ = await asyncio.wait({task}, timeout=within)
    if not done:
        task.add_done_callback(lambda finished: finished.cancelled() or finished.exception())
        return False
    return not task.exception() and bool(task.result())


def brief(error: BaseException) -> str:
    """An error in one line for logs and the inbox row: its cause's type and message, cut short."""
    cause = error.__cause__ or error
    return f"{type(cause).__name__}: {cause}"[:300]
