"""One queue per chat, for every channel: a user's events run one after another in arrival order, different
users side by side, at most ``concurrency`` at once.

The service already serialises turns per account, but only a queue keeps the *replies* in order too (a
second message must not overtake the first while the first's answer is being sent). The limit keeps a burst
(every office opening the bot at 9:00) from taking more database connections than the pool has. Every worker
task is tracked, so that shutdown can let the queued work finish and then stop what is left. A webhook waits
briefly on its items' receipts, so that it answers the platform only once their turns are stored.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Hashable, Sequence
from typing import Generic, TypeVar

log = logging.getLogger(__name__)
K = TypeVar("K", bound=Hashable)
T = TypeVar("T")
Receipt = asyncio.Future[bool]  # set once an item's turn was stored (True) or rolled back (False)


def settle(receipt: Receipt | None, stored: bool) -> None:
    """Say whether an item's turn was stored; only the first word counts (a later failure is the sending's)."""
    if receipt is not None and not receipt.done():
        receipt.set_result(stored)


async def all_stored(receipts: Sequence[Receipt], within: float) -> bool | None:
    """Whether every turn was stored: False as soon as one was rolled back, None when some are still running
    after ``within`` seconds (a platform must be answered in time; those turns go on)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    pending = set(receipts)
    while pending and loop.time() < deadline:
        done, pending = await asyncio.wait(pending, timeout=deadline - loop.time(),
                                           return_when=asyncio.FIRST_COMPLETED)
        if not all(receipt.result() for receipt in done):
            return False
    return None if pending else True


class ChatQueues(Generic[K, T]):
    """Runs ``work(item)`` for each submitted item, in order per key; a failing item does not stop the rest."""

    def __init__(self, work: Callable[[T], Awaitable[None]], *, concurrency: int = 64) -> None:
        self._work = work
        self._slots = asyncio.Semaphore(concurrency)
        self._pending: dict[K, deque[T]] = {}
        self._workers: dict[K, asyncio.Task[None]] = {}
        self._outstanding = 0
        self._idle = asyncio.Event()
        self._idle.set()
        self.closing = asyncio.Event()  # set when shutdown begins

    @property
    def outstanding(self) -> int:
        """Items submitted and not finished yet."""
        return self._outstanding

    @property
    def closed(self) -> bool:
        """Whether shutdown has begun (new items are refused)."""
        return self.closing.is_set()

    def submit(self, key: K, item: T) -> bool:
        """Queue an item behind the key's earlier ones; False once the queues are closed."""
        if self.closing.is_set():
            return False
        self._pending.setdefault(key, deque()).append(item)
        self._outstanding += 1
        self._idle.clear()
        if key not in self._workers:
            self._workers[key] = asyncio.create_task(self._drain(key), name=f"chat-{key}")
        return True

    async def _drain(self, key: K) -> None:
        queue = self._pending[key]
        try:
            while queue:
                item = queue.popleft()
                try:
                    async with self._slots:
                        await self._work(item)
                except Exception:  # the work logs its own failures; this is the last line of defence
                    log.exception("work for chat %s failed", key)
                finally:
                    self._finished()
        finally:
            del self._workers[key]
            if not queue:
                del self._pending[key]

    def _finished(self) -> None:
        self._outstanding -= 1
        if self._outstanding == 0:
            self._idle.set()

    async def join(self) -> None:
        """Wait until every submitted item has been processed."""
        await self._idle.wait()

    async def close(self, grace: float) -> None:
        """Refuse new items, give queued ones ``grace`` seconds to finish, then cancel the rest."""
        self.closing.set()
        try:
            await asyncio.wait_for(self._idle.wait(), grace)
        except TimeoutError:
            log.warning("%d chat events still queued or running at shutdown are cancelled", self._outstanding)
        workers = list(self._workers.values())
        for worker in workers:
            worker.cancel()
        for worker in workers:
            with contextlib.suppress(asyncio.CancelledError):
                await worker
