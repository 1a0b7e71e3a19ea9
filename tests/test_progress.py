"""Words of progress go out in order, every so many items and at the end, and the answer waits for them."""

from __future__ import annotations

import asyncio

from conversations.service.progress import Progress


async def test_progress_is_said_in_order_every_so_often_and_at_the_end() -> None:
    said: list[str] = []

    async def say(text: str) -> None:
        await asyncio.sleep(0.01 if text.startswith("100") else 0)  # the first is slow: the others still wait
        said.append(text)

    progress = Progress(say, lambda done, total: f"{done}/{total}", 100)
    for done in range(1, 251):
        progress(done, 250)
    await progress.settled()
    assert said == ["100/250", "200/250", "250/250"]
