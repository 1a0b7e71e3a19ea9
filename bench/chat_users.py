"""Simulated people for the benchmarks: they post webhooks the way LINE and Telegram do and wait for the answer.

A LINE person posts a signed webhook event (a text message or a postback) to the service; a Telegram person
posts an update with the webhook's secret header. Either way the service answers 200 at once and runs the
turn afterwards, so the turn is over when the bot's answer reaches the stand-in platform, which publishes
it (:mod:`bench.chat_standins`). :class:`Router` hands each published answer to the person waiting for it.
A turn's latency is the stand-in's arrival time minus the moment the webhook was posted (one monotonic
clock for both processes).

Against the bare baseline (:mod:`bench.bare`) nothing answers in a chat: a turn is the POST and its 200.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import hmac
import itertools
import json
import time
import uuid
from collections.abc import Sequence
from typing import Any

import aiohttp

from bench.chat_standins import ChatStandins, Reply

Json = dict[str, Any]
TURN_TIMEOUT = 60.0  # seconds a turn may take before the person gives up (a lost answer, a stuck service)
BOT_ID = "U0000000000000000000000000000b0t"
ELLIPSIS = "…"
TICKS = ("☑ ", "☐ ")
_update_ids = itertools.count(1)
_message_ids = itertools.count(1)
_query_ids = itertools.count(1)


class TurnFailed(Exception):
    """The webhook was refused, no answer came in time, or the screen lacked the button to press."""


class Router:
    """Reads the stand-ins' stream of answers and completes the turn of the person each is for."""

    def __init__(self, standins: ChatStandins) -> None:
        self.standins = standins
        self.waiting: dict[tuple[str, str], asyncio.Future[Reply]] = {}
        self.strays = 0  # answers nobody was waiting for (a turn answered twice, or after its person gave up)
        self._task: asyncio.Task[None] | None = None

    def expect(self, platform: str, user: str) -> asyncio.Future[Reply]:
        """The next answer to this person."""
        future: asyncio.Future[Reply] = asyncio.get_running_loop().create_future()
        self.waiting[(platform, user)] = future
        return future

    def forget(self, platform: str, user: str) -> None:
        """The person stopped waiting."""
        self.waiting.pop((platform, user), None)

    async def __aenter__(self) -> Router:
        self._task = asyncio.create_task(self._route())
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _route(self) -> None:
        async for reply in self.standins.replies():
            future = self.waiting.pop((reply.platform, reply.user), None)
            if future is None or future.done():
                self.strays += 1
            else:
                future.set_result(reply)


class Person:
    """One person in a chat with the bot; ``latencies`` holds the seconds of each turn taken."""

    platform = ""

    def __init__(self, session: aiohttp.ClientSession, url: str, router: Router | None, user: str) -> None:
        self.session = session
        self.url = url
        self.router = router  # None against the bare baseline: the 200 ends the turn
        self.user = user
        self.screen: Json | None = None
        self.latencies: list[float] = []

    async def say(self, text: str) -> None:
        """Type a message."""
        await self._turn(self.text_body(text))

    async def tap(self, label: str) -> None:
        """Press the button on screen whose label is ``label`` (or, alone, contains it)."""
        await self._turn(self.press_body(label))

    def text_body(self, text: str) -> bytes:
        """The webhook body of a typed message."""
        raise NotImplementedError

    def press_body(self, label: str) -> bytes:
        """The webhook body of a button press."""
        raise NotImplementedError

    def headers(self, body: bytes) -> dict[str, str]:
        """What authenticates the webhook."""
        raise NotImplementedError

    async def _turn(self, body: bytes) -> None:
        future = self.router.expect(self.platform, self.user) if self.router is not None else None
        posted = time.monotonic()
        try:
            async with self.session.post(self.url, data=body, headers=self.headers(body)) as response:
                await response.read()
                if response.status != 200:
                    raise TurnFailed(f"{self.platform} webhook answered {response.status}")
            if future is None:
                self.latencies.append(time.monotonic() - posted)
                return
            try:
                reply = await asyncio.wait_for(future, TURN_TIMEOUT)
            except TimeoutError:
                raise TurnFailed(f"no answer to {self.platform} {self.user} in {TURN_TIMEOUT:.0f} s") from None
        finally:
            if future is not None and not future.done():
                assert self.router is not None
                self.router.forget(self.platform, self.user)
        self.latencies.append(reply.at - posted)
        if reply.screen is not None:
            self.screen = reply.screen


