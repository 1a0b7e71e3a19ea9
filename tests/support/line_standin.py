"""A stand-in LINE Messaging API on 127.0.0.1, for the real line-bot-sdk client to talk to.

It serves what Tidtam uses — reply, push, multicast, the loading animation, profiles and content
downloads (LINE serves content from another host; the SDK sends everything to ``Configuration.host`` when
one is set, so this one server answers both) — and behaves like LINE where it matters: reply tokens are
single use and expire, a push or multicast whose ``X-Line-Retry-Key`` was already accepted is answered 409
and not delivered again, messages are checked against LINE's limits (400 with LINE's error shape; the rules
are :mod:`tests.support.line_standin_rules`), and faults (429, 500, "accepted but the answer was lost") can be
injected. It can also refuse, with a 400 as LINE does for a message it will not take, every request carrying a
message a test picks (a Flex message, say). Every call is recorded.

It also serves the rich menu API (see :mod:`tests.support.line_standin_menus`): create, list, delete, upload and
download an image, set the default, link to one user or to many. Those requests are recorded apart, in
``menu_calls``, so that a test of messages reads the same calls as before menus existed.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import itertools
import json
import re
import time
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.support.line_standin_menus import RichMenus, add_menu_routes
from tests.support.line_standin_rules import LIMITS, message_problems

Json = dict[str, Any]
SPENT_TOKEN = "Invalid reply token"
REFUSED = "The request body has 1 error(s)"  # LINE's message for a message object it will not take
UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def sign(secret: str, body: bytes) -> str:
    """The ``X-Line-Signature`` LINE puts on a webhook body: base64 of HMAC-SHA256 with the channel secret."""
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


@dataclass
class Call:
    """One request the stand-in received, and its answer."""

    kind: str
    path: str
    headers: dict[str, str]
    body: Any
    status: int = 200
    error: str = ""


@dataclass
class Delivery:
    """Messages that reached a user's chat."""

    user_id: str
    via: str  # "reply", "push" or "multicast"
    messages: list[Json]
    retry_key: str | None = None


@dataclass
class Fault:
    """An injected failure for the next ``times`` requests of a kind."""

    kind: str
    status: int
    times: int = 1
    after_accepting: bool = False  # LINE accepted (and delivered) the request, but the answer was lost
    retry_after: str | None = "0"  # so that the client's retries need not wait in tests


@dataclass
class _Token:
    user_id: str
    expires: float
    used: bool = False


