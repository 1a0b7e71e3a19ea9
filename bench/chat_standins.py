"""Both stand-in platforms in a process of their own, telling the benchmark when each reply arrives.

``python -m bench.chat_standins`` serves the LINE Messaging API and the Telegram Bot API stand-ins of the
tests, plus ``GET /replies``: a WebSocket on which every answer the bot gives is published as one JSON
object — the user, the screen it shows (LINE: the reply's last message with quick replies; Telegram: the
message sent or redrawn with live buttons) and ``at``, the stand-in's ``time.monotonic()`` when the request
came in (LINE's: once read and checked, a fraction of a millisecond later). On Linux that clock is
CLOCK_MONOTONIC, one clock for every process of the machine, so the benchmark can subtract the moment it
posted the webhook from it: the latency is taken where the reply lands, not when the benchmark's own (busy)
event loop gets round to reading it. It prints ``<line port> <telegram port>
<stream port>`` and serves until its stdin closes.

In its own process, so that the platforms' work does not share the measured service's or the load
generator's CPU. Two changes to the tests' stand-ins make them serve webhooks that the benchmark, not they,
sent: a reply token names its user (``<user id>.<nonce>``, still single use) and every user has a profile.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import aiohttp
from aiohttp import web

from api.log_setup import redact
from api.settings import load_settings
from bench.helper_process import helper_process
from tests.support.line_standin import Delivery, LineStandin, _Token
from tests.support.telegram_standin import TOKEN, Call, TelegramStandin
from tests.support.telegram_user import live

Json = dict[str, Any]
LINE_TOKEN = "bench-line-access-token"
SCREEN_METHODS = frozenset({"sendMessage", "editMessageText", "editMessageReplyMarkup", "sendDocument", "sendPhoto"})


class _Tokens(dict[str, _Token]):
    """Reply tokens of webhooks the benchmark wrote: ``<user id>.<nonce>``, valid a minute from first use."""

    def get(self, key: str, default: Any = None) -> Any:
        if key not in self and "." in key:
            self[key] = _Token(key.split(".", 1)[0], time.monotonic() + 60.0)
        return super().get(key, default)


class _Profiles(dict[str, str]):
    """Every user is a friend with a display name, as on LINE."""

    def __contains__(self, key: object) -> bool:
        return True

    def __missing__(self, key: str) -> str:
        return f"ผู้ใช้ {key[-6:]}"


class Publisher:
    """The open ``/replies`` sockets; every answer goes to each, in the order the stand-ins received them."""

    def __init__(self) -> None:
        self.queues: dict[web.WebSocketResponse, asyncio.Queue[str]] = {}

    def publish(self, reply: Json) -> None:
        """Queue one reply event for every listener (the platform's handler does not wait for the socket)."""
        text = json.dumps(reply, ensure_ascii=False)
        for queue in self.queues.values():
            queue.put_nowait(text)

    async def handler(self, request: web.Request) -> web.WebSocketResponse:
        """Stream the replies to one listener until it disconnects."""
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        queue: asyncio.Queue[str] = asyncio.Queue()
        self.queues[socket] = queue

        async def send() -> None:
            while True:
                await socket.send_str(await queue.get())

        sender = asyncio.create_task(send())
        try:
            async for _ in socket:  # the benchmark sends nothing; this ends when it closes
                pass
        finally:
            del self.queues[socket]
            sender.cancel()
            with contextlib.suppress(asyncio.CancelledError, ConnectionError):
                await sender
        return socket


class BenchLine(LineStandin):
    """The LINE stand-in, publishing each delivery with the moment its request arrived."""

    publisher: Publisher

    def _deliver(self, delivery: Delivery) -> None:
        super()._deliver(delivery)
        screens = [message for message in delivery.messages if "quickReply" in message]
        self.publisher.publish({"platform": "line", "user": delivery.user_id, "at": time.monotonic(),
                                "via": delivery.via, "messages": len(delivery.messages),
                                "screen": screens[-1] if screens else None})


class BenchTelegram(TelegramStandin):
    """The Telegram stand-in, publishing each message sent or redrawn with live buttons (a question shown)."""

    def __init__(self, publisher: Publisher) -> None:
        super().__init__()
        self.publisher = publisher

    async def _record(self, call: Call) -> None:
        await super()._record(call)
        if call.method not in SCREEN_METHODS or call.status != 200 or call.message_id is None:
            return
        chat_id = int(call.params["chat_id"])
        message = self.chats.get(chat_id, {}).get(call.message_id)
        if message is not None and live(message):
            self.publisher.publish({"platform": "telegram", "user": str(chat_id), "at": call.at,
                                    "screen": message})


async def _serve() -> None:
    stop = asyncio.Event()
    asyncio.get_running_loop().add_reader(sys.stdin.fileno(), stop.set)  # the parent closes our stdin when done
    publisher = Publisher()
    line = BenchLine(LINE_TOKEN)
    line.publisher = publisher
    line._tokens = _Tokens()
    line.profiles = _Profiles()
    line_runner = web.AppRunner(line.app(), access_log=None)
    await line_runner.setup()
    await web.TCPSite(line_runner, "127.0.0.1", 0).start()
    telegram = BenchTelegram(publisher)
    await telegram.start()
    stream = web.Application()
    stream.router.add_get("/replies", publisher.handler)
    stream_runner = web.AppRunner(stream, access_log=None)
    await stream_runner.setup()
    await web.TCPSite(stream_runner, "127.0.0.1", 0).start()
    print(line_runner.addresses[0][1], telegram.port, stream_runner.addresses[0][1], flush=True)
    await stop.wait()
    for socket in list(publisher.queues):
        await socket.close()
    await stream_runner.cleanup()
    await telegram.close()
    await line_runner.cleanup()


@dataclass(frozen=True, slots=True)
class Reply:
    """One answer of the bot as the platform received it."""

    platform: str
    user: str
    at: float  # time.monotonic() in the stand-in process (CLOCK_MONOTONIC: comparable across processes)
    screen: Json | None


@dataclass
class ChatStandins:
    """The running stand-ins: where their APIs are, and the stream of replies."""

    line_url: str
    telegram_url: str
    telegram_token: str
    line_token: str
    socket: aiohttp.ClientWebSocketResponse

    async def replies(self) -> AsyncIterator[Reply]:
        """Every reply, in the order the stand-ins received them."""
        async for message in self.socket:
            if message.type is not aiohttp.WSMsgType.TEXT:
                break
            data = json.loads(message.data)
            yield Reply(data["platform"], data["user"], float(data["at"]), data.get("screen"))


@asynccontextmanager
async def chat_standins() -> AsyncIterator[ChatStandins]:
    """Start the stand-in process, connect to its reply stream, and stop it after the block."""
    async with helper_process("bench.chat_standins") as (line_port, telegram_port, stream_port), \
            aiohttp.ClientSession() as session, \
            session.ws_connect(f"http://127.0.0.1:{stream_port}/replies", max_msg_size=0) as socket:
        yield ChatStandins(f"http://127.0.0.1:{line_port}", f"http://127.0.0.1:{telegram_port}/bot",
                           TOKEN, LINE_TOKEN, socket)


if __name__ == "__main__":
    redact(load_settings())  # the log filter of every entry point (levels left as they are)
    asyncio.run(_serve())
