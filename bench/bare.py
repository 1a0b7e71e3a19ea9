"""The baseline of the turn benchmark: a bare aiohttp server that only checks that a webhook is genuine.

``python -m bench.bare <line channel secret> <telegram webhook secret>`` serves ``POST /webhook/line``
(the ``X-Line-Signature``: base64 of the body's HMAC-SHA256 with the channel secret) and ``POST
/webhook/telegram`` (the ``X-Telegram-Bot-Api-Secret-Token`` header) on 127.0.0.1, answers 200 when the
check passes, prints its port and serves until its stdin closes. It runs in its own process, as the service
does, so that the two are measured the same way: what the service does beyond this is the cost of a turn.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import sys

from aiohttp import web

from api.log_setup import redact
from api.settings import load_settings


def app(line_secret: str, telegram_secret: str) -> web.Application:
    """The two webhook routes, each checking its platform's signature and nothing else."""
    key = line_secret.encode()
    expected = telegram_secret.encode()

    async def line(request: web.Request) -> web.Response:
        body = await request.read()
        signature = base64.b64encode(hmac.new(key, body, hashlib.sha256).digest())
        if not hmac.compare_digest(signature, request.headers.get("X-Line-Signature", "").encode()):
            return web.Response(status=400)
        return web.Response(status=200)

    async def telegram(request: web.Request) -> web.Response:
        await request.read()
        if not hmac.compare_digest(request.headers.get("X-Telegram-Bot-Api-Secret-Token", "").encode(), expected):
            return web.Response(status=403)
        return web.Response(status=200)

    application = web.Application()
    application.router.add_post("/webhook/line", line)
    application.router.add_post("/webhook/telegram", telegram)
    return application


async def _serve(line_secret: str, telegram_secret: str) -> None:
    stop = asyncio.Event()
    asyncio.get_running_loop().add_reader(sys.stdin.fileno(), stop.set)
    runner = web.AppRunner(app(line_secret, telegram_secret), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    print(runner.addresses[0][1], flush=True)
    await stop.wait()
    await runner.cleanup()


if __name__ == "__main__":
    redact(load_settings())  # the log filter of every entry point (levels left as they are)
    asyncio.run(_serve(sys.argv[1], sys.argv[2]))
