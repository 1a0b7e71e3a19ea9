"""A helper process of a benchmark (stand-in platforms, the bare handler): started with ``python -m``, it prints
its ports on its first line and stops when its stdin closes, so it never outlives the benchmark."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


@asynccontextmanager
async def helper_process(module: str, *args: str) -> AsyncIterator[list[str]]:
    """Run ``python -m module args``; yield the words of its first line; stop it after the block."""
    process = await asyncio.create_subprocess_exec(sys.executable, "-m", module, *args,
                                                   stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)
    try:
        assert process.stdout is not None
        yield (await process.stdout.readline()).decode().split()
    finally:
        if process.stdin is not None:
            process.stdin.close()
        try:
            await asyncio.wait_for(process.wait(), 10)
        except TimeoutError:
            process.kill()
            await process.wait()
