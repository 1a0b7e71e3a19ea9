"""Word of a long answer's progress (an import of 500 projects), for a channel that can say it meanwhile.

A channel that can send while the answer is computed (Telegram) sets :data:`PROGRESS` around it; the answer
then says where it is through :class:`Progress`, each message sent as its own task so the work never waits on
the network. Without a channel's word (LINE replies once, the terminal prints at the end) nothing is said.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from contextvars import ContextVar

Say = Callable[[str], Awaitable[None]]
PROGRESS: ContextVar[Say | None] = ContextVar("tidtam_progress", default=None)


class Progress:
    """Says ``text(done, total)`` every ``every`` items and at the end, in order."""

    def __init__(self, say: Say, text: Callable[[int, int], str], every: int) -> None:
        self.say, self.text, self.every = say, text, every
        self.sent: list[asyncio.Task[None]] = []

    def __call__(self, done: int, total: int) -> None:
        if done % self.every == 0 or done == total:
            self.sent.append(asyncio.ensure_future(self._after(self.sent[-1] if self.sent else None,
                                                               self.text(done, total))))

    async def _after(self, previous: asyncio.Task[None] | None, text: str) -> None:
        if previous is not None:
            await asyncio.wait({previous})
        await self.say(text)

    async def settled(self) -> None:
        """Wait until every word is said (a failed one is only logged by its channel), before the outcome."""
        if self.sent:
            await asyncio.wait(self.sent)