@dataclass
class LineStandin:
    """The fake Messaging API's state; ``app()`` serves it."""

    access_token: str
    token_lifetime: float = 60.0
    calls: list[Call] = field(default_factory=list)
    deliveries: list[Delivery] = field(default_factory=list)
    profiles: dict[str, str] = field(default_factory=dict)
    contents: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    faults: list[Fault] = field(default_factory=list)
    refuses: Callable[[Json], bool] | None = None  # a message that makes any reply, push or multicast a 400
    url: str = ""
    _tokens: dict[str, _Token] = field(default_factory=dict)
    _accepted: dict[str, str] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _arrived: asyncio.Event = field(default_factory=asyncio.Event)
    held: set[str] = field(default_factory=set)  # kinds of request kept waiting until release(), then refused
    hold_after_accepting: bool = False  # hold them after doing the work (a push delivered, its answer lost)
    holding: asyncio.Event = field(default_factory=asyncio.Event)  # set once a held request is waiting
    _released: asyncio.Event = field(default_factory=asyncio.Event)
    menus: RichMenus = field(default_factory=RichMenus)
    menu_calls: list[Call] = field(default_factory=list)

    def issue_reply_token(self, user_id: str) -> str:
        """A fresh reply token for an event of ``user_id``, as LINE puts one in a webhook event."""
        token = uuid.uuid4().hex
        self._tokens[token] = _Token(user_id, time.monotonic() + self.token_lifetime)
        return token

    def expire_reply_tokens(self) -> None:
        """Every reply token issued so far expires now (as if the turn took longer than a minute)."""
        for token in self._tokens.values():
            token.expires = 0.0

    def refuse(self, message: Callable[[Json], bool] | None) -> None:
        """From now on answer 400 to every reply, push or multicast carrying a message for which ``message``
        holds, delivering none of it (and leaving a reply token unspent), as LINE does; None stops refusing."""
        self.refuses = message

    @property
    def refused(self) -> list[Call]:
        """Requests refused because they carried a message :meth:`refuse` picked."""
        return [call for call in self.calls if call.status == 400 and call.error == REFUSED]

    def hold(self, *kinds: str, after_accepting: bool = False) -> None:
        """Keep requests of these kinds (``reply``, ``push``…) waiting, unanswered and undelivered (or, with
        ``after_accepting``, delivered: a push accepted whose answer never arrives), until :meth:`release`;
        then answer them 503, as a connection cut mid-request leaves them."""
        self.held = set(kinds)
        self.hold_after_accepting = after_accepting
        self.holding.clear()
        self._released.clear()

    def release(self) -> None:
        """Let the held requests go (refused), and take the next ones as usual."""
        self.held = set()
        self._released.set()

    def fail(self, kind: str, status: int, *, times: int = 1, after_accepting: bool = False,
             retry_after: str | None = "0") -> None:
        """Answer the next ``times`` requests of ``kind`` (``reply``, ``push``…) with ``status``."""
        self.faults.append(Fault(kind, status, times, after_accepting, retry_after))

    async def wait_for_deliveries(self, user_id: str, count: int, seconds: float = 30.0) -> None:
        """Return once ``count`` deliveries reached the user (for an app running in another process)."""
        async with asyncio.timeout(seconds):
            while len(self.deliveries_to(user_id)) < count:
                self._arrived.clear()
                await self._arrived.wait()

    def _deliver(self, delivery: Delivery) -> None:
        self.deliveries.append(delivery)
        self._arrived.set()

    def deliveries_to(self, user_id: str) -> list[Delivery]:
        """What reached one user's chat, oldest first."""
        return [delivery for delivery in self.deliveries if delivery.user_id == user_id]

    def calls_of(self, kind: str) -> list[Call]:
        """Requests of one kind, oldest first."""
        return [call for call in self.calls if call.kind == kind]

    def menu_calls_of(self, kind: str) -> list[Call]:
        """Rich menu requests of one kind (``richmenu.create``…), oldest first."""
        return [call for call in self.menu_calls if call.kind == kind]

    @property
    def rejected(self) -> list[Call]:
        """Requests answered 400 for breaking LINE's rules (an adapter bug; tokens and refusals asked for aside)."""
        return [call for call in self.calls if call.status == 400 and call.error not in (SPENT_TOKEN, REFUSED)]

    def app(self) -> web.Application:
        """The aiohttp application of the stand-in."""
        app = web.Application()
        app.router.add_post("/v2/bot/message/reply", self._reply)
        app.router.add_post("/v2/bot/message/push", self._push)
        app.router.add_post("/v2/bot/message/multicast", self._multicast)
        app.router.add_post("/v2/bot/chat/loading/start", self._loading)
        app.router.add_get("/v2/bot/profile/{user_id}", self._profile)
        app.router.add_get("/v2/bot/message/{message_id}/content", self._content)
        add_menu_routes(app, self)
        return app

    # --- handlers -------------------------------------------------------------------------------------

    async def _reply(self, request: web.Request) -> web.StreamResponse:
        call, early = await self._begin(request, "reply")
        if early is not None:
            return early
        body = call.body
        problems = message_problems(body.get("messages"))
        if problems:
            return self._error(call, 400, "The request body has errors", problems)
        refused = self._refusal(call)
        if refused is not None:
            return refused
        token = self._tokens.get(str(body.get("replyToken")))
        if token is None or token.used or token.expires < time.monotonic():
            return self._error(call, 400, SPENT_TOKEN)
        token.used = True
        self._deliver(Delivery(token.user_id, "reply", body["messages"]))
        return self._after(call, self._sent(body["messages"]))

    async def _push(self, request: web.Request) -> web.StreamResponse:
        call, early = await self._begin(request, "push")
        if early is not None:
            return early
        key, refused = self._retry_key(call)
        if refused is not None:
            return refused
        problems = message_problems(call.body.get("messages"))
        if not isinstance(call.body.get("to"), str):
            problems.append("to: must be a user ID")
        if problems:
            return self._error(call, 400, "The request body has errors", problems)
        refused = self._refusal(call)
        if refused is not None:
            return refused
        self._deliver(Delivery(call.body["to"], "push", call.body["messages"], key))
        answer = self._accept(call, key, self._sent(call.body["messages"]))
        if "push" in self.held and self.hold_after_accepting:
            return await self._held(call)
        return answer

    async def _held(self, call: Call) -> web.Response:
        self.holding.set()
        await self._released.wait()
        return self._error(call, 503, "Held, then cut off")

    async def _multicast(self, request: web.Request) -> web.StreamResponse:
        call, early = await self._begin(request, "multicast")
        if early is not None:
            return early
        key, refused = self._retry_key(call)
        if refused is not None:
            return refused
        problems = message_problems(call.body.get("messages"))
        recipients = call.body.get("to")
        if not isinstance(recipients, list) or not 1 <= len(recipients) <= LIMITS["recipients"]:
            problems.append(f"to: 1 to {LIMITS['recipients']} user IDs")
        if problems:
            return self._error(call, 400, "The request body has errors", problems)
        refused = self._refusal(call)
        if refused is not None:
            return refused
        for user_id in recipients:
            self._deliver(Delivery(user_id, "multicast", call.body["messages"], key))
        return self._accept(call, key, {})

    async def _loading(self, request: web.Request) -> web.StreamResponse:
        call, early = await self._begin(request, "loading")
        if early is not None:
            return early
        seconds = call.body.get("loadingSeconds", 20)
        if not isinstance(seconds, int) or seconds % 5 or not 5 <= seconds <= 60:
            return self._error(call, 400, "loadingSeconds must be a multiple of 5 from 5 to 60")
        call.status = 202
        return web.json_response({}, status=202)

    async def _profile(self, request: web.Request) -> web.StreamResponse:
        call, early = await self._begin(request, "profile")
        if early is not None:
            return early
        user_id = request.match_info["user_id"]
        if user_id not in self.profiles:
            return self._error(call, 404, "Not found")
        return web.json_response({"userId": user_id, "displayName": self.profiles[user_id], "language": "th"})

    async def _content(self, request: web.Request) -> web.StreamResponse:
        call, early = await self._begin(request, "content")
        if early is not None:
            return early
        stored = self.contents.get(request.match_info["message_id"])
        if stored is None:
            return self._error(call, 404, "Not found")
        return web.Response(body=stored[0], content_type=stored[1])

    # --- helpers --------------------------------------------------------------------------------------

    async def _begin(self, request: web.Request, kind: str, *, raw: bool = False
                     ) -> tuple[Call, web.StreamResponse | None]:
        """Record the request (rich menu requests apart) and answer it early when it must be: its credentials,
        a hold, an injected fault. ``raw`` keeps the body as bytes (an uploaded image)."""
        body: Any = None
        if request.can_read_body:
            data = await request.read()
            body = data if raw else json.loads(data)
        call = Call(kind, request.path, dict(request.headers), body)
        (self.menu_calls if kind.startswith("richmenu") else self.calls).append(call)
        if request.headers.get("Authorization") != f"Bearer {self.access_token}":
            return call, self._error(call, 401, "Authentication failed")
        if kind in self.held and not self.hold_after_accepting:
            return call, await self._held(call)
        fault = next((fault for fault in self.faults if fault.kind == kind and fault.times > 0), None)
        if fault is not None and not fault.after_accepting:
            return call, self._injected(call, fault)
        return call, None

    def _refusal(self, call: Call) -> web.Response | None:
        """LINE's 400 for a request carrying a message the test asked to refuse, in LINE's error shape."""
        picked = [index for index, message in enumerate(call.body.get("messages") or [])
                  if self.refuses is not None and self.refuses(message)]
        if not picked:
            return None
        call.status, call.error = 400, REFUSED
        return web.json_response({"message": REFUSED, "details": [
            {"message": "The message is not supported here", "property": f"messages[{index}]"} for index in picked]},
            status=400)

    def _after(self, call: Call, payload: Json) -> web.Response:
        """The normal answer, or an injected failure after the work was done (the answer was lost)."""
        fault = next((fault for fault in self.faults if fault.kind == call.kind and fault.times > 0
                      and fault.after_accepting), None)
        if fault is not None:
            return self._injected(call, fault)
        return web.json_response(payload)

    def _injected(self, call: Call, fault: Fault) -> web.Response:
        fault.times -= 1
        response = self._error(call, fault.status, f"Injected {fault.status}")
        if fault.retry_after is not None:
            response.headers["Retry-After"] = fault.retry_after
        return response

    def _retry_key(self, call: Call) -> tuple[str | None, web.Response | None]:
        key = call.headers.get("X-Line-Retry-Key")
        if key is None:
            return None, None
        if not UUID.match(key):
            return key, self._error(call, 400, "The retry key must be a UUID")
        if key in self._accepted:
            response = self._error(call, 409, "The retry key is already accepted")
            response.headers["X-Line-Accepted-Request-Id"] = self._accepted[key]
            return key, response
        return key, None

    def _accept(self, call: Call, key: str | None, payload: Json) -> web.Response:
        if key is not None:
            self._accepted[key] = uuid.uuid4().hex
        return self._after(call, payload)

    def _sent(self, messages: list[Json]) -> Json:
        return {"sentMessages": [{"id": str(next(self._ids))} for _ in messages]}

    @staticmethod
    def _error(call: Call, status: int, message: str, details: list[str] | None = None) -> web.Response:
        call.status, call.error = status, message
        payload: Json = {"message": message}
        if details:
            payload["details"] = [{"message": detail} for detail in details]
        return web.json_response(payload, status=status)


@asynccontextmanager
async def line_standin(access_token: str) -> AsyncIterator[LineStandin]:
    """Serve a stand-in on 127.0.0.1 (a free port) for the duration of the block."""
    standin = LineStandin(access_token)
    runner = web.AppRunner(standin.app())
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    standin.url = f"http://127.0.0.1:{runner.addresses[0][1]}"
    try:
        yield standin
    finally:
        await runner.cleanup()
