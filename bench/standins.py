"""The stand-in platforms in a process of their own, so that they do not share the benchmark's CPU.

``python -m bench.standins telegram|line`` prints ``<api port> <counts port>`` and serves until stdin closes;
``GET /counts`` on the second port answers how many messages reached each recipient.
"""

from __future__ import annotations

import asyncio
import sys
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass

import aiohttp
from aiohttp import web

from api.log_setup import redact
from api.settings import load_settings
from bench.helper_process import helper_process
from tests.support.line_standin import line_standin
from tests.support.telegram_standin import TelegramStandin

LINE_TOKEN = "bench-token"


async def _counts_server(counts: Callable[[], dict[str, int]]) -> web.AppRunner:
    async def handler(request: web.Request) -> web.Response:
        return web.json_response(counts())

    app = web.Application()
    app.router.add_get("/counts", handler)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    return runner


async def _serve(kind: str) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_reader(sys.stdin.fileno(), stop.set)  # the parent closes our stdin when done
    if kind == "telegram":
        standin = TelegramStandin()
        await standin.start()
        runner = await _counts_server(lambda: dict(Counter(str(call.params.get("chat_id"))
                                                           for call in standin.called("sendMessage"))))
        print(standin.port, runner.addresses[0][1], standin.token, flush=True)
        await stop.wait()
        await standin.close()
    else:
        async with line_standin(LINE_TOKEN) as line:
            runner = await _counts_server(lambda: {**dict(Counter(d.user_id for d in line.deliveries)),
                                                   "__requests__": len(line.calls_of("push"))
                                                   + len(line.calls_of("multicast"))})
            print(line.url.rsplit(":", 1)[1], runner.addresses[0][1], LINE_TOKEN, flush=True)
            await stop.wait()
    await runner.cleanup()


@dataclass(frozen=True, slots=True)
class Standin:
    """A running stand-in: where its API is, and how to read what it received."""

    base_url: str
    counts_url: str
    token: str

    async def counts(self) -> dict[str, int]:
        """Messages received per recipient (LINE adds ``__requests__``)."""
        async with aiohttp.ClientSession() as session, session.get(self.counts_url) as response:
            return dict(await response.json())


@asynccontextmanager
async def standin_process(kind: str) -> AsyncIterator[Standin]:
    """Start the stand-in process and stop it after the block."""
    async with helper_process("bench.standins", kind) as (api_port, counts_port, token):
        base = f"http://127.0.0.1:{api_port}" + ("/bot" if kind == "telegram" else "")
        yield Standin(base, f"http://127.0.0.1:{counts_port}/counts", token)


if __name__ == "__main__":
    redact(load_settings())  # the log filter of every entry point (levels left as they are)
    asyncio.run(_serve(sys.argv[1]))