def _matching(labels: Sequence[tuple[str, Any]], wanted: str) -> Any:
    """The value of the button labelled ``wanted``: exactly, else the one label containing it."""
    exact = [value for label, value in labels if label == wanted]
    if exact:
        return exact[0]
    found = [value for label, value in labels if wanted in label.rstrip(ELLIPSIS)]
    if len(found) != 1:
        raise TurnFailed(f"{len(found)} buttons {wanted!r} among {[label for label, _ in labels]}")
    return found[0]


def _untick(label: str) -> str:
    return label[len(TICKS[0]):] if label.startswith(TICKS) else label


class LinePerson(Person):
    """A LINE user: signed webhook events, quick-reply postbacks."""

    platform = "line"

    def __init__(self, session: aiohttp.ClientSession, url: str, router: Router | None, user: str,
                 secret: str) -> None:
        super().__init__(session, url, router, user)
        self.secret = secret.encode()

    def _event(self, kind: str, **fields: Any) -> bytes:
        event = {"type": kind, "mode": "active", "timestamp": int(time.time() * 1000),
                 "source": {"type": "user", "userId": self.user}, "webhookEventId": uuid.uuid4().hex[:26].upper(),
                 "deliveryContext": {"isRedelivery": False}, "replyToken": f"{self.user}.{uuid.uuid4().hex}",
                 **fields}
        return json.dumps({"destination": BOT_ID, "events": [event]}, ensure_ascii=False).encode()

    def text_body(self, text: str) -> bytes:
        return self._event("message", message={"type": "text", "id": str(next(_message_ids)),
                                               "quoteToken": uuid.uuid4().hex, "text": text})

    def press_body(self, label: str) -> bytes:
        items = (self.screen or {}).get("quickReply", {}).get("items", [])
        actions = [(_untick(item["action"]["label"]), item["action"]) for item in items
                   if item["action"]["type"] == "postback"]
        action = _matching(actions, label)
        return self._event("postback", postback={"data": action["data"]})

    def headers(self, body: bytes) -> dict[str, str]:
        signature = base64.b64encode(hmac.new(self.secret, body, hashlib.sha256).digest()).decode()
        return {"Content-Type": "application/json; charset=utf-8", "X-Line-Signature": signature}


class TelegramPerson(Person):
    """A Telegram user in a private chat: updates with the webhook secret, inline-keyboard callbacks."""

    platform = "telegram"

    def __init__(self, session: aiohttp.ClientSession, url: str, router: Router | None, user: str,
                 secret: str) -> None:
        super().__init__(session, url, router, user)
        self.secret = secret
        self.sender: Json = {"id": int(user), "is_bot": False, "first_name": f"ผู้ใช้ {user[-4:]}",
                             "language_code": "th"}

    def text_body(self, text: str) -> bytes:
        message = {"message_id": next(_message_ids), "date": int(time.time()),
                   "chat": {"id": int(self.user), "type": "private", "first_name": self.sender["first_name"]},
                   "from": self.sender, "text": text}
        return json.dumps({"update_id": next(_update_ids), "message": message}, ensure_ascii=False).encode()

    def press_body(self, label: str) -> bytes:
        rows = (self.screen or {}).get("reply_markup", {}).get("inline_keyboard", [])
        buttons = [(_untick(button["text"]), button.get("callback_data", "")) for row in rows for button in row
                   if button.get("callback_data") and not button["callback_data"].startswith("!")]
        data = _matching(buttons, label)
        query = {"id": f"q{next(_query_ids)}", "from": self.sender, "message": self.screen,
                 "chat_instance": f"c{self.user}", "data": data}
        return json.dumps({"update_id": next(_update_ids), "callback_query": query}, ensure_ascii=False).encode()

    def headers(self, body: bytes) -> dict[str, str]:
        return {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": self.secret}
