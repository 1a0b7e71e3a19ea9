"""Storing received events in batches: every webhook waiting at one moment is stored by one statement and commit.

A burst (every office opening the bot at nine) would otherwise queue one insert and one commit per webhook behind
each other — on SQLite, one connection and one disk flush each — and the last would be answered 503 for nothing
but the queue. A webhook waits at most ``within`` seconds for its batch to commit; a batch still running then is
left to finish (the platform delivers again, and a copy already stored is dropped as a duplicate).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence

from conversations.service import inbox
from conversations.service.inbox import Received
from models.clock import Clock

log = logging.getLogger(__name__)
BATCH_EVENTS = 500  # events of one statement (six parameters each, within every driver's limit)


class ReceiveBatcher:
    """Stores what :meth:`store` is given, together with whatever else is waiting, in as few commits as it can."""

    def __init__(self, clock: Clock, on_stored: Callable[[Sequence[Received]], None]) -> None:
        """``on_stored`` is told of every batch once it is committed (the events offered: a duplicate among them
        was dropped)."""
        self.clock = clock
        self.on_stored = on_stored
        self._waiting: list[tuple[Sequence[Received], asyncio.Future[None]]] = []
        self._ready = asyncio.Event()
        self._flusher: asyncio.Task[None] | None = None

    @property
    def busy(self) -> bool:
        """Whether a batch is being stored or waiting to be."""
        return bool(self._waiting) or (self._flusher is not None and self._ready.is_set())

    async def store(self, events: Sequence[Received], within: float) -> bool:
        """True once the events are stored; False when they could not be within ``within`` seconds.

        Raises:
            Exception: storing failed (the database refused or could not be reached).
        """
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush(), name="inbox-receive")
        stored: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.append((events, stored))
        self._ready.set()
        done, _ = await asyncio.wait({stored}, timeout=within)
        if not done:
            stored.add_done_callback(lambda future: future.cancelled() or future.exception())
            return False
        stored.result()
        return True

    async def close(self) -> None:
        """Store nothing more (those still waiting are told it failed)."""
        if self._flusher is not None:
            self._flusher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._flusher
        for _, stored in self._waiting:
            if not stored.done():
                stored.set_exception(ConnectionError("the service is stopping"))
        self._waiting.clear()

    async def _flush(self) -> None:
        while True:
            await self._ready.wait()
            batch, self._waiting = self._waiting, []
            events = [event for part, _ in batch for event in part]
            try:
                for start in range(0, len(events), BATCH_EVENTS):
                    await inbox.receive(events[start:start + BATCH_EVENTS], self.clock())
            except Exception as error:  # each webhook of the batch answers 503; the platforms deliver again
                for _, stored in batch:
                    if not stored.done():
                        stored.set_exception(error)
            else:
                for _, stored in batch:
                    if not stored.done():
                        stored.set_result(None)
                self.on_stored(events)
            if not self._waiting:
                self._ready.clear()
